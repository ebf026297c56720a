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

/// Whether the tools these tests run are installed: python3 for the test server, openssl for `TestCertificates`.
let fetchToolsInstalled =
    TestCertificates.hasOpenSSL && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

/// A file's bytes.
func fileBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
