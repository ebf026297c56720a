import Fetch
import Foundation
import TestSupport
import Testing

@Suite("Fetch over https", .timeLimit(.minutes(3)), .enabled(if: fetchToolsInstalled))
struct TLSTests {
    @Test("verified with a CA file and with CA bytes in memory")
    func verifiedWithCA() throws {
        let m = try #require(TestCertificates.shared)
        let server = try fetchServer(certificate: m.serverCert, key: m.serverKey)
        defer { withExtendedLifetime(server) {} }
        for ca in [FetchTLS.Source.file(m.ca), .pem(try fileBytes(m.ca))] {
            let response = try FetchClient.send(
                FetchRequest(url: server.https + "/echo", tls: FetchTLS(certificateAuthority: ca)))
            #expect(response.status == 200)
            #expect(try Echo(response).method == "GET")
        }
    }

    @Test("verify off accepts a self-signed certificate")
    func unverified() throws {
        let m = try #require(TestCertificates.shared)
        let server = try fetchServer(certificate: m.selfSignedCert, key: m.selfSignedKey)
        defer { withExtendedLifetime(server) {} }
        let response = try FetchClient.send(FetchRequest(url: server.https + "/echo", tls: FetchTLS(verify: false)))
        #expect(response.status == 200)
    }

    @Test("an untrusted certificate fails with requests' SSLError text")
    func untrusted() throws {
        let m = try #require(TestCertificates.shared)
        let server = try fetchServer(certificate: m.selfSignedCert, key: m.selfSignedKey)
        defer { withExtendedLifetime(server) {} }
        let url = server.https + "/echo?x=1"
        let error = fetchError { try FetchClient.send(FetchRequest(url: url)) }
        #expect(
            error?.description
                == "failed to connect to \(url): HTTPSConnectionPool(host='127.0.0.1', port=\(server.port)): Max retries "
                + "exceeded with url: /echo?x=1 (Caused by SSLError(SSLCertVerificationError(1, '[SSL: "
                + "CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')))")
    }

    @Test("a certificate for another name fails with requests' mismatch text")
    func nameMismatch() throws {
        let m = try #require(TestCertificates.shared)
        let server = try fetchServer(certificate: m.wrongHostServerCert, key: m.wrongHostServerKey)
        defer { withExtendedLifetime(server) {} }
        let url = "https://localhost:\(server.port)/"
        let error = fetchError {
            try FetchClient.send(FetchRequest(url: url, tls: FetchTLS(certificateAuthority: .file(m.ca))))
        }
        #expect(
            error?.description
                == "failed to connect to \(url): HTTPSConnectionPool(host='localhost', port=\(server.port)): Max retries "
                + "exceeded with url: / (Caused by SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] "
                + "certificate verify failed: Hostname mismatch, certificate is not valid for 'localhost'. (_ssl.c:1006)\")))"
        )
    }

    @Test("https to a plain http port is requests' wrong version number")
    func plainPort() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let url = "https://127.0.0.1:\(server.port)/echo"
        let error = fetchError { try FetchClient.send(FetchRequest(url: url, tls: FetchTLS(verify: false))) }
        #expect(
            error?.description
                == "failed to connect to \(url): HTTPSConnectionPool(host='127.0.0.1', port=\(server.port)): Max retries "
                + "exceeded with url: /echo (Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version "
                + "number (_ssl.c:1006)')))")
    }

    @Test("a server that requires a client certificate: from files, from memory, and without one")
    func clientCertificate() throws {
        let m = try #require(TestCertificates.shared)
        let server = try fetchServer(certificate: m.serverCert, key: m.serverKey, clientCA: m.ca)
        defer { withExtendedLifetime(server) {} }
        let ca = FetchTLS.Source.file(m.ca)
        let sources: [(FetchTLS.Source, FetchTLS.Source)] = [
            (.file(m.clientCert), .file(m.clientKey)),
            (.pem(try fileBytes(m.clientCert)), .pem(try fileBytes(m.clientKey))),
        ]
        for (certificate, key) in sources {
            let tls = FetchTLS(certificateAuthority: ca, clientCertificate: certificate, clientKey: key)
            #expect(try FetchClient.send(FetchRequest(url: server.https + "/echo", tls: tls)).status == 200)
        }
        let refused = fetchError {
            try FetchClient.send(FetchRequest(url: server.https + "/echo", tls: FetchTLS(certificateAuthority: ca)))
        }
        guard case .connection(_, let reason, _, _)? = refused else {
            Issue.record("expected a connection error, got \(String(describing: refused))")
            return
        }
        // Under TLS 1.3 the server checks the certificate after the client has finished its handshake and sent the
        // request: its refusal arrives either as a TLS alert (SSLError) or, when the request was already on the wire,
        // as a reset (requests then says "Connection aborted."), depending on timing; Python's requests sees the same.
        let prefix = "HTTPSConnectionPool(host='127.0.0.1', port=\(server.port)): Max retries exceeded with url: /echo "
        #expect(
            reason.hasPrefix(prefix + "(Caused by SSLError(")
                || reason == "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
            "\(reason)")
    }

    @Test("missing certificate files are requests' OSError before connecting")
    func missingFiles() throws {
        let url = "https://127.0.0.1:1/"
        let cases: [(FetchTLS, String)] = [
            (
                FetchTLS(certificateAuthority: .file("/nonexistent/ca.pem")),
                "OSError: Could not find a suitable TLS CA certificate bundle, invalid path: /nonexistent/ca.pem"
            ),
            (
                FetchTLS(clientCertificate: .file("/nonexistent/c.pem")),
                "OSError: Could not find the TLS certificate file, invalid path: /nonexistent/c.pem"
            ),
            (
                FetchTLS(clientKey: .file("/nonexistent/k.pem")),
                "OSError: Could not find the TLS key file, invalid path: /nonexistent/k.pem"
            ),
        ]
        for (tls, text) in cases {
            #expect(fetchError { try FetchClient.send(FetchRequest(url: url, tls: tls)) }?.description == text)
        }
    }
}
