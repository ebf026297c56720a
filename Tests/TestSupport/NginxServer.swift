#if canImport(Glibc)
    import Glibc
#endif

/// nginx (Debian's nginx-light: ssl, http_v2 and stub_status modules) on free 127.0.0.1 ports, in its own
/// temporary prefix, one process (`master_process off`), for the TLS and HTTP/2 tests.
///
/// Listeners, all serving the same routes:
///
/// | port | speaks |
/// |---|---|
/// | `httpPort` | plain HTTP/1.1 |
/// | `tlsH2Port` | TLS; ALPN h2, falling back to http/1.1 |
/// | `tlsH1Port` | TLS; http/1.1 only (no h2 in ALPN) |
/// | `h2cPort` | cleartext HTTP/2 with prior knowledge only (h2c; no `Upgrade:`, no HTTP/1.x) |
/// | `mtlsPort` | TLS with ALPN h2 and http/1.1, and a client certificate from `certificates.ca` required: nginx finishes the handshake without one and then answers 400 "No required SSL certificate was sent" |
///
/// Routes: `/` is `body` (`hello, world\n`, 13 bytes, text/html); `/status` is nginx's stub_status (see
/// `requestsServed`); `/proto` answers 200 text/plain `Self.protoPattern`, e.g.
/// `proto=HTTP/2.0 http2=h2 tls=TLSv1.3 alpn=h2 reused=. client=NONE sni= conn=3` (`reused=r` on a resumed TLS session;
/// `http2=h2c` on the h2c port; empty `tls=` and `alpn=` on plain ports). Every answer carries `X-Proto:
/// $server_protocol`, and TLS ones `X-TLS-Reused: r` or `.`. Sessions resume with tickets and with a session cache.
///
/// It stops (SIGTERM) when this object goes away or when the test process exits: nginx runs under a small shell
/// that holds a pipe from the test process and ends nginx when that pipe closes.
public final class NginxServer: @unchecked Sendable {
    public let certificates: TestCertificates
    /// The prefix directory: `nginx.conf`, `error.log`, `html/`.
    public let prefix: String
    public let httpPort: Int
    public let tlsH2Port: Int
    public let tlsH1Port: Int
    public let h2cPort: Int
    public let mtlsPort: Int
    private let process: ChildProcess

    /// The static body of `/`.
    public static let body = "hello, world\n"
    /// What `/proto` answers: nginx variables.
    public static let protoPattern =
        "proto=$server_protocol http2=$http2 tls=$ssl_protocol alpn=$ssl_alpn_protocol reused=$ssl_session_reused"
        + " client=$ssl_client_verify sni=$ssl_server_name conn=$connection\n"

    /// Whether nginx is installed.
    public static var available: Bool { access("/usr/sbin/nginx", X_OK) == 0 }

    public var http: String { "http://127.0.0.1:\(httpPort)" }
    public var tlsH2: String { "https://127.0.0.1:\(tlsH2Port)" }
    public var tlsH1: String { "https://127.0.0.1:\(tlsH1Port)" }
    public var h2c: String { "http://127.0.0.1:\(h2cPort)" }
    public var mtls: String { "https://127.0.0.1:\(mtlsPort)" }

    /// Starts nginx; nil when it could not (no nginx, or no free ports after three tries).
    ///
    /// - Parameter certs: the PKI whose `serverCert` the TLS listeners present and whose `ca` `mtlsPort` trusts
    ///   for client certificates; `TestCertificates.shared` when nil.
    public init?(certs: TestCertificates? = nil) {
        guard NginxServer.available, let certs = certs ?? TestCertificates.shared else { return nil }
        certificates = certs
        prefix = makeTempDirectory()
        chmod(prefix, 0o755)
        mkdir(prefix + "/html", 0o755)
        mkdir(prefix + "/tmp", 0o755)
        writeFile(prefix + "/html/index.html", NginxServer.body)
        // A port found free may be taken before nginx binds it: then nginx exits, and we try new ones.
        var started: (ports: [Int], process: ChildProcess)?
        for _ in 0..<3 where started == nil {
            let ports = (0..<5).map { _ in freeLoopbackPort() }
            guard Set(ports).count == 5, !ports.contains(0) else { continue }
            writeFile(prefix + "/nginx.conf", NginxServer.config(prefix: prefix, certs: certs, ports: ports))
            let script = """
                /usr/sbin/nginx -p '\(prefix)' -c '\(prefix)/nginx.conf' -e '\(prefix)/error.log' & n=$!
                cat >/dev/null
                kill $n
                wait $n
                """
            guard let p = ChildProcess(["sh", "-c", script], stdout: .file("/dev/null"), stderr: .file("/dev/null"))
            else { return nil }
            if NginxServer.waitReady(ports) {
                started = (ports, p)
            } else {
                p.closeStdin()
                p.wait()
            }
        }
        guard let started else { return nil }
        process = started.process
        httpPort = started.ports[0]
        tlsH2Port = started.ports[1]
        tlsH1Port = started.ports[2]
        h2cPort = started.ports[3]
        mtlsPort = started.ports[4]
    }

