import Attacker
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `barrage attack` refuses hostile flags, and what Go would refuse never reaches a real server.
@Suite("attack: hostile flags are usage errors", .timeLimit(.minutes(1)))
struct AttackHostileFlagTests {
    @Test(
        "-header, -proxy-header and -name values Go refuses are usage errors (exit 2, Go flag wording)",
        arguments: [
            (["-header", "X: a\rb"], #"invalid value "X: a\rb" for flag -header: net/http: invalid header field value for "X""#),
            (["-header=X Y: v"], #"invalid value "X Y: v" for flag -header: net/http: invalid header field name "X Y""#),
            (["-proxy-header", "P: a\nb"], #"invalid value "P: a\nb" for flag -proxy-header: net/http: invalid header field value for "P""#),
            (["-name", "a\r\nX-Injected: 1"], #"invalid value "a\r\nX-Injected: 1" for flag -name: net/http: invalid header field value for "X-Vegeta-Attack""#),
        ])
    func hostileFlags(_ flags: [String], _ message: String) throws {
        let run = try runAttack(flags + ["-duration=1s"], targets: "GET http://127.0.0.1:9/\n")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix(message + "\n"), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: barrage attack"))
    }
}

/// The same promises against a real loopback server, on both transports: what Go would refuse never arrives.
@Suite("hostile targets never reach a real server", .serialized, .timeLimit(.minutes(1)))
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
        #expect(run.stderr.contains(#"net/http: invalid method "GET /echo HTTP/1.1\r\nHost: y\r\n\r\nGET" (stdin line 2)"#))
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
        #expect(errors.contains { $0.hasPrefix(#"net/http: invalid method "GET /echo HTTP/1.1\r\nHost: y\r\n\r\nGET" (stdin line 2)"#) })
        #expect(server.hits == 1)
    }
}

/// A JSON target line with `method`, `url` and one header (JSON escapes written as they go in the file).
private func jsonTarget(method: String = "GET", url: String = "http://127.0.0.1:9/", header: String = "") -> String {
    #"{"method":"\#(method)","url":"\#(url)""# + (header.isEmpty ? "" : #","header":{\#(header)}"#) + "}\n"
}
