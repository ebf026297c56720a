#!/usr/bin/env python3
"""Runs the same experiments with the real Chaos Toolkit and with `barrage chaos`; compares exit codes, console lines
(without timestamps and colours) and journals (without times, platform, node and exception texts).

Setup (PyPI): python3 -m venv /tmp/ctk && /tmp/ctk/bin/pip install chaostoolkit==1.19.0 chaostoolkit-lib==1.44.0 jsonpath2==0.4.5
Serve a marker for e1.json: mkdir -p /tmp/www && echo "hello chaos" > /tmp/www/marker.txt &&
  (cd /tmp/www && python3 -m http.server 18801 --bind 127.0.0.1 &)
Run from this folder: CHAOS=/tmp/ctk/bin/chaos /tmp/ctk/bin/python compare.py e1.json e2.json "e4.json:--rollback-strategy deviated" ...
(an argument `file:options` passes run options to both tools).
"""
import json, os, re, subprocess, sys, shutil, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHAOS = os.environ.get("CHAOS", "chaos")
BARRAGE = os.environ.get("BARRAGE", os.path.join(ROOT, ".build", "debug", "barrage"))
env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "Tests", "ChaosGlueTests", "Fixtures", "pymods"))

def norm(stderr):
    out = []
    for l in stderr.splitlines():
        l = re.sub(r"\x1b\[\d+m", "", l)
        m = re.match(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (\w+)\] (.*)", l)
        if m:
            out.append(m.group(1) + " " + m.group(2))
    return out

def shape(v, path=""):
    if isinstance(v, dict):
        return {k: shape(x, path + "." + k) for k, x in v.items() if k not in ("start", "end", "duration", "platform", "node", "exception", "Date")}
    if isinstance(v, list):
        return [shape(x, path) for x in v]
    return v

def run(cmd, exp, extra):
    d = tempfile.mkdtemp()
    shutil.copy(exp, d)
    p = subprocess.run(cmd + ["--no-log-file", "run"] + extra + [os.path.basename(exp)], cwd=d, env=env, capture_output=True, text=True, timeout=60)
    j = None
    if os.path.exists(d + "/journal.json"):
        j = json.load(open(d + "/journal.json"))
    return p.returncode, norm(p.stderr), j, p.stderr

for exp in sys.argv[1:]:
    extra = []
    if ":" in exp:
        exp, opts = exp.split(":", 1)
        extra = opts.split()
    a = run([CHAOS, "--no-version-check"], exp, extra)
    b = run([BARRAGE, "chaos"], exp, extra)
    ok = a[0] == b[0] and a[1] == b[1]
    ja, jb = shape(a[2]), shape(b[2])
    jok = json.dumps(ja, sort_keys=False) == json.dumps(jb, sort_keys=False)
    print(("OK  " if ok and jok else "DIFF") + f" {exp} {extra} exit {a[0]}/{b[0]} lines {'same' if a[1]==b[1] else 'differ'} journal {'same' if jok else 'differ'}")
    if not ok:
        import difflib
        for l in difflib.unified_diff(a[1], b[1], "chaos", "barrage", lineterm="", n=1):
            print("   ", l)
        if not a[1]: print(a[3][-2000:])
    if not jok and ja is not None and jb is not None:
        sa = json.dumps(ja, indent=1).splitlines(); sb = json.dumps(jb, indent=1).splitlines()
        import difflib
        for l in list(difflib.unified_diff(sa, sb, "chaos", "barrage", lineterm="", n=1))[:40]:
            print("   ", l)
    elif not jok:
        print("    journal presence", ja is not None, jb is not None)
