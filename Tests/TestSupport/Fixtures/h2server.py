#!/usr/bin/env python3
"""A hostile HTTP/2 server for the transports' error tables (Debian's python3-h2, i.e. PyPI h2 4.x).

Listens on 127.0.0.1: cleartext HTTP/2 with prior knowledge (h2c; no Upgrade, no HTTP/1.x) always, and HTTP/2 over
TLS (ALPN h2 only) with --tls. Prints "H2C_PORT TLS_PORT" (TLS_PORT 0 without --tls) on the first stdout line once it
listens, then serves until its standard input closes (so it never outlives the test process) or it is killed.

Paths:
  /fault?mode=M  a hostile answer, one per mode (FAULT_MODES; each mode's comment below says what goes on the wire)
  /count         requests counted so far (every path but /count), as text
  anything else  200 "ok" (text/plain)
Options:
  --tls CERT KEY     also serves h2 over TLS on a second port
  --client-ca CA     the TLS port requires a client certificate signed by CA (OpenSSL refuses a client without one:
                     TLS 1.3 alert certificate_required after the client's Finished; TLS 1.2 handshake_failure)
  --tls-max 1.2      the TLS port offers TLS 1.2 at most
"""
import os
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

FAULT_MODES = ["close", "reset-before-headers", "goaway", "reset-after-headers", "short-body", "huge-length",
               "two-lengths", "header-flood", "status-999", "status-abc", "redirect-loop", "slow-body", "ok"]

lock = threading.Lock()
hits = 0


class Close(Exception):
    """Ends the connection: FIN after what is queued (no GOAWAY unless one was queued)."""


