#!/usr/bin/env python3
"""Starts, stops and breaks the local lab: back, middle-1 (+ middle-2), front, and optionally Prometheus.

usage: labctl.py start [--prometheus] [--replicas 1|2]   start everything (free loopback ports unless LAB_*_PORT set)
       labctl.py stop                                    stop every process this lab started (pid files in state/)
       labctl.py status                                  one line per service: up/down, pid, port
       labctl.py scale 1|2                               stop or start the second middle replica
       labctl.py kill NAME | restart NAME                SIGKILL a service / start it again if it is not running
       labctl.py freeze NAME | thaw NAME                 SIGSTOP / SIGCONT a service (lab4's "network policy")
       labctl.py wait-samples [N]                        wait until Prometheus holds N (default 2) samples of front's
                                                         failed_call_total in lab4's window (30 s, step 3)

State lives in ./state next to this script (LAB_STATE overrides): lab.json (ports, Prometheus's temp dir), NAME.pid, NAME.log,
targets.txt (the attack's target: GET front), targets-strict.txt (GET front?strict=1: errors as 502, for lab1-slo) and lab.env (FRONT_URL, PROMETHEUS_URL, ATTACK_METRICS_ADDR), which
`barrage chaos run --var-file state/lab.env ...` reads. Everything binds 127.0.0.1 only.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = os.path.abspath(os.environ.get("LAB_STATE", os.path.join(HERE, "state")))
SERVICES = ["back", "middle-1", "middle-2", "front"]
PROMETHEUS = os.environ.get("LAB_PROMETHEUS", "/usr/bin/prometheus")
DEADLINE = 30.0


def path(name):
    return os.path.join(STATE, name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load():
    try:
        with open(path("lab.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        sys.exit("labctl: no lab state in %s: run 'labctl.py start' first" % STATE)


def url(port):
    return "http://127.0.0.1:%d/" % port


def pid_of(name):
    """The pid from NAME.pid when that process is still ours: its arguments (after the program) are the ones
    `command` gives NAME for this lab, so a reused pid is never taken for one of our services."""
    try:
        with open(path(name + ".pid")) as f:
            pid = int(f.read().strip())
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")[:-1]
        with open("/proc/%d/stat" % pid) as f:
            zombie = f.read().rsplit(")", 1)[1].split()[0] == "Z"
        with open(path("lab.json")) as f:
            expected = [a.encode() for a in command(name, json.load(f))]
    except (OSError, ValueError, IndexError, KeyError, TypeError):
        return None
    if zombie or argv[1:] != expected[1:]:
        return None
    return pid


def command(name, lab):
    ports = lab["ports"]
    service = [sys.executable, os.path.join(HERE, "service.py")]
    if name == "back":
        return service + ["back", "--port", str(ports["back"])]
    if name.startswith("middle"):
        return service + ["middle", "--port", str(ports[name]), "--upstream", url(ports["back"])]
    if name == "front":
        middles = ",".join(url(ports[m]) for m in ("middle-1", "middle-2"))
        return service + ["front", "--port", str(ports["front"]), "--upstream", middles]
    temp = lab["prometheus_dir"]
    return [PROMETHEUS, "--config.file=" + os.path.join(temp, "prometheus.yml"),
            "--storage.tsdb.path=" + os.path.join(temp, "data"),
            "--web.listen-address=127.0.0.1:%d" % ports["prometheus"], "--log.level=warn"]


def wait_until(check, what):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    sys.exit("labctl: %s did not come up within %d s (see %s)" % (what, DEADLINE, STATE))


def answers(address):
    try:
        with urllib.request.urlopen(address, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def launch(name, lab):
    if pid_of(name):
        return
    log = open(path(name + ".log"), "a")
    process = subprocess.Popen(command(name, lab), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                               start_new_session=True, cwd=STATE)
    with open(path(name + ".pid"), "w") as f:
        f.write("%d\n" % process.pid)
    port = lab["ports"][name]
    probe = url(port) + ("-/ready" if name == "prometheus" else "metrics" if name != "back" else "")
    wait_until(lambda: process.poll() is None and answers(probe), "%s (pid %d, port %d)" % (name, process.pid, port))
    print("started %s: pid %d, %s" % (name, process.pid, url(port)))


def stop_one(name):
    pid = pid_of(name)
    if pid:
        for sig in (signal.SIGCONT, signal.SIGTERM):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while pid_of(name) and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid_of(name):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        print("stopped %s (pid %d)" % (name, pid))
    try:
        os.remove(path(name + ".pid"))
    except FileNotFoundError:
        pass


def prometheus_config(lab):
    ports = lab["ports"]
    targets = ", ".join("'127.0.0.1:%d'" % ports[n] for n in ("front", "middle-1", "middle-2"))
    return ("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
            "scrape_configs:\n"
            "  - job_name: lab\n    static_configs:\n      - targets: [%s]\n"
            "  - job_name: barrage-attack\n    static_configs:\n      - targets: ['%s']\n"
            % (targets, lab["attack_metrics_addr"]))


def start(args):
    with_prometheus = "--prometheus" in args
    replicas = int(args[args.index("--replicas") + 1]) if "--replicas" in args else 1
    os.makedirs(STATE, exist_ok=True)
    running = [name for name in SERVICES + ["prometheus"] if pid_of(name)]
    if running:
        sys.exit("labctl: the lab in %s is running (%s): stop it first" % (STATE, ", ".join(running)))
    ports = {}
    for name in SERVICES + ["prometheus"]:
        key = "LAB_%s_PORT" % name.upper().replace("-", "_")
        ports[name] = int(os.environ[key]) if os.environ.get(key) else free_port()
    lab = {"ports": ports, "attack_metrics_addr": "127.0.0.1:%d" % free_port(), "prometheus": with_prometheus}
    if with_prometheus:
        if not os.access(PROMETHEUS, os.X_OK):
            sys.exit("labctl: %s is missing (Debian package prometheus)" % PROMETHEUS)
        # A temp dir for Prometheus's config and TSDB, removed by stop.
        lab["prometheus_dir"] = tempfile.mkdtemp(prefix="lab-prometheus-")
    with open(path("lab.json"), "w") as f:
        json.dump(lab, f, indent=2)
    with open(path("targets.txt"), "w") as f:
        f.write("GET %s\n" % url(ports["front"]))
    with open(path("targets-strict.txt"), "w") as f:
        f.write("GET %s?strict=1\n" % url(ports["front"]))
    env = ["FRONT_URL=" + url(ports["front"]), "ATTACK_METRICS_ADDR=" + lab["attack_metrics_addr"]]
    names = ["back", "middle-1"] + (["middle-2"] if replicas > 1 else []) + ["front"]
    if with_prometheus:
        with open(os.path.join(lab["prometheus_dir"], "prometheus.yml"), "w") as f:
            f.write(prometheus_config(lab))
        env.append("PROMETHEUS_URL=" + url(ports["prometheus"]))
        names.append("prometheus")
    with open(path("lab.env"), "w") as f:
        f.write("\n".join(env) + "\n")
    try:
        for name in names:
            launch(name, lab)
    except BaseException:  # a failed start, a bad setting, Ctrl-C: stop what did start
        stop([])
        raise
    print("lab up: front %s (env in %s)" % (url(ports["front"]), path("lab.env")))


def stop(args):
    for name in ["prometheus"] + list(reversed(SERVICES)):
        stop_one(name)
    try:
        with open(path("lab.json")) as f:
            temp = json.load(f).get("prometheus_dir")
    except (OSError, ValueError):
        temp = None
    if temp and os.path.basename(temp).startswith("lab-prometheus-"):
        shutil.rmtree(temp, ignore_errors=True)


def status(args):
    lab = load()
    for name in SERVICES + (["prometheus"] if lab.get("prometheus") else []):
        pid = pid_of(name)
        print("%-10s %-4s %-8s %s" % (name, "up" if pid else "down", pid or "-", url(lab["ports"][name])))


def scale(args):
    if not args or args[0] not in ("1", "2"):
        sys.exit("labctl: scale takes 1 or 2")
    if args[0] == "2":
        launch("middle-2", load())
    else:
        stop_one("middle-2")


def signal_service(args, sig, verb):
    lab = load()
    if not args or args[0] not in lab["ports"]:
        sys.exit("labctl: %s takes one of %s" % (verb, ", ".join(lab["ports"])))
    pid = pid_of(args[0])
    if not pid:
        sys.exit("labctl: %s is not running" % args[0])
    os.kill(pid, sig)
    if sig == signal.SIGKILL:
        deadline = time.monotonic() + 5
        while pid_of(args[0]) and time.monotonic() < deadline:
            time.sleep(0.02)
    print("%s %s (pid %d)" % (verb, args[0], pid))


def restart(args):
    lab = load()
    if not args or args[0] not in lab["ports"]:
        sys.exit("labctl: restart takes one of %s" % ", ".join(lab["ports"]))
    launch(args[0], lab)


def wait_samples(args):
    """lab4's probe reads failed_call_total{to='middle'} over the last 30 s at step 3: with 0 samples the seed's
    tolerance raises IndexError, with 1 it passes whatever happens, from 2 on it shows the seed's real flaw."""
    wanted = int(args[0]) if args else 2
    lab = load()
    if not lab.get("prometheus"):
        sys.exit("labctl: this lab runs without Prometheus (start --prometheus)")
    base = url(lab["ports"]["prometheus"]) + "api/v1/query_range?"

    def enough():
        now = time.time()
        query = urllib.parse.urlencode({"query": "failed_call_total{to='middle'}", "start": now - 30, "end": now,
                                        "step": 3})
        try:
            with urllib.request.urlopen(base + query, timeout=2) as r:
                result = json.load(r)["data"]["result"]
        except (OSError, ValueError, KeyError):
            return False
        return bool(result) and len(result[0]["values"]) >= wanted

    wait_until(enough, "%d samples of failed_call_total in Prometheus" % wanted)
    print("Prometheus holds %d samples of failed_call_total{to='middle'}" % wanted)


def main():
    # A parent may have blocked or ignored SIGTERM/SIGINT (a test runner's signal tests, a chaos run); the services and
    # Prometheus inherit both, and `stop` relies on SIGTERM: start them with the defaults.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    commands = {
        "start": start, "stop": stop, "status": status, "scale": scale, "restart": restart,
        "kill": lambda a: signal_service(a, signal.SIGKILL, "killed"),
        "freeze": lambda a: signal_service(a, signal.SIGSTOP, "froze"),
        "thaw": lambda a: signal_service(a, signal.SIGCONT, "thawed"),
        "wait-samples": wait_samples,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
