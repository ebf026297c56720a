"""barrage.probes: the probes barrage runs natively, for the real Chaos Toolkit.

`attack_report` takes the same arguments and returns the same value as barrage's native provider of the same
name. It runs the `barrage` binary named by the BARRAGE environment variable, else the one found on PATH.
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
from typing import Any, Dict, List, Optional, Union

try:
    from chaoslib.exceptions import ActivityFailed
except ImportError:  # chaoslib absent: a plain RuntimeError carries the same message.

    class ActivityFailed(RuntimeError):
        pass


__all__ = ["attack_report"]


def attack_report(results: Union[str, List[str]], window: Union[str, int, float, None] = None) -> Dict[str, Any]:
    """
    vegeta's JSON report (`barrage report -type=json`) of one or more result files (gob, JSON or CSV, gzipped or
    not; several are merged as `barrage report` merges them), so jsonpath tolerances can state SLOs
    (`$.success`, `$.latencies["99th"]`).

    `window`, optional, is a Go duration ("30s", "1m30s") or a number of seconds: only the results of that last
    stretch before the newest result count (timestamp >= newest - window).

    Raises ActivityFailed ("attack_report: ...") for arguments of the wrong type, for files that are missing or
    damaged, and when no barrage binary is found.
    """
    if isinstance(results, str):
        paths = [results]
    elif isinstance(results, list) and results and all(isinstance(p, str) for p in results):
        paths = list(results)
    else:
        raise ActivityFailed("attack_report: results must be a file name or a non-empty list of file names")
    window_ns = _window_nanoseconds(window)
    binary = _barrage()
    # "--" ends the flags, so a file whose name starts with "-" is read as a file.
    if window_ns is None:
        report = _run([binary, "report", "-type=json", "--"] + paths)
    else:
        encoded = _run([binary, "encode", "-to=csv", "--"] + paths)
        report = _run([binary, "report", "-type=json"], stdin=_last(encoded, window_ns))
    try:
        return json.loads(report)
    except ValueError:
        raise ActivityFailed("attack_report: the report is not JSON")


def _barrage() -> str:
    named = os.environ.get("BARRAGE")
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        found = shutil.which(named)
        if found:
            return found
        raise ActivityFailed("attack_report: BARRAGE names %r, which is not an executable file" % named)
    found = shutil.which("barrage")
    if not found:
        raise ActivityFailed("attack_report: the barrage binary is not on PATH (install barrage or set BARRAGE)")
    return found


def _run(argv: List[str], stdin: Optional[bytes] = None) -> bytes:
    try:
        done = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        raise ActivityFailed("attack_report: cannot run %s: %s" % (argv[0], error))
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else "%s %s exited with status %d" % (argv[0], argv[1], done.returncode)
        detail = _LOG_TIME.sub("", detail)  # Go's log prefix, "2006/01/02 15:04:05 "
        raise ActivityFailed("attack_report: %s" % detail)
    return done.stdout


_LOG_TIME = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ")


def _last(encoded: bytes, window_ns: int) -> bytes:
    """The CSV results (first column: unix nanoseconds) of the last `window_ns` before the newest one."""
    rows = list(csv.reader(io.StringIO(encoded.decode("utf-8", "surrogateescape"), newline="")))
    rows = [row for row in rows if row]
    if not rows:
        return encoded
    newest = max(int(row[0]) for row in rows)
    since = newest - window_ns
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        if int(row[0]) >= since:
            writer.writerow(row)
    return out.getvalue().encode("utf-8", "surrogateescape")


_UNITS = {"ns": 1, "us": 1000, "\u00b5s": 1000, "\u03bcs": 1000, "ms": 1000000, "s": 10**9, "m": 60 * 10**9,
          "h": 3600 * 10**9}
_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def _window_nanoseconds(value: Any) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, str):
        ns = _go_duration(value)
        if ns is None or ns <= 0:
            raise ActivityFailed("attack_report: window %r is not a positive duration" % value)
        return ns
    if isinstance(value, bool):
        pass
    elif isinstance(value, int) and 0 < value < (2**63 - 1) // 10**9:
        return value * 10**9
    elif isinstance(value, float) and 0 < value < 9e9:
        return int(value * 1e9)
    raise ActivityFailed('attack_report: window must be a duration such as "30s" or a number of seconds')


def _go_duration(text: str) -> Optional[int]:
    """Go's time.ParseDuration, in nanoseconds (fractions scaled in floating point, as Go does); None where Go
    reports an error."""
    s = text
    negative = False
    if s[:1] in ("-", "+"):
        negative = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        return None
    limit = 2**63 - 1
    total = 0
    while s:
        match = _PART.match(s)
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if (not whole and not fraction) or unit not in _UNITS:
            return None
        scale = _UNITS[unit]
        v = int(whole or "0")
        if v > limit // scale:
            return None
        v *= scale
        if fraction:
            v += int(float(int(fraction)) * (float(scale) / float(10 ** len(fraction))))
        total += v
        if total > limit:
            return None
        s = s[match.end():]
    return -total if negative else total
