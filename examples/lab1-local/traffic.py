"""Writes vegeta JSON result lines as the lab1 front service would answer while `middle` restarts.

With one middle replica the restart shows as a ConnectTimeout in a body; with two, every call succeeds.
"""
import base64, json, sys

replicas, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for n in range(4):
        body = {"value": n}
        if replicas < 2 and n == 2:
            body = {"error": "ConnectTimeout", "value": 1}
        f.write(json.dumps({"attack": "", "seq": n, "code": 200, "timestamp": "2020-12-03T21:56:05Z",
                            "latency": 1000000, "bytes_out": 0, "bytes_in": 12, "error": "",
                            "body": base64.b64encode(json.dumps(body).encode()).decode(),
                            "method": "GET", "url": "http://127.0.0.1:8000/", "headers": {"Content-Type": ["application/json"]}}) + "\n")
