import BarrageCore
import CLinux
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `-prometheus-addr`: a tiny HTTP server that answers every request with the attack's metrics in
/// Prometheus text format, for the length of the attack.
///
/// Metrics (no labels): `request_seconds` histogram (Prometheus default buckets), `request_bytes_in`,
/// `request_bytes_out`, `request_fail_count`. Values are refreshed once a second from the writer's totals.
public final class PrometheusExporter: Sendable {
    private let listenFD: Int32
    private let stopFD: Int32
    private let latest = Mutex<AttackProgress>(AttackProgress())
    private let thread = Mutex<OSThread?>(nil)

    /// Listens on `host:port` (`:8880` means every interface).
    ///
    /// - Throws: `AttackError.prometheusAddress` when the address is bad or cannot be bound.
    public init(address: String) throws(AttackError) {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw .prometheusAddress("bad address \(address): want host:port")
        }
        var host = String(address[..<colon])
        if host.isEmpty { host = "0.0.0.0" }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else {
            close(fd)
            throw .prometheusAddress("bad address \(address): want an IPv4 host:port")
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let e = errno
            close(fd)
            throw .prometheusAddress("listen tcp \(address): bind: \(errnoText(.go, code: e))")
        }
        listenFD = fd
        stopFD = eventfd(0, Int32(EFD_CLOEXEC))
        let started = OSThread.spawn(name: "barrage-metrics") { [self] in serve() }
        thread.withLock { $0 = started }
    }

    /// Publishes new totals.
    public func update(_ p: AttackProgress) { latest.withLock { $0 = p } }

    /// Stops serving and closes the socket.
    public func stop() {
        var one: UInt64 = 1
        _ = write(stopFD, &one, 8)
        let t = thread.withLock { t -> OSThread? in
            defer { t = nil }
            return t
        }
        t?.join()
        close(listenFD)
        close(stopFD)
    }

    private func serve() {
        while true {
            var fds = [
                pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { return } }
            if fds[1].revents != 0 { return }
            let c = accept(listenFD, nil, nil)
            if c < 0 { continue }
            var buf = [UInt8](repeating: 0, count: 4096)
            var pfd = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 1000) > 0 { _ = buf.withUnsafeMutableBytes { read(c, $0.baseAddress, 4096) } }
            var text = render(latest.withLock { $0 })
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n"
            var all = head + text
            all.withUTF8 { b in
                var off = 0
                while off < b.count {
                    let n = write(c, b.baseAddress.map { $0 + off }, b.count - off)
                    if n <= 0 { break }
                    off += n
                }
            }
            text = ""
            close(c)
        }
    }

    func render(_ p: AttackProgress) -> String {
        var out = "# HELP request_seconds Request latency\n# TYPE request_seconds histogram\n"
        for le in [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] {
            out += "request_seconds_bucket{le=\"\(le)\"} \(p.count(atMost: Int64(le * 1e9)))\n"
        }
        out += "request_seconds_bucket{le=\"+Inf\"} \(p.requests)\n"
        out += "request_seconds_sum \(Double(p.latencySum) / 1e9)\nrequest_seconds_count \(p.requests)\n"
        out +=
            "# HELP request_bytes_in Bytes received\n# TYPE request_bytes_in counter\nrequest_bytes_in \(p.bytesIn)\n"
        out +=
            "# HELP request_bytes_out Bytes sent\n# TYPE request_bytes_out counter\nrequest_bytes_out \(p.bytesOut)\n"
        out += "# HELP request_fail_count Failed requests\n# TYPE request_fail_count counter\n"
        out += "request_fail_count \(p.requests - p.successes)\n"
        return out
    }
}
