#!/usr/bin/env python3
"""Writes N realistic vegeta results as JSON lines (for benchmarks): 20k/s, small JSON bodies, two headers, 1% errors.

usage: gen-results.py N OUT.json   (deterministic: seeded)
"""
import base64, json, random, sys

def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    start_ns = 1_795_312_379_000_000_000
    with open(path, "w") as f:
        for seq in range(n):
            ts = start_ns + seq * 50_000 + rnd.randrange(0, 20_000)
            sec, ns = divmod(ts, 1_000_000_000)
            stamp = "2026-11-22T01:%02d:%02d.%sZ" % ((sec // 60) % 60, sec % 60, ("%09d" % ns).rstrip("0") or "0")
            if rnd.random() < 0.01:
                if rnd.random() < 0.5:
                    rec = dict(code=0, error='Get "http://127.0.0.1:8080/api/items": dial tcp 0.0.0.0:0->127.0.0.1:8080: connect: connection refused',
                               body=None, headers=None, bytes_in=0)
                else:
                    body = b'{"error":"upstream timeout"}'
                    rec = dict(code=503, error="503 Service Unavailable", body=base64.b64encode(body).decode(),
                               headers={"Content-Type": ["application/json"], "Content-Length": [str(len(body))]}, bytes_in=len(body))
            else:
                body = json.dumps({"id": seq, "value": rnd.randrange(1_000_000), "ok": True}, separators=(",", ":")).encode()
                rec = dict(code=200, error="", body=base64.b64encode(body).decode(),
                           headers={"Content-Type": ["application/json"], "Content-Length": [str(len(body))]}, bytes_in=len(body))
            line = {"attack": "bench", "seq": seq, "code": rec["code"], "timestamp": stamp,
                    "latency": rnd.randrange(200_000, 5_000_000), "bytes_out": 0, "bytes_in": rec["bytes_in"],
                    "error": rec["error"], "body": rec["body"], "method": "GET",
                    "url": "http://127.0.0.1:8080/api/items", "headers": rec["headers"]}
            f.write(json.dumps(line, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