    deinit {
        process.closeStdin()
        process.wait()
    }

    /// Requests nginx has handled so far, on every listener (stub_status's third counter; the read itself
    /// counts as one); nil when the status page did not answer.
    public func requestsServed() -> Int? {
        let text = TestServer.rawGet(port: httpPort, path: "/status")
        // "Active connections: 1 \nserver accepts handled requests\n 5 5 7 \nReading: ..."
        let lines = text.split(separator: "\n")
        guard lines.count >= 3 else { return nil }
        let counters = lines[2].split(separator: " ")
        return counters.count == 3 ? Int(counters[2]) : nil
    }

    /// Connections nginx has accepted so far, on every listener (stub_status's first counter; the read itself
    /// counts as one); nil when the status page did not answer.
    public func connectionsAccepted() -> Int? {
        let lines = TestServer.rawGet(port: httpPort, path: "/status").split(separator: "\n")
        guard lines.count >= 3 else { return nil }
        let counters = lines[2].split(separator: " ")
        return counters.count == 3 ? Int(counters[0]) : nil
    }

    /// True once every port accepts connections (bounded: about 10 s).
    private static func waitReady(_ ports: [Int]) -> Bool {
        for _ in 0..<500 {
            if ports.allSatisfy(canConnectLoopback) { return true }
            usleep(20_000)
        }
        return false
    }

    /// The configuration for ports [http, tls+h2, tls, h2c, mtls].
    private static func config(prefix: String, certs: TestCertificates, ports: [Int]) -> String {
        let routes = """
                    root \(prefix)/html;
                    add_header X-Proto $server_protocol always;
                    location = /status { stub_status; }
                    location = /proto { default_type text/plain; return 200 "\(protoPattern.replacing("\n", with: "\\n"))"; }
            """
        let tls = """
                    ssl_certificate \(certs.serverCert);
                    ssl_certificate_key \(certs.serverKey);
                    add_header X-TLS-Reused $ssl_session_reused always;
            """
        return """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                keepalive_requests 1000000;
                client_body_temp_path \(prefix)/tmp; proxy_temp_path \(prefix)/tmp; fastcgi_temp_path \(prefix)/tmp;
                uwsgi_temp_path \(prefix)/tmp; scgi_temp_path \(prefix)/tmp;
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_session_cache shared:TLS:1m;
                ssl_session_tickets on;
                server {
                    listen 127.0.0.1:\(ports[0]);
            \(routes)
                }
                server {
                    listen 127.0.0.1:\(ports[1]) ssl http2;
            \(tls)
            \(routes)
                }
                server {
                    listen 127.0.0.1:\(ports[2]) ssl;
            \(tls)
            \(routes)
                }
                server {
                    listen 127.0.0.1:\(ports[3]) http2;
            \(routes)
                }
                server {
                    listen 127.0.0.1:\(ports[4]) ssl http2;
            \(tls)
                    ssl_client_certificate \(certs.ca);
                    ssl_verify_client on;
            \(routes)
                }
            }
            """
    }
}

/// A port that was free on 127.0.0.1 a moment ago (bound to port 0, then closed); 0 when none could be had.
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
            guard bind(fd, p, len) == 0 else { return -1 }
            return getsockname(fd, p, &len)
        }
    }
    return rc == 0 ? Int(UInt16(bigEndian: addr.sin_port)) : 0
}

/// Whether a TCP connection to 127.0.0.1:`port` is accepted.
public func canConnectLoopback(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    } == 0
}
