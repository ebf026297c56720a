"""The real chaoslib (and jsonpath2, Python's re) as the oracle for barrage's tolerance tables.

Reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
  {"op": "tolerance", "tolerance": T, "value": V, "configuration": C, "secrets": S}
      -> {"met": bool} from chaoslib.hypothesis.within_tolerance, or {"raised": "ExcType"}
  {"op": "values", "path": P, "value": V}
      -> {"values": [...]} (jsonpath2's matches), {"parse_error": "..."} or {"raised": "ExcType"}
  {"op": "validate", "tolerance": T}
      -> {"valid": true} or {"invalid": "<InvalidActivity message>"} from chaoslib's tolerance checks
  {"op": "regex", "pattern": P, "subject": S}
      -> {"match": bool} from re.search, or {"error": "<re.error message>"}
Run with an interpreter that has chaostoolkit-lib 1.44 and jsonpath2 installed (scripts/ensure-chaostoolkit).
"""
import json
import re
import sys

from chaoslib import substitute
from chaoslib.exceptions import InvalidActivity
from chaoslib.hypothesis import check_json_path, check_regex_pattern, within_tolerance


def answer(request):
    op = request["op"]
    if op == "tolerance":
        tolerance = request["tolerance"]
        configuration = request.get("configuration") or {}
        secrets = request.get("secrets") or {}
        if isinstance(tolerance, str):
            # run_steady_state_hypothesis substitutes a string tolerance before dispatching on its type
            tolerance = substitute(tolerance, configuration, secrets)
        try:
            met = within_tolerance(
                tolerance,
                request["value"],
                configuration=configuration,
                secrets=secrets,
            )
        except Exception as e:  # the runner would crash here
            return {"raised": type(e).__name__}
        return {"met": bool(met)}
    if op == "values":
        from jsonpath2.path import Path

        try:
            path = Path.parse_str(request["path"])
        except Exception as e:
            return {"parse_error": str(e)}
        try:
            return {"values": [m.current_value for m in path.match(request["value"])]}
        except Exception as e:
            return {"raised": type(e).__name__}
    if op == "validate":
        tolerance = request["tolerance"]
        try:
            if tolerance.get("type") == "jsonpath":
                check_json_path(tolerance)
            else:
                check_regex_pattern(tolerance)
        except InvalidActivity as e:
            return {"invalid": str(e)}
        except Exception as e:  # chaos validate would crash here
            return {"raised": type(e).__name__, "message": str(e)}
        return {"valid": True}
    if op == "regex":
        try:
            return {"match": re.search(request["pattern"], request["subject"]) is not None}
        except re.error as e:
            return {"error": e.msg, "pos": e.pos}
        except (ValueError, OverflowError) as e:  # raised by re outside re.error: no position
            return {"error": str(e), "pos": None}
    raise ValueError(op)


for line in sys.stdin:
    if line.strip():
        print(json.dumps(answer(json.loads(line))), flush=True)
