import Attacker
import BarrageCore
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `barrage attack` with `args`, targets on stdin; results decoded from an -output file.
func runAttack(_ args: [String], targets: String, global: [String] = ["-cpus=2"], environment: [String]? = nil)
    throws -> (status: Int32, results: [Result], stderr: String)
{
    let dir = makeTempDirectory()
    let out = dir + "/out.bin"
    let p = try #require(
        ChildProcess([Paths.barrage] + global + ["attack", "-output=" + out] + args, environment: environment))
    p.writeStdin(Array(targets.utf8))
    p.closeStdin()
    let (status, _, err) = p.finish()
    var results: [Result] = []
    if access(out, F_OK) == 0, var reader = try? ResultReader(paths: [out]) {
        while let r = reader.next() { results.append(r) }
    }
    return (status, results, String(decoding: err, as: UTF8.self))
}

/// `runAttack` on one transport (`-transport=...` first).
func runAttack(_ transport: TransportChoice, _ args: [String], targets: String, global: [String] = ["-cpus=2"])
    throws -> (status: Int32, results: [Result], stderr: String)
{
    try runAttack(["-transport=" + transport.rawValue] + args, targets: targets, global: global)
}

func bodyText(_ r: Result?) -> String { String(decoding: r?.body ?? [], as: UTF8.self) }

/// Both transports: the attack tests run on libcurl and on the native HTTP/1.1 transport.
let transports: [TransportChoice] = [.curl, .native]

func header(_ r: Result?, _ name: String) -> [String]? {
    r?.headers?.first(where: { $0.name == name })?.values
}

