"""A tiny HTTP server for the chaos end-to-end tests.

Serves files from the directory given as argv[1] on 127.0.0.1 (port chosen by the kernel, printed on the first
line of stdout), plus a few endpoints: /json (application/json), /status/N, /slow, /echo. Exits when its
standard input closes, so it never outlives the test process.
"""
import http.server, json, os, sys, threading, time, urllib.parse

root = sys.argv[1]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=root, **kw)

    def log_message(self, *args):
        pass

    def _send(self, status, body, ctype):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _special(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/json":
            self._send(200, json.dumps({"items": [1, 2], "error": None, "name": "barrage"}), "application/json")
        elif url.path.startswith("/status/"):
            self._send(int(url.path.split("/")[2]), "status page\n", "text/plain")
        elif url.path == "/slow":
            time.sleep(5)
            self._send(200, "slow\n", "text/plain")
        elif url.path == "/echo":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            self._send(200, json.dumps({"method": self.command, "query": url.query, "body": body,
                                        "content_type": self.headers.get("Content-Type"),
                                        "token": self.headers.get("X-Token")}), "application/json")
        elif url.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b'{"parts": ', b'[1, 2, 3]', b'}'):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/json")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            return False
        return True

    def do_GET(self):
        if not self._special():
            super().do_GET()

    def do_POST(self):
        if not self._special():
            self._send(404, "no\n", "text/plain")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
os._exit(0)
