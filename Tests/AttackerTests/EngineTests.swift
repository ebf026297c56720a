import Attacker
import Encoder
import TestSupport
import Testing

/// Collects results in memory (the engine's sink in library tests).
struct Collect: ResultSink {
    var results: [Result] = []
    var flushes = 0
    /// Calls `attack.stop()` once this many results have arrived.
    var stopAfter = Int.max
    var attack: Attack?
    mutating func write(_ result: Result) throws {
        results.append(result)
        if results.count == stopAfter { attack?.stop() }
    }
    mutating func flush() throws { flushes += 1 }
}

/// Both transports: each engine test runs on libcurl and on the native HTTP/1.1 transport.
let transports: [TransportChoice] = [.curl, .native]

func attack(
    _ transport: TransportChoice = .auto, _ targets: [Target], _ configure: (inout AttackOptions) -> Void
) throws -> [Result] {
    var o = AttackOptions()
    o.threads = 2
    o.transport = transport
    configure(&o)
    let a = try Attack(options: o, targets: .loaded(targets))
    var sink = Collect()
    _ = try a.run(into: &sink)
    return sink.results
}

func header(_ r: Result?, _ name: String) -> [String]? {
    r?.headers?.first(where: { $0.name == name })?.values
}

func bodyText(_ r: Result?) -> String { String(decoding: r?.body ?? [], as: UTF8.self) }

@Suite("Engine", .serialized, .timeLimit(.minutes(3)))
struct EngineTests {
    @Test("a paced attack sends rate x duration hits, seq 0..<n, each one counted by the server", arguments: transports)
    func pacedCount(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(transport, [Target(method: "GET", url: server.base + "/")]) {
            $0.pacer = .make(rate: Rate(freq: 200))
            $0.duration = 500_000_000
        }
        #expect(results.count == 100)
        #expect(Set(results.map(\.seq)) == Set(0..<100))
        #expect(server.hits == 100)
        let r = try #require(results.first)
        #expect(r.code == 200)
        #expect(r.body == Array("ok".utf8))
        #expect(r.bytesIn == 2)
        #expect(r.error == "")
        #expect(r.method == "GET")
        #expect(header(r, "Content-Type") == ["text/plain"])
    }

    @Test(
        "requests carry X-Vegeta-Seq, X-Vegeta-Attack, Go's User-Agent and Accept-Encoding, and the body",
        arguments: transports)
    func requestHeaders(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(
            transport,
            [
                Target(
                    method: "POST", url: server.base + "/echo", body: Array("hello".utf8),
                    headers: [TargetHeader(name: "X-Foo", values: ["fromflag", "1"])])
            ]
        ) {
            $0.name = "smoke"
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 30_000_000
        }
        #expect(results.count == 3)
        for r in results {
            let text = String(decoding: r.body ?? [], as: UTF8.self)
            #expect(text.contains("X-Vegeta-Seq: \(r.seq)\n"))
            #expect(text.contains("X-Vegeta-Attack: smoke\n"))
            #expect(text.contains("User-Agent: Go-http-client/1.1\n"))
            #expect(text.contains("Accept-Encoding: gzip\n"))
            #expect(text.contains("X-Foo: fromflag\nX-Foo: 1\n"))
            #expect(!text.contains("Accept: "))
            #expect(!text.contains("Content-Type:"))
            #expect(text.hasSuffix("\n\nhello"))
            #expect(r.bytesOut == 5)
            #expect(r.attack == "smoke")
            #expect(header(r, "X-Echo-Multi") == ["a", "b"])
        }
    }