@Suite("barrage attack (built binary)", .serialized, .timeLimit(.minutes(3)))
struct BinaryTests {
    @Test("SIGINT stops sending, waits for in-flight requests, writes every result, exits 0", arguments: transports)
    func sigintFlushes(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        let out = dir + "/out.bin"
        let p = try #require(
            ChildProcess([
                Paths.barrage, "attack", "-transport=" + transport.rawValue, "-rate=40", "-duration=0",
                "-output=" + out,
            ]))
        p.writeStdin(Array("GET \(server.base)/slow?ms=400\n".utf8))
        p.closeStdin()
        // Wait until requests are in flight (readiness, not a fixed sleep).
        while server.hits < 4 { usleep(20_000) }
        p.signal(SIGINT)
        let (status, _, _) = p.finish()
        #expect(status == 0)
        var reader = try ResultReader(paths: [out])
        var results: [Result] = []
        while let r = reader.next() { results.append(r) }
        #expect(results.count >= 4)
        #expect(results.count == server.hits)
        #expect(results.allSatisfy { $0.code == 200 })
    }

    @Test("a second signal exits 1 at once and says how many in-flight hits have no result", arguments: transports)
    func secondSignalReportsDropped(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        let p = try #require(
            ChildProcess([
                Paths.barrage, "attack", "-transport=" + transport.rawValue, "-rate=40", "-duration=0",
                "-output=" + dir + "/out.bin",
            ]))
        p.writeStdin(Array("GET \(server.base)/slow?ms=20000\n".utf8))
        p.closeStdin()
        while server.hits < 4 { usleep(20_000) }
        // Two different signals: a second SIGINT sent before the first is taken would merge with it.
        p.signal(SIGINT)
        p.signal(SIGTERM)
        let (status, _, err) = p.finish()
        let text = String(decoding: err, as: UTF8.self)
        #expect(status == 1)
        let prefix = "attack: interrupted again: "
        #expect(text.hasPrefix(prefix) && text.hasSuffix(" in-flight hits have no result\n"), "\(text)")
        let count = Int(text.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
        #expect(count >= 4, "\(text)")
        #expect(text.split(separator: "\n").count == 1)
    }

    /// The names of the threads of process `pid` (`/proc/<pid>/task/*/comm`).
    static func threadNames(_ pid: pid_t) -> [String] {
        guard let dir = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard tid.first?.isNumber == true, let text = try? Run.read("/proc/\(pid)/task/\(tid)/comm") else {
                continue
            }
            names.append(String(decoding: text.prefix { $0 != 0x0A }, as: UTF8.self))
        }
        return names
    }

    @Test("-cpus sets the number of event loops (named threads)", arguments: [1, 3])
    func cpus(_ count: Int) throws {
        let server = try #require(TestServer())
        let p = try #require(
            ChildProcess([
                Paths.barrage, "-cpus=\(count)", "attack", "-rate=50", "-duration=0", "-output=/dev/null",
            ]))
        p.writeStdin(Array("GET \(server.base)/\n".utf8))
        p.closeStdin()
        while server.hits < 3 { usleep(20_000) }
        let names = Self.threadNames(p.pid)
        p.signal(SIGINT)
        let (status, _, _) = p.finish()
        #expect(status == 0)
        #expect(names.filter { $0.hasPrefix("barrage-loop-") }.sorted() == (0..<count).map { "barrage-loop-\($0)" })
        #expect(names.contains("barrage-writer"), "\(names)")
    }

    @Test("-connections bounds the idle connections kept: 1 opens many more than 100", arguments: transports)
    func idleConnections(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        // About five requests in flight (100/s, 50 ms each) on one event loop: with one idle connection kept, most
        // finished connections are closed and the next hits open new ones; with 100 kept, they are reused.
        func connections(_ keep: Int) throws -> Int {
            func count() -> Int {
                let stats = server.get("/stats")
                return Int(stats.split(separator: " ").first?.split(separator: "=").last ?? "") ?? -1
            }
            let before = count()
            let run = try runAttack(
                transport, ["-rate=100", "-duration=1s", "-connections=\(keep)"],
                targets: "GET \(server.base)/slow?ms=50\n", global: ["-cpus=1"])
            #expect(run.status == 0 && run.results.count == 100, "\(run.stderr)")
            return count() - before
        }
        let few = try connections(100)
        let many = try connections(1)
        #expect(few >= 1 && many >= 2 * few, "-connections=1: \(many) connections, -connections=100: \(few)")
    }

    @Test("-duration and -rate: rate x duration hits; N/d rates", arguments: transports)
    func rateAndDuration(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let a = try runAttack(transport, ["-rate=100", "-duration=1s"], targets: "GET \(server.base)/\n")
        #expect(a.status == 0)
        #expect(a.results.count == 100)
        let b = try runAttack(transport, ["-rate=5/50ms", "-duration=500ms"], targets: "GET \(server.base)/\n")
        #expect(b.results.count == 50)
        #expect(server.hits == 150)
    }

    @Test("-ramp rises linearly from 0; -plan steps")
    func rampAndPlan() throws {
        let server = try #require(TestServer())
        let ramp = try runAttack(["-rate=100", "-ramp=1s", "-duration=1s"], targets: "GET \(server.base)/\n")
        #expect(ramp.results.count == 50)
        let plan = try runAttack(["-plan=40@500ms,100@1s"], targets: "GET \(server.base)/\n")
        #expect(plan.results.count == 70)
    }

    @Test("-rate=0 needs -max-workers (exit 2); bad method exits 1 before any request")
    func usageErrors() throws {
        let server = try #require(TestServer())
        let a = try runAttack(["-rate=0", "-duration=1s"], targets: "GET \(server.base)/\n")
        #expect(a.status == 2)
        #expect(a.stderr.hasPrefix("-rate=0 requires setting -max-workers\n"))
        // Without a blank line the lower-case line would be a header of the first target, as in vegeta.
        let b = try runAttack(["-duration=1s"], targets: "GET \(server.base)/\n\nget \(server.base)/x\n")
        #expect(b.status == 1)
        #expect(b.stderr.hasSuffix(" bad method: get (stdin line 3)\n"))
        let c = try runAttack(["-max-body=1Kb"], targets: "GET \(server.base)/\n")
        #expect(c.status == 2)
        #expect(server.hits == 0)
    }

    @Test("-name, -header, -body, -chunked reach the server", arguments: transports)
    func requestFlags(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        writeFile(dir + "/body", "from-body-flag")
        let r = try runAttack(
            transport,
            [
                "-rate=10", "-duration=100ms", "-name=n1", "-header=X-Foo: fromflag", "-body=" + dir + "/body",
                "-chunked",
            ],
            targets: "POST \(server.base)/echo\nX-Foo: 1\nHost: example.test\n")
        let first = try #require(r.results.first)
        let text = bodyText(first)
        #expect(first.attack == "n1")
        #expect(text.contains("X-Vegeta-Attack: n1\n"))
        #expect(text.contains("X-Foo: fromflag\nX-Foo: 1\n"))
        #expect(text.contains("Transfer-Encoding: chunked\n"))
        #expect(text.contains("Host: example.test\n"))
        #expect(!text.contains("Host: 127.0.0.1"))
        #expect(text.hasSuffix("\n\nfrom-body-flag"))
        #expect(first.bytesOut == 14)
    }

    @Test("-targets file with -format=json; -lazy reads on demand and stops at a bad target")
    func targetsAndLazy() throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        writeFile(dir + "/t.json", #"{"method":"PUT","url":"\#(server.base)/echo","body":"UHVuY2gh"}"# + "\n")
        let j = try runAttack(
            ["-rate=10", "-duration=100ms", "-format=json", "-targets=" + dir + "/t.json"], targets: "")
        #expect(j.results.first?.method == "PUT")
        #expect(bodyText(j.results.first).hasSuffix("\n\nPunch!"))
        let bad = "GET \(server.base)/a\nGET \(server.base)/b\n\nget \(server.base)/c\n"
        let eager = try runAttack(["-rate=50", "-duration=1s"], targets: bad)
        #expect(eager.status == 1 && eager.results.isEmpty)
        #expect(server.hits == 1)  // only the json run
        let lazy = try runAttack(["-rate=50", "-duration=1s", "-lazy"], targets: bad, global: ["-cpus=1"])
        #expect(lazy.status == 0)
        #expect(lazy.results.filter { $0.code == 200 }.count == 2)
        #expect(lazy.results.contains { $0.error.hasPrefix("bad method: get") })
    }

    @Test("-max-body, -redirects, -timeout", arguments: transports)
    func responseFlags(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let mb = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-max-body=1k"], targets: "GET \(server.base)/big?n=5000\n")
        #expect(mb.results.first?.bytesIn == 1024)
        let rd = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-redirects=1"], targets: "GET \(server.base)/redirect?n=3\n")
        #expect(rd.results.first?.error == "Get \"\(server.base)/redirect?n=1\": stopped after 1 redirects")
        let nr = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-redirects=-1"], targets: "GET \(server.base)/redirect?n=3\n")
        #expect(nr.results.first?.code == 302)
        let to = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-timeout=150ms"], targets: "GET \(server.base)/slow?ms=1000\n")
        #expect(
            to.results.first?.error.hasSuffix(
                "context deadline exceeded (Client.Timeout exceeded while awaiting headers)") == true)
    }

    @Test("-max-workers caps requests in flight; -max-connections caps connections", arguments: transports)
    func concurrencyFlags(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let r = try runAttack(
            transport, ["-rate=0", "-max-workers=1", "-duration=300ms"], targets: "GET \(server.base)/slow?ms=30\n")
        #expect(r.results.count >= 2)
        #expect(server.get("/stats").hasSuffix("max_inflight=1"))
        let server2 = try #require(TestServer())
        _ = try runAttack(
            transport, ["-rate=50", "-duration=200ms", "-max-connections=1"],
            targets: "GET \(server2.base)/slow?ms=50\n",
            global: ["-cpus=1"])
        #expect(server2.get("/stats").hasSuffix("max_inflight=1"))
    }

    @Test("-keepalive=false opens a connection per request", arguments: transports)
    func keepalive(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        _ = try runAttack(
            transport, ["-rate=50", "-duration=200ms", "-keepalive=false"], targets: "GET \(server.base)/\n",
            global: ["-cpus=1"])
        #expect(server.get("/stats").hasPrefix("connections=11 "))  // 10 hits + this query
        let server2 = try #require(TestServer())
        _ = try runAttack(
            transport, ["-rate=50", "-duration=200ms"], targets: "GET \(server2.base)/\n", global: ["-cpus=1"])
        let reused = server2.get("/stats").split(separator: " ").first.flatMap { Int($0.dropFirst(12)) } ?? 99
        #expect(reused < 6)
    }

    @Test("-laddr binds the local address; -connect-to and -unix-socket reroute", arguments: transports)
    func addressFlags(_ transport: TransportChoice) throws {
        let dir = makeTempDirectory()
        let server = try #require(TestServer(unixSocket: dir + "/s.sock"))
        let l = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-laddr=127.0.0.2"], targets: "GET \(server.base)/echo\n")
        #expect(bodyText(l.results.first).contains("Client-Address: 127.0.0.2\n"))
        let c = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-connect-to=nohost.invalid:80:127.0.0.1:\(server.port)"],
            targets: "GET http://nohost.invalid/echo\n")
        #expect(c.results.first?.code == 200)
        let u = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-unix-socket=" + dir + "/s.sock"],
            targets: "GET http://nohost.invalid/echo\n")
        #expect(u.results.first?.code == 200)
        #expect(bodyText(u.results.first).contains("Client-Address: unix\n"))
    }

    @Test("HTTP_PROXY is honoured and -proxy-header goes to the proxy")
    func proxyHeader() throws {
        let proxy = try #require(TestServer())
        let env =
            ChildProcess.currentEnvironment().filter { !$0.lowercased().hasPrefix("http_proxy=") }
            + ["HTTP_PROXY=http://127.0.0.1:\(proxy.port)"]
        let r = try runAttack(
            ["-rate=10", "-duration=100ms", "-proxy-header=X-Proxy-Token: secret"],
            targets: "GET http://nohost.invalid/echo\n", environment: env)
        #expect(r.results.first?.code == 200)
        #expect(bodyText(r.results.first).hasPrefix("GET http://nohost.invalid/echo\n"))
        #expect(bodyText(r.results.first).contains("X-Proxy-Token: secret\n"))
    }

    @Test("-prometheus-addr serves the attack's metrics while it runs")
    func prometheus() throws {
        let server = try #require(TestServer())
        let port = freeLoopbackPort()
        let dir = makeTempDirectory()
        let p = try #require(
            ChildProcess([
                Paths.barrage, "attack", "-rate=50", "-duration=0", "-output=" + dir + "/o.bin",
                "-prometheus-addr=127.0.0.1:\(port)",
            ]))
        p.writeStdin(Array("GET \(server.base)/\n".utf8))
        p.closeStdin()
        let metrics = TestServer.rawGet(
            port: port, path: "/metrics",
            until: { $0.contains("request_seconds_count ") && !$0.contains("request_seconds_count 0\n") })
        p.signal(SIGINT)
        #expect(p.finish().status == 0)
        #expect(metrics.contains("# TYPE request_seconds histogram"))
        #expect(metrics.contains("request_bytes_in "))
    }

    @Test("-resolvers is refused clearly when libcurl cannot honour it; -progress stays off without a terminal")
    func resolversAndProgress() throws {
        let server = try #require(TestServer())
        let r = try runAttack(
            ["-rate=10", "-duration=100ms", "-resolvers=127.0.0.1:53"], targets: "GET \(server.base)/\n")
        if r.status != 0 {
            #expect(r.stderr.contains("-resolvers"))
        } else {
            #expect(r.results.count == 1)
        }
        let p = try runAttack(["-rate=10", "-duration=100ms"], targets: "GET \(server.base)/\n")
        #expect(p.stderr.isEmpty)
    }

    @Test("-progress draws a live line when stderr is a terminal (util-linux script gives a pty); -progress=false not")
    func progressOnTerminal() throws {
        guard access("/usr/bin/script", X_OK) == 0 else { return }
        let server = try #require(TestServer())
        func run(_ flag: String) throws -> String {
            let cmd =
                "echo 'GET \(server.base)/' | '\(Paths.barrage)' attack -rate=20 -duration=1200ms -output=/dev/null \(flag)"
            let p = try #require(ChildProcess(["/usr/bin/script", "-qec", cmd, "/dev/null"]))
            p.closeStdin()
            let (status, out, _) = p.finish()
            #expect(status == 0)
            return String(decoding: out, as: UTF8.self)
        }
        let on = try run("")
        #expect(on.contains("requests, "))
        #expect(on.contains("% success, p50 "))
        let off = try run("-progress=false")
        #expect(!off.contains("requests, "))
    }

    @Test("invoked through a link named vegeta")
    func vegetaLink() throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        symlink(Paths.barrage, dir + "/vegeta")
        let p = try #require(
            ChildProcess([dir + "/vegeta", "attack", "-rate=10", "-duration=100ms", "-output=" + dir + "/o.bin"]))
        p.writeStdin(Array("GET \(server.base)/\n".utf8))
        p.closeStdin()
        #expect(p.finish().status == 0)
        #expect(server.hits == 1)
    }
}

