#if canImport(Glibc)
    import Glibc
#endif

/// The one loopback test server (`Fixtures/server.py`; its docstring lists the routes and options) on a free port.
///
/// Started with `python3`; ready once it has printed the port it listens on. It stops when this object goes away
/// (killed) or the test process exits (its standard input closes). Sendable: every property is set once in `init`,
/// and the child process is only touched again by `deinit`.
public final class TestServer: @unchecked Sendable {
    public let process: ChildProcess
    public let port: Int
    public var base: String { "http://127.0.0.1:\(port)" }
    /// The same port's `https` URL (for a server started with `--tls`).
    public var https: String { "https://127.0.0.1:\(port)" }

    /// Starts the server; nil when it could not start.
    ///
    /// - Parameters:
    ///   - unixSocket: also serve on this unix socket path.
    ///   - extra: more options (`--tls CERT KEY` with an optional `--client-ca CA`, `--json`, `--fetch`,
    ///     `--root DIR`, `--broken-if FILE`, ...).
    public init?(unixSocket: String? = nil, extra: [String] = []) {
        var argv = ["python3", Paths.fixtures + "/server.py"] + extra
        if let unixSocket { argv += ["--unix", unixSocket] }
        // Its stderr (tracebacks of connections the tests cut on purpose) goes to a file that never fills up.
        guard let p = ChildProcess(argv, stderr: .file(makeTempDirectory() + "/server.stderr")) else { return nil }
        process = p
        guard let port = Int(p.readLine()) else { return nil }
        self.port = port
    }

    /// GET `path` with a raw HTTP/1.0 request; returns the body.
    public func get(_ path: String) -> String { TestServer.rawGet(port: port, path: path) }

    /// Repeats a raw GET until `until` accepts the body (a readiness wait, bounded to about 10 s).
    public static func rawGet(port: Int, path: String, until: (String) -> Bool) -> String {
        var last = ""
        for _ in 0..<500 {
            last = rawGet(port: port, path: path)
            if until(last) { return last }
            usleep(20_000)
        }
        return last
    }

    /// One raw HTTP/1.0 GET; the body, or "" when nothing answers.
    public static func rawGet(port: Int, path: String) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { return "" }
        let req = Array("GET \(path) HTTP/1.0\r\nHost: x\r\n\r\n".utf8)
        _ = req.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var all: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            all.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: all, as: UTF8.self)
        guard let range = text.firstRange(of: "\r\n\r\n") else { return "" }
        return String(text[range.upperBound...])
    }

    /// Hits the server counted (every path but /count).
    public var hits: Int { Int(get("/count")) ?? -1 }
}
