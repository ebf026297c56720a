#if canImport(Glibc)
    import Glibc
#endif

/// A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI.
public struct TestCertificates: Sendable {
    public let dir: String
    public var ca: String { dir + "/ca.pem" }
    public var serverCert: String { dir + "/srv.pem" }
    public var serverKey: String { dir + "/srv.key" }
    public var clientCert: String { dir + "/cli.pem" }
    public var clientKey: String { dir + "/cli.key" }
    /// Client certificate and key in one file (vegeta's -cert without -key).
    public var clientCombined: String { dir + "/cli-both.pem" }

    public init?() {
        dir = makeTempDirectory()
        let script = """
            set -e
            cd '\(dir)'
            KEY="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
            openssl req -x509 $KEY -keyout ca.key -out ca.pem -days 1 -subj /CN=barrage-test-ca 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
            openssl req $KEY -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 2>/dev/null
            openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 1 -extfile san.ext 2>/dev/null
            openssl req $KEY -keyout cli.key -out cli.csr -subj /CN=client 2>/dev/null
            openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cli.pem -days 1 2>/dev/null
            cat cli.pem cli.key > cli-both.pem
            """
        guard let p = ChildProcess(["sh", "-c", script]) else { return nil }
        p.closeStdin()
        guard p.finish().status == 0 else { return nil }
    }
}
