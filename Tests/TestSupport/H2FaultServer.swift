#if canImport(Glibc)
    import Glibc
#endif

/// The hostile HTTP/2 server (`Fixtures/h2server.py`, on Debian's python3-h2; its docstring lists the routes and
/// options) on free 127.0.0.1 ports: h2c with prior knowledge always, and h2 over TLS (ALPN h2 only) when given a
/// certificate.
///
/// `/fault?mode=M` answers with one of `modes` (what each puts on the wire is commented in the script); any other
/// path answers 200 "ok". Runs `/usr/bin/python3` (the interpreter Debian's python3-h2 installs for). It stops when
/// this object goes away (killed) or the test process exits (its standard input closes).
public final class H2FaultServer: @unchecked Sendable {
    public let process: ChildProcess
    /// Cleartext HTTP/2 with prior knowledge.
    public let h2cPort: Int
    /// HTTP/2 over TLS; 0 when started without a certificate.
    public let tlsPort: Int
    public var h2c: String { "http://127.0.0.1:\(h2cPort)" }
    public var tls: String { "https://127.0.0.1:\(tlsPort)" }

    /// The `/fault` modes, in the order of `h2FaultCases`.
    public static let modes = [
        "close", "reset-before-headers", "goaway", "reset-after-headers", "short-body", "huge-length", "two-lengths",
        "header-flood", "status-999", "status-abc", "redirect-loop", "slow-body", "ok",
    ]

    /// Whether `/usr/bin/python3` can import h2 (`make deps-test` installs python3-h2).
    public static let available: Bool = {
        guard let p = ChildProcess(["/usr/bin/python3", "-c", "import h2"], stdout: .file("/dev/null")) else {
            return false
        }
        p.closeStdin()
        return p.finish().status == 0
    }()

    /// Starts the server; nil when it could not start.
    ///
    /// - Parameters:
    ///   - certificate: the TLS port's certificate (with `key`); no TLS port when nil.
    ///   - key: its private key.
    ///   - clientCA: the TLS port requires a client certificate signed by this CA.
    ///   - tlsMax12: the TLS port offers TLS 1.2 at most (a missing client certificate then fails the handshake
    ///     itself, with a handshake_failure alert, instead of an alert after the client's Finished).
    public init?(certificate: String? = nil, key: String? = nil, clientCA: String? = nil, tlsMax12: Bool = false) {
        var argv = ["/usr/bin/python3", Paths.fixtures + "/h2server.py"]
        if let certificate, let key { argv += ["--tls", certificate, key] }
        if let clientCA { argv += ["--client-ca", clientCA] }
        if tlsMax12 { argv += ["--tls-max", "1.2"] }
        guard let p = ChildProcess(argv, stderr: .file(makeTempDirectory() + "/h2server.stderr")) else { return nil }
        process = p
        let ports = p.readLine().split(separator: " ").compactMap { Int($0) }
        guard ports.count == 2 else { return nil }
        h2cPort = ports[0]
        tlsPort = ports[1]
    }
}