@Suite("barrage attack -transport (built binary)", .serialized, .timeLimit(.minutes(3)))
struct TransportFlagTests {
    @Test("-transport: a bad value and native with an option it cannot serve are usage errors naming it")
    func transportFlag() throws {
        let server = try #require(TestServer())
        let bad = try runAttack(["-transport=quic", "-rate=10", "-duration=100ms"], targets: "GET \(server.base)/\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("invalid value \"quic\" for flag -transport"))
        let resolvers = try runAttack(
            ["-transport=native", "-resolvers=127.0.0.1:53", "-rate=10", "-duration=100ms"],
            targets: "GET \(server.base)/\n")
        #expect(resolvers.status == 2)
        #expect(resolvers.stderr.hasPrefix("-transport=native does not support -resolvers (libcurl does"))
        let ok = try runAttack(["-transport=native", "-rate=10", "-duration=100ms"], targets: "GET \(server.base)/\n")
        #expect(ok.status == 0 && ok.results.first?.code == 200)
        #expect(server.hits == 1)
        // https is native too: a plain server spoken to with TLS fails the hit (Go's error), not a usage error.
        let tls = try runAttack(
            ["-transport=native", "-rate=10", "-duration=100ms", "-timeout=2s"],
            targets: "GET https://127.0.0.1:\(server.port)/\n")
        #expect(tls.status == 0 && tls.results.first?.code == 0 && tls.results.first?.error.isEmpty == false)
    }

    @Test("-lazy targets are sent by the transport chosen (their wire bytes built per hit for the native one)")
    func lazyTargets() throws {
        let server = try #require(TestServer())
        for transport in ["native", "auto"] {
            let r = try runAttack(
                ["-transport=" + transport, "-lazy", "-rate=50", "-duration=60ms"],
                targets: "GET \(server.base)/\nPOST \(server.base)/redirect?n=0&echo=1\n\n", global: ["-cpus=1"])
            #expect(r.status == 0, "\(transport)")
            #expect(r.results.count == 3, "\(transport)")
            let bySeq = Dictionary(uniqueKeysWithValues: r.results.map { ($0.seq, $0) })
            #expect(bySeq[0]?.code == 200 && bodyText(bySeq[1]) == "landed POST 0", "\(transport)")
        }
    }
}