class Connection:
    """One client connection, served by its own thread: a select loop over the socket and the timers of slow bodies."""

    def __init__(self, sock):
        self.sock = sock
        config = h2.config.H2Configuration(client_side=False, header_encoding=None, validate_outbound_headers=False,
                                           normalize_outbound_headers=False)
        self.h2 = h2.connection.H2Connection(config=config)
        # No Huffman coding: pure-Python Huffman takes minutes over header-flood's 1 MiB field.
        encode = self.h2.encoder.encode
        self.h2.encoder.encode = lambda headers, huffman=True: encode(headers, huffman=False)
        self.timers = []  # (when, stream id, action)

    def flush(self):
        out = self.h2.data_to_send()
        if out:
            self.sock.sendall(out)

    def serve(self):
        try:
            self.h2.initiate_connection()
            self.flush()
            for _ in range(1_000_000):  # bounded; a test connection lives for a few requests
                pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0
                wait = 1.0
                if self.timers:
                    wait = max(0.0, min(t[0] for t in self.timers) - time.monotonic())
                if pending or select.select([self.sock], [], [], wait)[0]:
                    data = self.sock.recv(65536)
                    if not data:
                        return
                    for event in self.h2.receive_data(data):
                        self.handle(event)
                self.run_timers()
                self.flush()
        except Close:
            self.flush()
            self.finish()
        except (OSError, ssl.SSLError, h2.exceptions.ProtocolError) as e:
            print("connection ended: %r" % e, file=sys.stderr, flush=True)
        finally:
            try:
                self.sock.close()
            except OSError:
                pass

    def finish(self):
        """Sends FIN, then reads until the client closes (at most 2 s), so our close never turns into a RST."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                if select.select([self.sock], [], [], 0.1)[0] and not self.sock.recv(65536):
                    break
        except (OSError, ssl.SSLError):
            pass

    def run_timers(self):
        now = time.monotonic()
        due = [t for t in self.timers if t[0] <= now]
        self.timers = [t for t in self.timers if t[0] > now]
        for _, stream, action in due:
            action()

    def handle(self, event):
        global hits
        if isinstance(event, h2.events.RequestReceived):
            headers = dict(event.headers)
            path = headers.get(b":path", b"/").decode("latin-1")
            u = urllib.parse.urlsplit(path)
            if u.path != "/count":
                with lock:
                    hits += 1
            if u.path == "/count":
                with lock:
                    n = hits
                return self.respond(event.stream_id, b"200", [], str(n).encode())
            if u.path == "/fault":
                mode = urllib.parse.parse_qs(u.query).get("mode", [""])[0]
                return self.fault(event.stream_id, mode)
            return self.respond(event.stream_id, b"200", [], b"ok")
        if isinstance(event, h2.events.StreamReset):
            self.timers = [t for t in self.timers if t[1] != event.stream_id]
        if isinstance(event, h2.events.ConnectionTerminated):
            raise Close()

    def respond(self, stream, status, headers, body, length=None):
        """HEADERS (:status, then content-length unless `length` says otherwise, then `headers`) and one DATA frame
        with END_STREAM (HEADERS alone with END_STREAM when the body is empty)."""
        length = str(len(body)).encode() if length is None else length
        fields = [(b":status", status), (b"content-type", b"text/plain")]
        if length is not False:
            fields.append((b"content-length", length))
        self.h2.send_headers(stream, fields + headers, end_stream=not body)
        if body:
            self.h2.send_data(stream, body, end_stream=True)

    def fault(self, stream, mode):
        """The /fault modes (FAULT_MODES): what a hostile or broken HTTP/2 server sends instead of a sound answer."""
        if mode == "close":  # reads the request, then FIN: no GOAWAY, no frame for the stream
            raise Close()
        if mode == "reset-before-headers":  # RST_STREAM INTERNAL_ERROR (2) instead of an answer; the conn stays up
            return self.h2.reset_stream(stream, h2.errors.ErrorCodes.INTERNAL_ERROR)
        if mode == "goaway":  # GOAWAY (last stream = this one, NO_ERROR, debug data), then FIN, unanswered
            self.h2.close_connection(error_code=h2.errors.ErrorCodes.NO_ERROR, additional_data=b"fault goaway",
                                     last_stream_id=stream)
            raise Close()
        if mode == "reset-after-headers":  # HEADERS promising 100 bytes, then RST_STREAM INTERNAL_ERROR
            self.h2.send_headers(stream, [(b":status", b"200"), (b"content-length", b"100")])
            return self.h2.reset_stream(stream, h2.errors.ErrorCodes.INTERNAL_ERROR)
        if mode == "short-body":  # 10 of the 100 bytes promised, then END_STREAM
            return self.respond(stream, b"200", [], b"0123456789", length=b"100")
        if mode == "huge-length":  # content-length past int63, 10 bytes, END_STREAM
            return self.respond(stream, b"200", [], b"0123456789", length=b"99999999999999999999")
        if mode == "two-lengths":  # content-length 10 and content-length 20, then 20 bytes
            return self.respond(stream, b"200", [(b"content-length", b"20")], b"x" * 20, length=b"10")
        if mode == "header-flood":  # one 1 MiB header field (HEADERS + CONTINUATION frames; Go takes 10 MiB)
            return self.respond(stream, b"200", [(b"x-flood", b"a" * (1 << 20))], b"ok")
        if mode == "status-999":
            return self.respond(stream, b"999", [], b"ok")
        if mode == "status-abc":  # ":status abc"
            return self.respond(stream, b"abc", [], b"ok")
        if mode == "redirect-loop":  # 302 to itself, forever
            return self.respond(stream, b"302", [(b"location", b"/fault?mode=redirect-loop")], b"")
        if mode == "slow-body":  # 50 bytes promised, one every 100 ms (stops if the client resets the stream)
            self.h2.send_headers(stream, [(b":status", b"200"), (b"content-length", b"50")])
            for i in range(50):
                last = i == 49

                def send(last=last):
                    try:
                        self.h2.send_data(stream, b"x", end_stream=last)
                    except h2.exceptions.StreamClosedError:
                        pass

                self.timers.append((time.monotonic() + 0.1 * (i + 1), stream, send))
            return
        if mode == "ok":
            return self.respond(stream, b"200", [], b"ok")
        return self.respond(stream, b"400", [], b"unknown fault mode\n")


def accept_loop(listener, context):
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=serve_one, args=(sock, context), daemon=True).start()


def serve_one(sock, context):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if context is not None:
        try:
            sock.settimeout(10)
            sock = context.wrap_socket(sock, server_side=True)
            sock.settimeout(None)
        except (OSError, ssl.SSLError):
            sock.close()
            return
    Connection(sock).serve()


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(128)
    return s


def main(argv):
    tls = client_ca = tls_max = None
    i = 0
    while i < len(argv):
        if argv[i] == "--tls":
            tls = (argv[i + 1], argv[i + 2])
            i += 3
        elif argv[i] == "--client-ca":
            client_ca = argv[i + 1]
            i += 2
        elif argv[i] == "--tls-max":
            tls_max = argv[i + 1]
            i += 2
        else:
            sys.exit("unknown option " + argv[i])
    plain = listen()
    threading.Thread(target=accept_loop, args=(plain, None), daemon=True).start()
    tls_port = 0
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        context.set_alpn_protocols(["h2"])
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        if tls_max == "1.2":
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        secure = listen()
        tls_port = secure.getsockname()[1]
        threading.Thread(target=accept_loop, args=(secure, context), daemon=True).start()
    print(plain.getsockname()[1], tls_port, flush=True)
    # Serve until stdin closes: the test process went away.
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
