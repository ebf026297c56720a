#!/usr/bin/env python3
"""A stand-in for lab1's front service: GET / answers {"value": n}, as front does when middle answers.

While the file `middle-down` exists in the working directory (the middle pod is restarting), front's call to middle
fails: like the real front, it still answers HTTP 200, with {"error": "ConnectTimeout", "value": <last value>}.
usage: front.py PORT   (binds 127.0.0.1 only)
"""
import itertools, json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counter = itertools.count()
last = {"value": 0}


class Front(BaseHTTPRequestHandler):
    def do_GET(self):
        if os.path.exists("middle-down"):
            body = {"error": "ConnectTimeout", "value": last["value"]}
        else:
            last["value"] = next(counter)
            body = {"value": last["value"]}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Front).serve_forever()
