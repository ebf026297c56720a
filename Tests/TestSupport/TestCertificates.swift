#if canImport(Glibc)
    import Glibc
#endif

/// The test suite's one throw-away PKI, made with the `openssl` CLI in a fresh temporary directory (EC P-256 keys,
/// valid for two days from now unless said otherwise):
///
/// | file | what | signed by |
/// |---|---|---|
/// | `ca` | the test CA (`CN=barrage-test-ca`) | itself |
/// | `serverCert`/`serverKey` | the server: SANs `IP:127.0.0.1`, `IP:::1`, `DNS:localhost` | `ca` |
/// | `clientCert`/`clientKey` | a client (`CN=barrage-client`, clientAuth) | `ca` |
/// | `otherCA` | an unrelated CA (`CN=barrage-other-ca`) nobody trusts | itself |
/// | `otherServerCert`/`otherServerKey` | the server's names, from the wrong CA ("unknown authority") | `otherCA` |
/// | `expiredServerCert`/`expiredServerKey` | the server's names, valid 2020-01-01T00:00:00Z to 2020-01-02T00:00:00Z | `ca` |
/// | `wrongHostServerCert`/`wrongHostServerKey` | SANs `DNS:wrong.example`, `IP:127.0.0.2` only | `ca` |
/// | `selfSignedCert`/`selfSignedKey` | `CN=127.0.0.1`, no SAN | itself |
public struct TestCertificates: Sendable {
    public let dir: String
    /// The test CA's certificate (what `-root-certs` or `curl --cacert` trust).
    public var ca: String { dir + "/ca.pem" }
    public var serverCert: String { dir + "/server.pem" }
    public var serverKey: String { dir + "/server.key" }
    public var clientCert: String { dir + "/client.pem" }
    public var clientKey: String { dir + "/client.key" }
    /// Client certificate and key in one file (vegeta's -cert without -key).
    public var clientCombined: String { dir + "/client-both.pem" }
    /// A second CA, unrelated to `ca`.
    public var otherCA: String { dir + "/other-ca.pem" }
    public var otherServerCert: String { dir + "/other-server.pem" }
    public var otherServerKey: String { dir + "/other-server.key" }
    public var expiredServerCert: String { dir + "/expired.pem" }
    public var expiredServerKey: String { dir + "/expired.key" }
    /// The expired certificate's notAfter as Go prints it (RFC 3339).
    public static let expiredNotAfter = "2020-01-02T00:00:00Z"
    public var wrongHostServerCert: String { dir + "/wrong-host.pem" }
    public var wrongHostServerKey: String { dir + "/wrong-host.key" }
    /// The names the wrong-host certificate is for, as Go lists them: its IP SANs, then its DNS SANs.
    public static let wrongHostIPs = "127.0.0.2"
    public static let wrongHostNames = "wrong.example"
    public var selfSignedCert: String { dir + "/self.pem" }
    public var selfSignedKey: String { dir + "/self.key" }

    /// Whether `openssl` is installed where the helper runs it.
    public static var hasOpenSSL: Bool { access("/usr/bin/openssl", X_OK) == 0 }

    /// One set for the whole test process (made on first use; key generation is the slow part); nil when it could
    /// not be made.
    public static let shared = TestCertificates()

    /// Makes a fresh set in a new temporary directory; nil when `openssl` failed.
    public init?() {
        dir = makeTempDirectory()
        guard let p = ChildProcess(["sh", "-c", TestCertificates.script(dir)], stdout: .file("/dev/null")) else {
            return nil
        }
        p.closeStdin()
        guard p.finish().status == 0 else { return nil }
    }

    /// The shell script that makes every file in `dir`.
    private static func script(_ dir: String) -> String {
        """
        set -e
        cd '\(dir)'
        KEY="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        openssl req -x509 $KEY -keyout ca.key -out ca.pem -days 2 -subj /CN=barrage-test-ca 2>/dev/null
        openssl req -x509 $KEY -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=barrage-other-ca 2>/dev/null
        openssl req -x509 $KEY -keyout self.key -out self.pem -days 2 -subj /CN=127.0.0.1 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > server.ext
        printf 'subjectAltName=DNS:wrong.example,IP:127.0.0.2\\nextendedKeyUsage=serverAuth\\n' > wrong.ext
        printf 'extendedKeyUsage=clientAuth\\n' > client.ext
        sign() {  # name subject ca extensions
          openssl req $KEY -keyout $1.key -out $1.csr -subj "$2" 2>/dev/null
          openssl x509 -req -in $1.csr -CA $3.pem -CAkey $3.key -CAcreateserial -out $1.pem -days 2 -extfile $4 \\
            2>/dev/null
        }
        sign server /CN=127.0.0.1 ca server.ext
        sign client /CN=barrage-client ca client.ext
        sign wrong-host /CN=wrong.example ca wrong.ext
        sign other-server /CN=127.0.0.1 other-ca server.ext
        cat client.pem client.key > client-both.pem
        # The expired one: `openssl ca` is the CLI that takes fixed start and end dates.
        mkdir ca-db
        : > ca-db/index.txt
        echo 1000 > ca-db/serial
        printf '%s\\n' '[ca]' 'default_ca = test' '[test]' 'database = ca-db/index.txt' 'serial = ca-db/serial' \\
          'new_certs_dir = ca-db' 'default_md = sha256' 'policy = any' '[any]' 'commonName = supplied' '[ext]' \\
          'subjectAltName = IP:127.0.0.1,IP:::1,DNS:localhost' 'extendedKeyUsage = serverAuth' > ca.cnf
        openssl req $KEY -keyout expired.key -out expired.csr -subj /CN=127.0.0.1 2>/dev/null
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -extensions ext -notext \\
          -startdate 20200101000000Z -enddate 20200102000000Z -in expired.csr -out expired.pem 2>/dev/null
        """
    }
}
