import Attacker
import BarrageCore
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `barrage attack` refuses hostile flags, and what Go would refuse never reaches a real server.
@Suite("attack: hostile flags are usage errors", .timeLimit(.minutes(3)))
struct AttackHostileFlagTests {
    @Test(
        "-header, -proxy-header and -name values Go refuses are usage errors (exit 2, Go flag wording)",
        arguments: [
            (
                ["-header", "X: a\rb"],
                #"invalid value "X: a\rb" for flag -header: net/http: invalid header field value for "X""#
            ),
            (
                ["-header=X Y: v"],
                #"invalid value "X Y: v" for flag -header: net/http: invalid header field name "X Y""#
            ),
            (
                ["-proxy-header", "P: a\nb"],
                #"invalid value "P: a\nb" for flag -proxy-header: net/http: invalid header field value for "P""#
            ),
            (
                ["-name", "a\r\nX-Injected: 1"],
                #"invalid value "a\r\nX-Injected: 1" for flag -name: net/http: invalid header field value for "X-Vegeta-Attack""#
            ),
        ])
    func hostileFlags(_ flags: [String], _ message: String) throws {
        let run = try runAttack(flags + ["-duration=1s"], targets: "GET http://127.0.0.1:9/\n")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix(message + "\n"), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: barrage attack"))
    }

