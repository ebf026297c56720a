import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The TLS and HTTP/2 fixtures themselves, checked with the curl and openssl CLIs (not with barrage): the test PKI
/// and `NginxServer`'s listeners.
@Suite(
    "TLS and HTTP/2 fixtures (curl, openssl)", .serialized, .timeLimit(.minutes(3)),
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
        #expect(try TLSFixtureTests.curl(ca + client + [n.mtls + "/proto"]).out.contains(" client=SUCCESS "))
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

/// `H2FaultServer` checked with curl: the modes curl can tell apart (curl is stricter than Go, so most hostile modes
/// only show as a failed transfer; the frames themselves were checked with `nghttp -v`).
@Suite(
    "hostile HTTP/2 server (curl)", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: H2FaultServer.available && TestCertificates.hasOpenSSL && access("/usr/bin/curl", X_OK) == 0))
struct H2FaultServerTests {
    /// curl's status code (`000`: no response) and exit status for one mode over h2c with prior knowledge.
    static func hit(_ server: H2FaultServer, _ mode: String, _ extra: [String] = []) throws -> (String, Int32) {
        let r = try TLSFixtureTests.curl(
            ["--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}"] + extra + [
                server.h2c + "/fault?mode=" + mode
            ])
        return (r.out, r.status)
    }

    @Test("every mode: answered ones with their status, the others as a failed transfer")
    func modes() throws {
        let s = try #require(H2FaultServer())
        #expect(s.tlsPort == 0)
        let answered = ["ok": "200", "status-999": "999", "redirect-loop": "302"]
        for mode in H2FaultServer.modes where mode != "slow-body" && mode != "header-flood" {
            let (code, status) = try H2FaultServerTests.hit(s, mode)
            if let expected = answered[mode] {
                #expect(code == expected && status == 0, "\(mode)")
            } else {
                #expect(code == "000" && status != 0, "\(mode): \(code) \(status)")
            }
        }
        // curl refuses header fields over 100 KB; a trickle cut by --max-time is curl's exit 28.
        #expect(try H2FaultServerTests.hit(s, "header-flood").1 != 0)
        #expect(try H2FaultServerTests.hit(s, "slow-body", ["--max-time", "0.3"]).1 == 28)
    }

    @Test("TLS: ALPN h2; a missing client certificate is a handshake failure under TLS 1.2")
    func tls() throws {
        let c = try #require(TestCertificates.shared)
        let s = try #require(H2FaultServer(certificate: c.serverCert, key: c.serverKey))
        let ok = try TLSFixtureTests.curl(
            ["--http2", "--cacert", c.ca, "-w", " %{http_version}", s.tls + "/fault?mode=ok"])
        #expect(ok.out == "ok 2")
        let strict = try #require(
            H2FaultServer(certificate: c.serverCert, key: c.serverKey, clientCA: c.ca, tlsMax12: true))
        let refused = try TLSFixtureTests.curl(["--cacert", c.ca, "-w", "%{errormsg}", strict.tls + "/"])
        #expect(refused.status == 35 && refused.out.hasSuffix("alert handshake failure"), "\(refused)")
        let client = ["--cert", c.clientCert, "--key", c.clientKey]
        #expect(try TLSFixtureTests.curl(["--http2", "--cacert", c.ca] + client + [strict.tls + "/"]).out == "ok")
    }
}

/// The setups `tlsFaultCases` name, checked with curl (OpenSSL's words for the same failures).
@Suite(
    "TLS failure setups (curl)", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestCertificates.hasOpenSSL && access("/usr/bin/curl", X_OK) == 0))
struct TLSFailureSetupTests {
    @Test("unknown authority, expired, wrong host: curl's verify errors against the test CA")
    func verifyFailures() throws {
        let c = try #require(TestCertificates.shared)
        let cases = [
            (c.otherServerCert, c.otherServerKey, "127.0.0.1", "unable to get local issuer certificate"),
            (c.expiredServerCert, c.expiredServerKey, "127.0.0.1", "certificate has expired"),
            (c.wrongHostServerCert, c.wrongHostServerKey, "127.0.0.1", "target host name '127.0.0.1'"),
            (c.wrongHostServerCert, c.wrongHostServerKey, "localhost", "target host name 'localhost'"),
        ]
        for (cert, key, host, words) in cases {
            let server = try #require(TestServer(extra: ["--tls", cert, key]))
            let r = try TLSFixtureTests.curl(
                ["--cacert", c.ca, "-o", "/dev/null", "-w", "%{errormsg}", "https://\(host):\(server.port)/"])
            #expect(r.status == 60 && r.out.contains(words), "\(r)")
        }
    }

    @Test(
        "https to nginx's plain port: nginx answers the ClientHello with an HTTP/1.1 400",
        .enabled(if: NginxServer.available))
    func plainPort() throws {
        let n = try #require(NginxServer())
        let r = try TLSFixtureTests.curl(["-w", "%{errormsg}", "https://127.0.0.1:\(n.httpPort)/"])
        #expect(r.status == 35 && r.out.hasSuffix("wrong version number"), "\(r)")
        // What Go reads as the first record header: "HTTP/".
        let raw = try Run.process(
            "/bin/sh",
            ["-c", "printf '\\026\\003\\001\\000\\001\\001' | curl -s --max-time 5 telnet://127.0.0.1:\(n.httpPort)"])
        #expect(raw.stdoutText.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(raw.stdoutText)")
    }

    @Test(
        "nginx's client-certificate port without one: 400 and the page in tlsFaultCases",
        .enabled(if: NginxServer.available))
    func nginxClientCertificate() throws {
        let n = try #require(NginxServer())
        for version in ["--http1.1", "--http2"] {
            let r = try TLSFixtureTests.curl([version, "--cacert", n.certificates.ca, n.mtls + "/"])
            #expect(r.out == nginxNoClientCertificateBody, "\(version)")
        }
    }
}
