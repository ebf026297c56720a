#!/usr/bin/env python3
"""One of the lab's three services (front -> middle -> back), Python standard library only, 127.0.0.1 only.

usage: service.py front|middle|back --port P [--upstream URL[,URL...]] [--pid-file F]

* back:   GET / answers {"value": n}, n counting up from 0 (one counter for the process).
* middle: GET / calls its upstream (back) and answers {"value": <back's value>}; GET /health answers an empty 200.
* front:  GET / calls middle the same way; given several middle URLs it fails over to the next one when a call fails.

A call to the upstream has a 1 s timeout (as httpx.AsyncClient(timeout=1.0) in the lab's services). When it fails the
service still answers HTTP 200, with {"error": "<httpx-like exception class name>", "value": <last value>}, and counts
the failure in `failed_call_total{to="<upstream>"}` on GET /metrics (Prometheus text format). Class names:
connection refused -> ConnectError, connect timeout -> ConnectTimeout, read timeout -> ReadTimeout, anything else on
the wire -> ReadError (connection reset) or RemoteProtocolError (closed without an answer). Asked `GET /?strict=1`,
front and middle answer such a failure with HTTP 502 instead (same body), so a load test's success ratio sees it.
"""
import argparse
import http.client
import itertools
import json
import os
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

TIMEOUT = 1.0
UPSTREAM_OF = {"front": "middle", "middle": "back"}


class TransportError(Exception):
    """A failed call, named after the httpx exception class the lab's services would see."""

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def call(url):
    """GET url with a 1 s connect timeout and a 1 s read timeout; returns the decoded JSON body."""
    parts = urlsplit(url)
    try:
        sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=TIMEOUT)
    except ConnectionRefusedError:
        raise TransportError("ConnectError")
    except socket.timeout:
        raise TransportError("ConnectTimeout")
    except OSError:
        raise TransportError("ConnectError")
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)
    conn.sock = sock
    try:
        conn.request("GET", parts.path or "/")
        response = conn.getresponse()
        body = response.read()
    except socket.timeout:
        raise TransportError("ReadTimeout")
    except http.client.RemoteDisconnected:
        raise TransportError("RemoteProtocolError")
    except ConnectionResetError:
        raise TransportError("ReadError")
    except (http.client.HTTPException, OSError):
        raise TransportError("RemoteProtocolError")
    finally:
        conn.close()
    try:
        return json.loads(body)
    except ValueError:
        raise TransportError("DecodingError")


class State:
    def __init__(self, role, upstreams):
        self.role = role
        self.upstreams = upstreams
        self.lock = threading.Lock()
        self.counter = itertools.count()
        self.last_value = None
        self.failed = 0

    def answer(self):
        if self.role == "back":
            with self.lock:
                return {"value": next(self.counter)}
        error = None
        for url in self.upstreams:
            try:
                value = call(url).get("value")
            except TransportError as e:
                error = error or e.name
                continue
            with self.lock:
                self.last_value = value
            return {"value": value}
        with self.lock:
            self.failed += 1
            last = self.last_value
        print("Failed to talk with the %s service: %s" % (UPSTREAM_OF[self.role], error), file=sys.stderr, flush=True)
        return {"error": error, "value": last}

    def metrics(self):
        lines = []
        if self.role in UPSTREAM_OF:
            to = UPSTREAM_OF[self.role]
            with self.lock:
                failed = self.failed
            lines += [
                "# HELP failed_call_total Calls to the %s service that failed" % to,
                "# TYPE failed_call_total counter",
                'failed_call_total{to="%s"} %d.0' % (to, failed),
            ]
        return "\n".join(lines) + "\n"


def handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def reply(self, body, content_type, status=200):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/health":
                self.reply("", "text/plain")
            elif path == "/metrics":
                self.reply(state.metrics(), "text/plain; version=0.0.4; charset=utf-8")
            elif path == "/":
                answer = state.answer()
                strict = "strict=1" in self.path.partition("?")[2].split("&")
                self.reply(json.dumps(answer), "application/json", 502 if strict and "error" in answer else 200)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def main():
    parser = argparse.ArgumentParser(description="a lab service on 127.0.0.1")
    parser.add_argument("role", choices=["front", "middle", "back"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", default="", help="comma-separated URLs (front: the middle replicas in order)")
    parser.add_argument("--pid-file")
    args = parser.parse_args()
    upstreams = [u for u in args.upstream.split(",") if u]
    if args.role != "back" and not upstreams:
        parser.error("%s needs --upstream" % args.role)
    server = Server(("127.0.0.1", args.port), handler(State(args.role, upstreams)))
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
