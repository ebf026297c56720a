"""The FetchTests server: HTTP, or HTTPS when given a certificate, on 127.0.0.1 (port chosen by the kernel and
printed on the first line of stdout). Exits when its standard input closes, so it never outlives the test.

usage: fetch_server.py [--cert cert.pem --key key.pem [--client-ca ca.pem]]
  --client-ca  require a client certificate signed by that CA

Endpoints: /echo (JSON: method, path, headers, body), /redirect/CODE?to=URL (to itself without `to`), /slow (answers after 30 s unless the
client goes away), /status/N.
"""
import argparse, http.server, json, os, ssl, sys, threading, time, urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--client-ca")
args = parser.parse_args()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def _send(self, status, body, ctype="text/plain", extra=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self):
        url = urllib.parse.urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if url.path == "/echo":
            headers = [[k, v] for k, v in self.headers.items()]
            self._send(200, json.dumps({"method": self.command, "path": self.path, "headers": headers,
                                        "body": body}), "application/json", [("X-Multi", "a"), ("X-Multi", "b")])
        elif url.path.startswith("/redirect/"):
            to = urllib.parse.parse_qs(url.query).get("to", [self.path])[0]
            self._send(int(url.path.split("/")[2]), "", extra=[("Location", to)])
        elif url.path == "/slow":
            time.sleep(30)
            self._send(200, "slow\n")
        elif url.path.startswith("/status/"):
            self._send(int(url.path.split("/")[2]), "status\n")
        else:
            self._send(404, "not found\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if args.cert:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(args.client_ca)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
os._exit(0)