@Suite("barrage attack over TLS (built binary)", .serialized, .timeLimit(.minutes(3)))
struct TLSTests {
    @Test("-root-certs trusts the test CA; without it the certificate is rejected; -insecure skips the check")
    func rootCertsAndInsecure() throws {
        let certs = try #require(TestCertificates())
        let server = try #require(TestServer(extra: ["--tls", certs.serverCert, certs.serverKey]))
        let url = "GET https://127.0.0.1:\(server.port)/\n"
        let plain = try runAttack(["-rate=10", "-duration=100ms"], targets: url)
        #expect(plain.results.first?.code == 0)
        #expect(plain.results.first?.error.hasPrefix("Get \"https://127.0.0.1:\(server.port)/\": tls: ") == true)
        let trusted = try runAttack(["-rate=10", "-duration=100ms", "-root-certs=" + certs.ca], targets: url)
        #expect(trusted.results.first?.code == 200)
        let insecure = try runAttack(["-rate=10", "-duration=100ms", "-insecure"], targets: url)
        #expect(insecure.results.first?.code == 200)
    }

    @Test("-cert/-key present a client certificate; -cert alone may hold both")
    func clientCertificates() throws {
        let certs = try #require(TestCertificates())
        let server = try #require(
            TestServer(extra: ["--tls", certs.serverCert, certs.serverKey, "--client-ca", certs.ca]))
        let url = "GET https://127.0.0.1:\(server.port)/\n"
        let base = ["-rate=10", "-duration=100ms", "-root-certs=" + certs.ca]
        let none = try runAttack(base, targets: url)
        #expect(none.results.first?.code == 0)
        let both = try runAttack(base + ["-cert=" + certs.clientCert, "-key=" + certs.clientKey], targets: url)
        #expect(both.results.first?.code == 200)
        let combined = try runAttack(base + ["-cert=" + certs.clientCombined], targets: url)
        #expect(combined.results.first?.code == 200)
    }

    @Test("-session-tickets resumes TLS sessions on new connections; off by default, as vegeta")
    func sessionTickets() throws {
        let certs = try #require(TestCertificates())
        let server = try #require(TestServer(extra: ["--tls", certs.serverCert, certs.serverKey]))
        let url = "GET https://127.0.0.1:\(server.port)/echo\n"
        let base = ["-rate=20", "-duration=150ms", "-root-certs=" + certs.ca, "-keepalive=false"]
        let off = try runAttack(base, targets: url, global: ["-cpus=1"])
        #expect(off.results.count == 3)
        #expect(off.results.allSatisfy { bodyText($0).contains("TLS-Resumed: False") })
        let on = try runAttack(base + ["-session-tickets"], targets: url, global: ["-cpus=1"])
        #expect(on.results.contains { bodyText($0).contains("TLS-Resumed: True") })
    }
}