    @Test(
        "values that would be ignored are usage errors (exit 2, Go flag wording), nothing sent",
        arguments: [
            (["-laddr=garbage"], #"invalid value "garbage" for flag -laddr: lookup garbage"#),
            (["-laddr=[::1]"], #"invalid value "[::1]" for flag -laddr: lookup [::1]: no such host"#),
            (
                ["-connect-to=garbage"],
                #"invalid value "garbage" for flag -connect-to: invalid -connect-to "garbage", expected format: src:port:dst:port"#
            ),
            (
                ["-connect-to=a:x:b:80"],
                #"invalid value "a:x:b:80" for flag -connect-to: invalid source address expression [a:x], expected address:port"#
            ),
            (
                ["-connect-to=a:80:b:"],
                #"invalid value "a:80:b:" for flag -connect-to: invalid destination address expression [b:], expected address:port"#
            ),
            (
                ["-unix-socket=/" + String(repeating: "s", count: 107)],
                "for flag -unix-socket: path longer than 107 bytes"
            ),
            (["-max-workers=0"], #"invalid value "0" for flag -max-workers: no hit could ever be sent"#),
        ])
    func ignoredValues(_ flags: [String], _ message: String) throws {
        let env = ChildProcess.currentEnvironment().filter { !$0.lowercased().contains("_proxy=") }
        let run = try runAttack(flags + ["-duration=1s"], targets: "GET http://127.0.0.1:9/\n", environment: env)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix(message) || run.stderr.contains(message + "\n"), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: barrage attack"))
        #expect(run.results.isEmpty)
    }

    @Test("-proxy-header without a proxy variable warns that it is not sent, and the attack runs")
    func proxyHeaderWithoutProxy() throws {
        let env = ChildProcess.currentEnvironment().filter { !$0.lowercased().contains("_proxy=") }
        let run = try runAttack(
            ["-proxy-header=X-P: v", "-rate=10", "-duration=100ms"], targets: "GET http://127.0.0.1:9/\n",
            environment: env)
        #expect(run.status == 0)
        #expect(
            run.stderr.contains(
                #"attack: -proxy-header "X-P: v" is not sent: no proxy is set (HTTP_PROXY, HTTPS_PROXY)"#))
        #expect(!run.results.isEmpty)
    }

    @Test(
        "files and -resolvers entries vegeta refuses at startup: one log line, exit 1, nothing sent",
        arguments: [
            (["-cert=/nonexistent/c.pem"], "open /nonexistent/c.pem: no such file or directory"),
            (["-key=/nonexistent/k.pem"], "open /nonexistent/k.pem: no such file or directory"),
            (["-root-certs=/nonexistent/ca.pem"], "open /nonexistent/ca.pem: no such file or directory"),
            (["-root-certs="], "bad certificate"),
            (["-cert=/dev/null"], "tls: failed to find any PEM data in certificate input"),
            (["-resolvers=garbage"], "host garbage is not an IP address"),
            (["-resolvers=127.0.0.1:x"], #"strconv.ParseUint: parsing "x": invalid syntax"#),
            (["-resolvers=1::2"], "address 1::2: too many colons in address"),
        ])
    func startupRefusals(_ flags: [String], _ message: String) throws {
        let run = try runAttack(flags + ["-duration=1s"], targets: "GET http://127.0.0.1:9/\n")
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasSuffix(" " + message), "\(run.stderr)")
        #expect(run.results.isEmpty)
    }
}

/// Flag values vegeta gives a meaning Go's client defines, on both transports.
@Suite("attack: edge values of numeric flags", .serialized, .timeLimit(.minutes(3)))
struct AttackEdgeValueTests {
    @Test("-redirects below -1 fails every redirect, as Go's check does", arguments: transports)
    func redirectsBelowMinusOne(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let run = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-redirects=-2"], targets: "GET \(server.base)/redirect?n=3\n")
        #expect(run.results.first?.code == 0)
        #expect(run.results.first?.error == "Get \"\(server.base)/redirect?n=2\": stopped after -2 redirects")
    }

    @Test("-timeout below 0 is no timeout; -workers=0 still sends", arguments: transports)
    func negativeTimeoutZeroWorkers(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let run = try runAttack(
            transport, ["-rate=20", "-duration=200ms", "-timeout=-1s", "-workers=0"],
            targets: "GET \(server.base)/slow?ms=50\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.results.count == 4)
        #expect(run.results.allSatisfy { $0.code == 200 })
    }

    @Test("-connections below 0 keeps no idle connection (Go), so each hit opens one", arguments: transports)
    func negativeConnections(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        _ = try runAttack(
            transport, ["-rate=50", "-duration=200ms", "-connections=-1"], targets: "GET \(server.base)/\n",
            global: ["-cpus=1"])
        #expect(server.get("/stats").hasPrefix("connections=11 "))  // 10 hits + this query
    }
}

/// The same promises against a real loopback server, on both transports: what Go would refuse never arrives.
@Suite("hostile targets never reach a real server", .serialized, .timeLimit(.minutes(3)))
struct HostileWireTests {
    @Test("a space in a path arrives as %20", arguments: transports)
    func spaceArrivesEscaped(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let run = try runAttack(
            transport, ["-rate=10", "-duration=100ms", "-max-workers=1"], targets: "GET \(server.base)/echo/a b?q=1\n")
        #expect(run.status == 0, "\(run.stderr)")
        let first = try #require(run.results.first)
        #expect(first.code == 200, "\(first.error)")
        #expect(bodyText(first).hasPrefix("GET /echo/a%20b?q=1\n"))
        #expect(first.url == "\(server.base)/echo/a b?q=1")
    }

    @Test("eager: a smuggling target stops the attack before anything is sent", arguments: transports)
    func eagerSendsNothing(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let targets =
            jsonTarget(url: "\(server.base)/echo")
            + jsonTarget(method: #"GET /echo HTTP/1.1\r\nHost: y\r\n\r\nGET"#, url: "\(server.base)/x")
        let run = try runAttack(transport, ["-format=json", "-rate=10", "-duration=100ms"], targets: targets)
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(#"net/http: invalid method "GET /echo HTTP/1.1\r\nHost: y\r\n\r\nGET" (stdin line 2)"#))
        #expect(run.results.isEmpty)
        #expect(server.hits == 0)
    }

    @Test("lazy: hostile targets become result errors; only the good target is sent", arguments: transports)
    func lazySendsOnlyGood(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let targets =
            jsonTarget(url: "\(server.base)/echo")
            + jsonTarget(method: #"GET /echo HTTP/1.1\r\nHost: y\r\n\r\nGET"#, url: "\(server.base)/x")
            + jsonTarget(url: "\(server.base)/echo", header: #""X-A":["a\r\nX-Injected: 1"]"#)
        let run = try runAttack(
            transport, ["-format=json", "-lazy", "-rate=20", "-duration=1s", "-max-workers=1"], targets: targets)
        #expect(run.status == 0, "\(run.stderr)")
        let sent = run.results.filter { $0.code == 200 }
        #expect(sent.count == 1)
        #expect(!bodyText(sent.first).contains("X-Injected"))
        let errors = run.results.map(\.error)
        #expect(
            errors.contains {
                $0.hasPrefix(#"net/http: invalid method "GET /echo HTTP/1.1\r\nHost: y\r\n\r\nGET" (stdin line 2)"#)
            })
        #expect(server.hits == 1)
    }
}

/// A JSON target line with `method`, `url` and one header (JSON escapes written as they go in the file).
private func jsonTarget(method: String = "GET", url: String = "http://127.0.0.1:9/", header: String = "") -> String {
    #"{"method":"\#(method)","url":"\#(url)""# + (header.isEmpty ? "" : #","header":{\#(header)}"#) + "}\n"
}