    @Test("methods: GET with a body stays GET, PUT/DELETE/PATCH/HEAD go as written", arguments: transports)
    func methods(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(
            transport,
            [
                Target(method: "GET", url: server.base + "/echo", body: Array("b".utf8)),
                Target(method: "PUT", url: server.base + "/echo"),
                Target(method: "DELETE", url: server.base + "/echo"),
                Target(method: "PATCH", url: server.base + "/echo", body: Array("p".utf8)),
                Target(method: "HEAD", url: server.base + "/echo"),
            ]
        ) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 50_000_000
            $0.threads = 1
        }
        let bySeq = Dictionary(uniqueKeysWithValues: results.map { ($0.seq, $0) })
        #expect(bodyText(bySeq[0]).hasPrefix("GET /echo\n") && bodyText(bySeq[0]).hasSuffix("\n\nb"))
        #expect(bodyText(bySeq[1]).hasPrefix("PUT /echo\n") && bodyText(bySeq[1]).contains("Content-Length: 0\n"))
        #expect(bodyText(bySeq[2]).hasPrefix("DELETE /echo\n"))
        #expect(bodyText(bySeq[3]).hasPrefix("PATCH /echo\n") && bodyText(bySeq[3]).hasSuffix("\n\np"))
        #expect(bySeq[4]?.code == 200 && bySeq[4]?.body == [])
    }

    @Test("-rate=0 with -max-workers=1 runs one request at a time, for the duration", arguments: transports)
    func closedLoop(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(transport, [Target(method: "GET", url: server.base + "/slow?ms=50")]) {
            $0.pacer = .unlimited
            $0.maxWorkers = 1
            $0.duration = 300_000_000
        }
        // One in flight: about 300/50 requests, certainly not dozens.
        #expect(results.count >= 3 && results.count <= 8)
        #expect(server.hits == results.count)
        #expect(results.map(\.seq).sorted() == Array(0..<UInt64(results.count)))
    }

    @Test(
        "status >= 400 sets the error to the status line; 3xx with -redirects=-1 is returned as is",
        arguments: transports)
    func statusErrors(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(
            transport,
            [
                Target(method: "GET", url: server.base + "/status?code=404"),
                Target(method: "GET", url: server.base + "/status?code=418&reason="),
                Target(method: "GET", url: server.base + "/redirect?n=1"),
            ]
        ) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 30_000_000
            $0.redirects = -1
        }
        let bySeq = Dictionary(uniqueKeysWithValues: results.map { ($0.seq, $0) })
        #expect(bySeq[0]?.code == 404 && bySeq[0]?.error == "404 Not Found")
        #expect(bySeq[1]?.code == 418 && bySeq[1]?.error == "418 ")
        #expect(bySeq[2]?.code == 302 && bySeq[2]?.error == "")
    }

    @Test("redirects are followed up to -redirects, then Go's error", arguments: transports)
    func redirects(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let ok = try attack(transport, [Target(method: "GET", url: server.base + "/redirect?n=2")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.redirects = 2
        }
        #expect(ok.first?.code == 200 && ok.first?.body == Array("landed".utf8))
        let over = try attack(transport, [Target(method: "GET", url: server.base + "/redirect?n=5")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.redirects = 2
        }
        #expect(over.first?.code == 0)
        #expect(over.first?.error == "Get \"\(server.base)/redirect?n=2\": stopped after 2 redirects")
    }

    @Test("transport errors: refused, timeout, reset, cut body", arguments: transports)
    func transportErrors(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let refused = try attack(transport, [Target(method: "GET", url: "http://127.0.0.1:1/")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
        }
        #expect(
            refused.first?.error
                == "Get \"http://127.0.0.1:1/\": dial tcp 0.0.0.0:0->127.0.0.1:1: connect: connection refused")
        #expect(refused.first?.code == 0 && refused.first?.body == nil && refused.first?.headers == nil)
        let slow = try attack(transport, [Target(method: "GET", url: server.base + "/slow?ms=2000")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.timeout = 200_000_000
        }
        #expect(
            slow.first?.error
                == "Get \"\(server.base)/slow?ms=2000\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        )
        #expect((slow.first?.latency ?? 0) >= 200_000_000)
        let reset = try attack(transport, [Target(method: "GET", url: server.base + "/reset")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
        }
        #expect(reset.first?.code == 0)
        #expect(reset.first?.error.hasPrefix("Get \"\(server.base)/reset\": ") == true)
        let cut = try attack(transport, [Target(method: "GET", url: server.base + "/cut")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
        }
        #expect(cut.first?.code == 0)
        #expect(cut.first?.error.isEmpty == false)
    }

    @Test("gzip bodies are decoded and Content-Encoding/Content-Length dropped", arguments: transports)
    func gzip(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(transport, [Target(method: "GET", url: server.base + "/gzip")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
        }
        let r = try #require(results.first)
        #expect(r.body == Array("hello gzip".utf8))
        #expect(r.bytesIn == 10)
        #expect(header(r, "Content-Encoding") == nil && header(r, "Content-Length") == nil)
    }

    @Test("-max-body keeps only that many bytes", arguments: transports)
    func maxBody(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(transport, [Target(method: "GET", url: server.base + "/big?n=100000")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.maxBody = 10
        }
        #expect(results.first?.body == Array(repeating: UInt8(ascii: "x"), count: 10))
        #expect(results.first?.bytesIn == 10)
        #expect(results.first?.code == 200)
    }

    @Test("stop() ends sending; in-flight requests finish and are written", arguments: transports)
    func stopDrains(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        var o = AttackOptions()
        o.threads = 2
        o.transport = transport
        o.pacer = .make(rate: Rate(freq: 50))
        o.duration = 0
        let a = try Attack(options: o, targets: .loaded([Target(method: "GET", url: server.base + "/slow?ms=300")]))
        var sink = Collect(stopAfter: 3, attack: a)
        _ = try a.run(into: &sink)
        #expect(sink.results.count > 3)
        #expect(sink.results.allSatisfy { $0.code == 200 })
        #expect(server.hits == sink.results.count)
    }
}