@Suite("barrage attack with HTTP/2 (nginx)", .serialized, .timeLimit(.minutes(3)), .enabled(if: NginxServer.available))
struct HTTP2Tests {
    @Test("-h2c speaks HTTP/2 with prior knowledge; without it the h2c port fails")
    func h2c() throws {
        let certs = try #require(TestCertificates())
        let nginx = try #require(NginxServer(certs: certs))
        let url = "GET http://127.0.0.1:\(nginx.h2cPort)/\n"
        let on = try runAttack(["-rate=10", "-duration=100ms", "-h2c"], targets: url)
        #expect(on.results.first?.code == 200)
        #expect(header(on.results.first, "X-Proto") == ["HTTP/2.0"])
        let off = try runAttack(["-rate=10", "-duration=100ms"], targets: url)
        #expect(off.results.first?.code != 200)
    }

    @Test("-http2 (default) negotiates h2 over TLS; -http2=false stays on HTTP/1.1")
    func http2() throws {
        let certs = try #require(TestCertificates())
        let nginx = try #require(NginxServer(certs: certs))
        let url = "GET https://127.0.0.1:\(nginx.tlsH2Port)/\n"
        let on = try runAttack(["-rate=10", "-duration=100ms", "-root-certs=" + certs.ca], targets: url)
        #expect(on.results.first?.code == 200)
        #expect(header(on.results.first, "X-Proto") == ["HTTP/2.0"])
        let off = try runAttack(
            ["-rate=10", "-duration=100ms", "-root-certs=" + certs.ca, "-http2=false"], targets: url)
        #expect(header(off.results.first, "X-Proto") == ["HTTP/1.1"])
    }
}
