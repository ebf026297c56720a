import Foundation
import TestSupport
import Testing

/// The one test server (`TestServer`) with the Fetch tests' routes (`--fetch`): HTTP, or HTTPS with the given
/// certificate (and a required client certificate when `clientCA` is set). It stops when the test lets it go.
func fetchServer(certificate: String? = nil, key: String? = nil, clientCA: String? = nil) throws -> TestServer {
    var extra = ["--fetch"]
    if let certificate, let key { extra += ["--tls", certificate, key] }
    if let clientCA { extra += ["--client-ca", clientCA] }
    return try #require(TestServer(extra: extra))
}

extension TestServer {
    /// The server's `http` URL.
    var http: String { base }
}

/// Certificates made by `openssl` for the tests: a CA, a server certificate it signed (for 127.0.0.1 only), a
/// client certificate it signed, and a self-signed server certificate nobody trusts.
struct TLSMaterial: Sendable {
    let directory: String
    var ca: String { directory + "/ca.pem" }
    var serverCertificate: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }
    var clientCertificate: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }
    var selfSigned: String { directory + "/self.pem" }
    var selfSignedKey: String { directory + "/self.key" }

    static let hasTools =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    /// Makes a fresh set in a new temporary directory.
    static func make() throws -> TLSMaterial {
        let dir = try Run.temporaryDirectory()
        let m = TLSMaterial(directory: dir)
        let days = ["-days", "2"]
        try openssl(
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/ca.key", "-out", m.ca, "-subj",
                "/CN=Fetch Test CA",
            ] + days)
        try openssl(
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", m.selfSignedKey, "-out", m.selfSigned,
                "-subj", "/CN=127.0.0.1",
            ] + days)
        try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: dir + "/server.ext"))
        try Data("extendedKeyUsage=clientAuth\n".utf8).write(to: URL(fileURLWithPath: dir + "/client.ext"))
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=fetch-client")] {
            try openssl([
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).csr",
                "-subj", subject,
            ])
            try openssl(
                [
                    "x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", m.ca, "-CAkey", dir + "/ca.key",
                    "-CAcreateserial",
                    "-out", "\(dir)/\(name).pem", "-extfile", "\(dir)/\(name).ext",
                ] + days)
        }
        return m
    }

    private static func openssl(_ arguments: [String]) throws {
        let out = try Run.process("/usr/bin/openssl", arguments)
        guard out.status == 0 else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments): \(out.stderr)"])
        }
    }

    /// A file's bytes.
    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
}
