#!/usr/bin/env python3
"""The one loopback test server of the test suite (python3 stdlib only).

Prints its TCP port on the first stdout line once it listens, then serves until its standard input closes (so it
never outlives the test process) or it is killed.
Paths:
  /echo        body = request line, then the request headers as received, then the request body
               (/echo/anything too: its request line shows the path as it arrived)
  /slow?ms=N   waits N ms, then 200
  /status?code=N
  /redirect?n=K  302 (or &code=C) to /redirect?n=K-1 (other parameters kept); n=0 answers 200 "landed"
               ("landed METHOD BODYLENGTH" with &echo)
  /gzip        gzip-encoded "hello gzip" body when the client accepts gzip
  /reset       closes the connection with RST before any response
  /cut         promises 100 bytes, sends 10, closes
  /big?n=N     N bytes of 'x'
  /chunked?n=K  K chunks "chunk<i>;" in chunked transfer encoding (with a chunk extension and a trailer)
  /split       a chunked "hello world" sent in pieces cut inside header lines and chunk lines
  /close       body "until close" without Content-Length, ended by closing the connection
  /drop        200 "ok" with Content-Length, then closes the connection without saying so (a stale keep-alive)
  /fault?mode=M  a hostile answer, one per mode (FAULT_MODES below lists them), for the transports' error table
  /stats       connections=N max_inflight=M
  /count       hits counted so far (every path but /count and /stats), as text
  /json        200 {"items": [1, 2], "error": null, "name": "barrage"} (application/json)
  /status/N    N "status page\n" (text/plain)
  /api/v1/...  a Prometheus stand-in: 200 {"status": "success", "path": PATH, "query": {NAME: [VALUE, ...]}}
  anything else: 200 "ok" (text/plain), or what --root or --broken-if say
Options:
  --bind ADDR        listens on ADDR instead of 127.0.0.1 (inside a test's own network namespace)
  --unix PATH        also serves on a unix socket
  --tls CERT KEY     serves HTTPS (--client-ca CA requires client certificates)
  --json             the chaos http provider's routes: /echo answers JSON {method, query, body, content_type, token},
                     /chunked a chunked {"parts": [1, 2, 3]}, /redirect a 302 to /json, /slow after 5 s
  --fetch            the Fetch tests' routes (they speak as python's requests does): /echo answers JSON
                     {method, path, headers: [[NAME, VALUE], ...], body} with X-Multi: a and X-Multi: b,
                     /status/N N "status\n", /redirect/CODE?to=URL a CODE to URL (to itself without `to`)
  --root DIR         other GET paths serve the files of DIR (as python's http.server does); other POSTs are 404
  --broken-if FILE   other paths answer 500 "broken\n" while FILE exists, 200 "ok\n" otherwise
"""
import gzip
import http.server
import json
import os
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

FAULT_MODES = ["close", "reset-before-headers", "reset-after-headers", "short-body", "huge-length", "two-lengths",
               "bad-chunked", "header-flood", "status-999", "status-abc", "redirect-loop", "slow-body", "garbage"]

lock = threading.Lock()
hits = 0
connections = 0
inflight = 0
max_inflight = 0


