import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The TLS and HTTP/2 fixtures themselves, checked with the curl and openssl CLIs (not with barrage): the test PKI
/// and `NginxServer`'s listeners.
@Suite(
    "TLS and HTTP/2 fixtures (curl, openssl)", .serialized, .timeLimit(.minutes(1)),
    .enabled(if: TestCertificates.hasOpenSSL && access("/usr/bin/curl", X_OK) == 0))
struct TLSFixtureTests {
    /// Runs curl quietly; stdout and the exit status.
    static func curl(_ arguments: [String]) throws -> (status: Int32, out: String) {
        let r = try Run.process("/usr/bin/curl", ["-s", "--max-time", "10"] + arguments)
        return (r.status, r.stdoutText)
    }

    @Test("the PKI: each certificate verifies, or fails, against the test CA as it should")
    func pki() throws {
        let c = try #require(TestCertificates.shared)
        func verify(_ cert: String, ca: String? = nil) throws -> String {
            let r = try Run.process("/usr/bin/openssl", ["verify", "-CAfile", ca ?? c.ca, cert])
            return r.stdoutText + r.stderr
        }
        #expect(try verify(c.serverCert).hasSuffix(": OK\n"))
        #expect(try verify(c.clientCert).hasSuffix(": OK\n"))
        #expect(try verify(c.wrongHostServerCert).hasSuffix(": OK\n"))
        #expect(try verify(c.otherServerCert, ca: c.otherCA).hasSuffix(": OK\n"))
        #expect(try verify(c.otherServerCert).contains("unable to get local issuer certificate"))
        #expect(try verify(c.expiredServerCert).contains("certificate has expired"))
        #expect(try verify(c.selfSignedCert).contains("self-signed certificate"))
        let dates = try Run.process("/usr/bin/openssl", ["x509", "-noout", "-enddate", "-in", c.expiredServerCert])
        #expect(dates.stdoutText == "notAfter=Jan  2 00:00:00 2020 GMT\n")
        let names = try Run.process(
            "/usr/bin/openssl", ["x509", "-noout", "-ext", "subjectAltName", "-in", c.serverCert])
        #expect(names.stdoutText.contains("IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost"))
    }

    @Test("nginx: each listener speaks what it says, checked with curl", .enabled(if: NginxServer.available))
    func nginxListeners() throws {
        let n = try #require(NginxServer())
        let ca = ["--cacert", n.certificates.ca]
        func proto(_ r: (status: Int32, out: String)) -> String {
            r.out.split(separator: " ").prefix(4).joined(separator: " ")
        }
        #expect(try TLSFixtureTests.curl([n.http + "/"]).out == NginxServer.body)
        #expect(proto(try TLSFixtureTests.curl([n.http + "/proto"])) == "proto=HTTP/1.1 http2= tls= alpn=")
        #expect(
            proto(try TLSFixtureTests.curl(ca + ["--http2", n.tlsH2 + "/proto"]))
                .hasPrefix("proto=HTTP/2.0 http2=h2 tls=TLSv1.3 alpn=h2"))
        #expect(
            proto(try TLSFixtureTests.curl(ca + ["--http1.1", n.tlsH2 + "/proto"]))
                == "proto=HTTP/1.1 http2= tls=TLSv1.3 alpn=http/1.1")
        #expect(
            proto(try TLSFixtureTests.curl(ca + ["--http2", n.tlsH1 + "/proto"]))
                == "proto=HTTP/1.1 http2= tls=TLSv1.3 alpn=http/1.1")
        #expect(
            proto(try TLSFixtureTests.curl(["--http2-prior-knowledge", n.h2c + "/proto"]))
                == "proto=HTTP/2.0 http2=h2c tls= alpn=")
        // By name and by ::1's sibling name: the certificate has localhost too.
        #expect(try TLSFixtureTests.curl(ca + ["https://localhost:\(n.tlsH2Port)/"]).out == NginxServer.body)
        // No client certificate: handshake done, then nginx's 400; with one: 200 and client=SUCCESS.
        let refused = try TLSFixtureTests.curl(ca + ["-o", "/dev/null", "-w", "%{http_code}", n.mtls + "/"])
        #expect(refused.out == "400")
        let client = ["--cert", n.certificates.clientCert, "--key", n.certificates.clientKey]
        #expect(try TLSFixtureTests.curl(ca + client + [n.mtls + "/proto"]).out.hasSuffix("client=SUCCESS\n"))
        // Without the CA: curl's "unable to get local issuer" (exit 60).
        #expect(try TLSFixtureTests.curl([n.tlsH2 + "/"]).status == 60)
    }

    @Test("nginx: a second connection resumes the TLS session (TLS 1.2 and 1.3)", .enabled(if: NginxServer.available))
    func nginxResumption() throws {
        let n = try #require(NginxServer())
        for version in [["--tls-max", "1.2"], ["--tlsv1.3"]] {
            let r = try TLSFixtureTests.curl(
                ["--cacert", n.certificates.ca, "-H", "Connection: close"] + version + [
                    n.tlsH1 + "/proto", n.tlsH1 + "/proto",
                ])
            let lines = r.out.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].contains("reused=.") && lines[1].contains("reused=r"), "\(r.out)")
        }
    }

    @Test("nginx: stub_status counts the requests served", .enabled(if: NginxServer.available))
    func nginxCounts() throws {
        let n = try #require(NginxServer())
        let before = try #require(n.requestsServed())
        // One connection each: curl 7.88 fails a second request on a reused prior-knowledge connection.
        for _ in 0..<3 { _ = try TLSFixtureTests.curl(["--http2-prior-knowledge", n.h2c + "/"]) }
        let after = try #require(n.requestsServed())
        #expect(after - before == 4)  // three GETs and the status read itself
    }
}
