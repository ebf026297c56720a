"""The system under test for the chaos report tests: a tiny HTTP server on 127.0.0.1.

GET / answers 200 "ok" unless the file named by argv[1] exists, in which case it answers 500 (the "broken"
state an experiment's action switches on by creating that file). The port, chosen by the kernel, is printed on
the first line of stdout. Exits when its standard input closes, so it never outlives the test process.
"""
import http.server, os, sys, threading

flag = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        broken = os.path.exists(flag)
        body = b"broken\n" if broken else b"ok\n"
        self.send_response(500 if broken else 200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
