#!/usr/bin/env python3
"""Sends SIGTERM/SIGINT/SIGUSR1/SIGUSR2 to the real Chaos Toolkit and to `barrage chaos` while sig.json pauses, and
compares exit codes, console lines and journal statuses. CHAOS and BARRAGE name the two programs (see compare.py)."""
import json, os, re, signal, subprocess, sys, tempfile, shutil
HERE = os.path.dirname(os.path.abspath(__file__))
CHAOS = os.environ.get("CHAOS", "chaos")
BARRAGE = os.environ.get("BARRAGE", os.path.join(os.path.dirname(os.path.dirname(HERE)), ".build", "debug", "barrage"))
def run(cmd, sig, extra):
    d = tempfile.mkdtemp(); shutil.copy(os.path.join(HERE, "sig.json"), d)
    p = subprocess.Popen(cmd + ["--no-log-file", "run"] + extra + ["sig.json"], cwd=d, stderr=subprocess.PIPE, text=True)
    lines = []
    for l in p.stderr:
        lines.append(l)
        if "Pausing before next activity" in l: break
    p.send_signal(sig)
    lines += p.stderr.readlines(); p.wait()
    out = [re.sub(r"\x1b\[\d+m\[[^\]]*? (\w+)\]", r"\1", l.rstrip()) for l in lines]
    j = json.load(open(d + "/journal.json")) if os.path.exists(d + "/journal.json") else None
    summary = None if j is None else (j["status"], [r.get("status") for r in j["run"]], len(j["rollbacks"]))
    return p.returncode, out, summary
for sig, extra in [(signal.SIGTERM, []), (signal.SIGINT, []), (signal.SIGUSR1, ["--rollback-strategy", "always"]), (signal.SIGUSR2, ["--rollback-strategy", "always"])]:
    a = run([CHAOS, "--no-version-check"], sig, extra)
    b = run([BARRAGE, "chaos"], sig, extra)
    print("OK  " if a == b else "DIFF", sig.name, extra, a[0], b[0], a[2], b[2])
    if a[1] != b[1]:
        import difflib
        for l in difflib.unified_diff(a[1], b[1], "chaos", "barrage", lineterm="", n=1): print("   ", l)