unix_path = None
root = None
json_routes = False
broken_if = None
fetch_routes = False


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = http.server.BaseHTTPRequestHandler.server_version

    def __init__(self, *a, **kw):
        super().__init__(*a, directory=root or os.getcwd(), **kw)

    def log_message(self, *args):
        pass

    def address_string(self):
        return "client"

    def setup(self):
        global connections
        super().setup()
        with lock:
            connections += 1

    def handle_any(self):
        global inflight, max_inflight
        with lock:
            inflight += 1
            max_inflight = max(max_inflight, inflight)
        try:
            self.serve()
        finally:
            with lock:
                inflight -= 1

    def send(self, code, body, headers=(), reason=None):
        if reason is None:
            self.send_response(code)
        else:
            self.send_response(code, reason)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def serve(self):
        global hits
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        elif length:
            body = self.rfile.read(length)
        if u.path not in ("/count", "/stats"):
            with lock:
                hits += 1
        if u.path == "/count":
            with lock:
                n = hits
            return self.send(200, str(n).encode())
        if u.path == "/stats":
            with lock:
                text = "connections=%d max_inflight=%d" % (connections, max_inflight)
            return self.send(200, text.encode())
        if json_routes and self.json_route(u, body):
            return
        if fetch_routes and self.fetch_route(u, body):
            return
        if u.path == "/json":
            return self.send(200, json.dumps({"items": [1, 2], "error": None, "name": "barrage"}).encode(),
                             [("Content-Type", "application/json")])
        if u.path.startswith("/api/v1/"):
            text = json.dumps({"status": "success", "path": u.path, "query": urllib.parse.parse_qs(u.query)})
            return self.send(200, text.encode(), [("Content-Type", "application/json")])
        if u.path.startswith("/status/"):
            return self.send(int(u.path.split("/")[2]), b"status page\n", [("Content-Type", "text/plain")])
        if u.path == "/echo" or u.path.startswith("/echo/"):
            client = self.client_address[0] if isinstance(self.client_address, tuple) else "unix"
            out = "%s %s\nClient-Address: %s\n" % (self.command, self.path, client)
            if hasattr(self.connection, "session_reused"):
                out += "TLS-Resumed: %s\n" % self.connection.session_reused
            for k, v in self.headers.items():
                out += "%s: %s\n" % (k, v)
            return self.send(200, out.encode() + b"\n" + body, [("X-Echo-Multi", "a"), ("x-echo-multi", "b")])
        if u.path == "/slow":
            time.sleep(int(q.get("ms", "1000")) / 1000)
            return self.send(200, b"slow")
        if u.path == "/status":
            code = int(q.get("code", "200"))
            return self.send(code, b"status", reason=q.get("reason"))
        if u.path == "/redirect":
            n = int(q.get("n", "1"))
            if n <= 0:
                if "echo" in q:
                    return self.send(200, b"landed %s %d" % (self.command.encode(), len(body)))
                return self.send(200, b"landed")
            code = int(q.get("code", "302"))
            rest = "".join("&%s=%s" % (k, v) for k, v in q.items() if k != "n")
            return self.send(code, b"", [("Location", "/redirect?n=%d%s" % (n - 1, rest))])
        if u.path == "/gzip":
            data = b"hello gzip"
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                return self.send(200, gzip.compress(data), [("Content-Encoding", "gzip")])
            return self.send(200, data)
        if u.path == "/fault":
            return self.fault(q.get("mode", ""))
        if u.path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if u.path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            time.sleep(0.2)  # the client reads the bytes before the RST (else the kernel may drop them first)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if u.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(int(q.get("n", "3"))):
                data = b"chunk%d;" % i
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(data), data))
            self.wfile.write(b"0\r\nX-Trailer: t\r\n\r\n")
            return
        if u.path == "/split":
            pieces = [b"HTTP/1.1 200 OK\r\nX-Sp", b"lit: yes\r\nTransfer-Encoding: chunked\r\n", b"\r\n5\r",
                      b"\nhello\r\n6;x", b"=1\r\n world\r\n0\r\n", b"\r\n"]
            for p in pieces:
                self.wfile.write(p)
                self.wfile.flush()
                time.sleep(0.01)
            return
        if u.path == "/close":
            self.send_response(200)
            self.send_header("X-Framing", "close")
            self.end_headers()
            self.wfile.write(b"until close")
            self.close_connection = True
            return
        if u.path == "/drop":
            self.send(200, b"ok")
            self.close_connection = True
            return
        if u.path == "/gz":
            # gzip bytes whatever was asked: mode ok, bad (not gzip), cut (stops inside the stream), big (n x's);
            # enc is the Content-Encoding value sent.
            mode = q.get("mode", "ok")
            data = gzip.compress(b"x" * int(q.get("n", "100000")) if mode == "big" else b"hello gzip")
            if mode == "bad":
                data = b"not gzip at all"
            elif mode == "cut":
                data = data[:-6]
            return self.send(200, data, [("Content-Encoding", q.get("enc", "gzip"))])
        if u.path == "/second-dies":
            # The second request on a connection is read, then the connection closes without an answer.
            self.served = getattr(self, "served", 0) + 1
            if self.served >= 2:
                self.close_connection = True
                return
            return self.send(200, b"first")
        if u.path == "/vanish":
            # Removes the unix socket (later connects fail at once), then answers slowly and closes.
            if unix_path and os.path.exists(unix_path):
                os.unlink(unix_path)
            time.sleep(int(q.get("ms", "300")) / 1000)
            self.send(200, b"vanished", [("Connection", "close")])
            self.close_connection = True
            return
        if u.path == "/big":
            return self.send(200, b"x" * int(q.get("n", "100000")))
        if broken_if is not None:
            broken = os.path.exists(broken_if)
            return self.send(500 if broken else 200, b"broken\n" if broken else b"ok\n", [("Content-Type", "text/plain")])
        if root is not None:
            if self.command in ("GET", "HEAD"):
                return http.server.SimpleHTTPRequestHandler.do_GET(self) if self.command == "GET" else \
                    http.server.SimpleHTTPRequestHandler.do_HEAD(self)
            return self.send(404, b"no\n", [("Content-Type", "text/plain")])
        return self.send(200, b"ok", [("Content-Type", "text/plain")])

    def raw(self, data, then="close"):
        """Writes `data` as is, then closes the connection: with FIN (`close`), with RST (`reset`), or not at all."""
        if data:
            self.wfile.write(data)
            self.wfile.flush()
        if then == "reset":
            if data:
                time.sleep(0.2)  # what was sent is read before the RST (else the kernel may drop it first)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        self.close_connection = True

    def fault(self, mode):
        """The /fault modes (FAULT_MODES): what a hostile or broken server sends instead of a sound answer."""
        if mode == "close":  # reads the request, closes without a byte
            return self.raw(b"")
        if mode == "reset-before-headers":
            return self.raw(b"", then="reset")
        if mode == "reset-after-headers":  # headers promise 100 bytes, then RST
            return self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", then="reset")
        if mode == "short-body":  # 10 of the 100 bytes promised, then FIN
            return self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        if mode == "huge-length":  # past int63
            return self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n0123456789")
        if mode == "two-lengths":
            return self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n" + b"x" * 20)
        if mode == "bad-chunked":
            return self.raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
        if mode == "header-flood":  # one 1 MiB header line (Go takes up to 10 MiB of headers)
            return self.raw(b"HTTP/1.1 200 OK\r\nX-Flood: " + b"a" * (1 << 20) + b"\r\nContent-Length: 2\r\n\r\nok")
        if mode == "status-999":
            return self.raw(b"HTTP/1.1 999 Weird\r\nContent-Length: 2\r\n\r\nok")
        if mode == "status-abc":
            return self.raw(b"HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\nok")
        if mode == "redirect-loop":
            return self.send(302, b"", [("Location", "/fault?mode=redirect-loop")])
        if mode == "slow-body":  # 50 bytes promised, one every 100 ms
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n")
            self.wfile.flush()
            try:
                for _ in range(50):
                    time.sleep(0.1)
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass  # the client gave up (its -timeout)
            self.close_connection = True
            return
        if mode == "garbage":
            return self.raw(b"garbage\r\n")
        return self.send(400, b"unknown fault mode\n")

    def json_route(self, u, body):
        """The --json variants of /echo, /chunked, /redirect and /slow; False for any other path."""
        if u.path == "/echo":
            text = json.dumps({"method": self.command, "query": u.query, "body": body.decode(),
                               "content_type": self.headers.get("Content-Type"), "token": self.headers.get("X-Token")})
            self.send(200, text.encode(), [("Content-Type", "application/json")])
        elif u.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b'{"parts": ', b'[1, 2, 3]', b'}'):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif u.path == "/redirect":
            self.send(302, b"", [("Location", "/json")])
        elif u.path == "/slow":
            time.sleep(5)
            self.send(200, b"slow\n", [("Content-Type", "text/plain")])
        else:
            return False
        return True

    def fetch_route(self, u, body):
        """The --fetch variants of /echo, /status/N and /redirect/CODE; False for any other path."""
        if u.path == "/echo":
            headers = [[k, v] for k, v in self.headers.items()]
            text = json.dumps({"method": self.command, "path": self.path, "headers": headers, "body": body.decode()})
            self.send(200, text.encode(), [("Content-Type", "application/json"), ("X-Multi", "a"), ("X-Multi", "b")])
        elif u.path.startswith("/status/"):
            self.send(int(u.path.split("/")[2]), b"status\n", [("Content-Type", "text/plain")])
        elif u.path.startswith("/redirect/"):
            to = urllib.parse.parse_qs(u.query).get("to", [self.path])[0]
            self.send(int(u.path.split("/")[2]), b"", [("Content-Type", "text/plain"), ("Location", to)])
        else:
            return False
        return True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


class TCPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 512
    allow_reuse_address = True


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = self.socket.accept()
        return conn, ("unix", 0)


def option(name):
    """The value after `name` in argv, or None."""
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    global root, json_routes, broken_if, fetch_routes
    root = option("--root")
    json_routes = "--json" in sys.argv
    fetch_routes = "--fetch" in sys.argv
    broken_if = option("--broken-if")
    srv = TCPServer((option("--bind") or "127.0.0.1", 0), Handler)
    if "--tls" in sys.argv:
        import ssl
        i = sys.argv.index("--tls")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[i + 1], sys.argv[i + 2])
        ctx.set_alpn_protocols(["http/1.1"])
        if "--client-ca" in sys.argv:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(sys.argv[sys.argv.index("--client-ca") + 1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if "--unix" in sys.argv:
        global unix_path
        path = sys.argv[sys.argv.index("--unix") + 1]
        unix_path = path
        if os.path.exists(path):
            os.unlink(path)
        usrv = UnixServer(path, Handler)
        threading.Thread(target=usrv.serve_forever, daemon=True).start()
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
