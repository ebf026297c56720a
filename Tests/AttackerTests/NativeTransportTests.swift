import Attacker
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Native HTTP/1.1 transport", .serialized, .timeLimit(.minutes(3)))
struct NativeTransportTests {
    private func once(_ transport: TransportChoice, _ target: Target) throws -> Result? {
        try attack(transport, [target]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
        }.first
    }

    @Test("chunked responses are decoded (extensions and trailers skipped); -max-body cuts them", arguments: transports)
    func chunkedResponses(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let r = try #require(try once(transport, Target(method: "GET", url: server.base + "/chunked?n=3")))
        #expect(r.code == 200 && r.error == "")
        #expect(bodyText(r) == "chunk0;chunk1;chunk2;")
        #expect(r.bytesIn == 21)
        #expect(header(r, "Transfer-Encoding") == ["chunked"])
        let cut = try attack(transport, [Target(method: "GET", url: server.base + "/chunked?n=50")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 20_000_000
            $0.maxBody = 9
        }
        #expect(cut.count == 2)
        #expect(cut.allSatisfy { bodyText($0) == "chunk0;ch" && $0.code == 200 })
    }

    @Test("a response cut inside header and chunk lines across reads is put together", arguments: transports)
    func splitReads(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let r = try #require(try once(transport, Target(method: "GET", url: server.base + "/split")))
        #expect(r.code == 200 && r.error == "")
        #expect(bodyText(r) == "hello world")
        #expect(header(r, "X-Split") == ["yes"])
    }

    @Test(
        "a body without length ends when the server closes; a stale keep-alive connection is retried",
        arguments: transports)
    func closeDelimitedAndStale(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let r = try #require(try once(transport, Target(method: "GET", url: server.base + "/close")))
        #expect(r.code == 200 && r.error == "")
        #expect(bodyText(r) == "until close")
        #expect(header(r, "X-Framing") == ["close"])
        // The server closes every connection after answering, without saying so.
        let dropped = try attack(transport, [Target(method: "GET", url: server.base + "/drop")]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 200_000_000
            $0.threads = 1
        }
        #expect(dropped.count == 20)
        #expect(dropped.allSatisfy { $0.code == 200 && $0.error == "" })
    }

    @Test("one request at a time reuses one connection", arguments: transports)
    func connectionReuse(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(transport, [Target(method: "GET", url: server.base + "/")]) {
            $0.pacer = .unlimited
            $0.maxWorkers = 1
            $0.threads = 1
            $0.duration = 200_000_000
        }
        #expect(results.count >= 3)
        #expect(results.allSatisfy { $0.code == 200 })
        #expect(server.get("/stats").hasPrefix("connections=2 "))  // the attack's one + this query
    }

    @Test("requests go out in Go's header order: Host, User-Agent, Content-Length, sorted headers, Accept-Encoding")
    func headerOrder() throws {
        let server = try #require(TestServer())
        let r = try #require(
            try once(
                .native,
                Target(
                    method: "POST", url: server.base + "/echo?q=1#frag", body: Array("xy".utf8),
                    headers: [
                        TargetHeader(name: "Zeta", values: ["z"]), TargetHeader(name: "Alpha", values: ["a1", "a2"]),
                    ])))
        let lines = bodyText(r).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(10)) == [
                "POST /echo?q=1", "Client-Address: 127.0.0.1", "Host: 127.0.0.1:\(server.port)",
                "User-Agent: Go-http-client/1.1", "Content-Length: 2", "Alpha: a1", "Alpha: a2", "X-Vegeta-Seq: 0",
                "Zeta: z", "Accept-Encoding: gzip",
            ])
    }

    @Test("auto picks the native transport for http://, https:// and h2c; libcurl when an option needs it")
    func autoChoice() throws {
        let http = [Target(method: "GET", url: "http://127.0.0.1:1/")]
        var o = AttackOptions()
        #expect(try Attack(options: o, targets: .loaded(http)).usesNativeTransport)
        #expect(
            try Attack(options: o, targets: .loaded([Target(method: "GET", url: "https://127.0.0.1:1/")]))
                .usesNativeTransport)
        o.h2c = true
        #expect(try Attack(options: o, targets: .loaded(http)).usesNativeTransport)
        #expect(Attack.nativeBlocker(o) == nil)
        o.transport = .curl
        #expect(!(try Attack(options: o, targets: .loaded(http)).usesNativeTransport))
        o.transport = .auto
        o.resolvers = ["127.0.0.1:53"]
        #expect(Attack.nativeBlocker(o) == "-resolvers")
        #expect(!(try Attack(options: o, targets: .loaded(http)).usesNativeTransport))
        o.resolvers = []
        o.proxyHeaders = [TargetHeader(name: "X-Proxy", values: ["1"])]
        #expect(Attack.nativeBlocker(o) == "-proxy-header")
    }

    @Test("host names resolve (localhost); an unknown host is Go's lookup error")
    func hostNames() throws {
        let server = try #require(TestServer())
        let r = try #require(try once(.native, Target(method: "GET", url: "http://localhost:\(server.port)/")))
        #expect(r.code == 200)
        let bad = try #require(try once(.native, Target(method: "GET", url: "http://nohost.invalid/")))
        #expect(bad.error == "Get \"http://nohost.invalid/\": dial tcp: lookup nohost.invalid: no such host")
    }
}

@Suite("Native HTTP/1.1 transport: redirects", .serialized, .timeLimit(.minutes(3)))
struct NativeRedirectTests {
    @Test("302 turns a POST into a body-less GET; 307 keeps the method and body", arguments: transports)
    func redirectMethods(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let results = try attack(
            transport,
            [
                Target(method: "POST", url: server.base + "/redirect?n=2&echo=1", body: Array("abc".utf8)),
                Target(method: "POST", url: server.base + "/redirect?n=2&echo=1&code=307", body: Array("abc".utf8)),
            ]
        ) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 20_000_000
            $0.threads = 1
        }
        let bySeq = Dictionary(uniqueKeysWithValues: results.map { ($0.seq, $0) })
        #expect(bodyText(bySeq[0]) == "landed GET 0")
        #expect(bodyText(bySeq[1]) == "landed POST 3")
        #expect(bySeq[0]?.url == server.base + "/redirect?n=2&echo=1" && bySeq[0]?.bytesOut == 3)
    }
}

@Suite("Native HTTP/1.1 transport: same results as libcurl", .serialized, .timeLimit(.minutes(3)))
struct TransportParityTests {
    @Test("every field but timestamp and latency matches libcurl's (Date headers and chunked trailers aside)")
    func sameResults() throws {
        let server = try #require(TestServer())
        let paths = [
            "/", "/status?code=404", "/status?code=418&reason=", "/redirect?n=2", "/gzip", "/big?n=3000",
            "/chunked?n=4", "/close", "/cut", "/reset",
        ]
        let targets =
            paths.map { Target(method: "GET", url: server.base + $0) } + [
                Target(method: "GET", url: "http://127.0.0.1:1/"),
                Target(method: "HEAD", url: server.base + "/big?n=10"),
                Target(method: "POST", url: server.base + "/status?code=201", body: Array("body".utf8)),
            ]
        func run(_ transport: TransportChoice) throws -> [UInt64: Result] {
            let results = try attack(transport, targets) {
                $0.pacer = .make(rate: Rate(freq: 200))
                $0.duration = Int64(targets.count) * 5_000_000
                $0.maxBody = 1000
            }
            return Dictionary(uniqueKeysWithValues: results.map { ($0.seq, $0) })
        }
        let curl = try run(.curl)
        let native = try run(.native)
        #expect(curl.count == targets.count && native.count == targets.count)
        for seq in 0..<UInt64(targets.count) {
            guard var a = curl[seq], var b = native[seq] else { continue }
            for i in [0, 1] {
                var r = i == 0 ? a : b
                r.timestamp = Timestamp(unixNanoseconds: 0)
                r.latency = 0
                // libcurl hands chunked trailers over with the headers; Go (and the native transport) keeps them
                // out of Header, which is what vegeta records.
                r.headers = r.headers?.filter { $0.name != "Date" && $0.name != "X-Trailer" }
                if i == 0 { a = r } else { b = r }
            }
            // Ports in reset texts differ per connection.
            if a.error.contains("read tcp ") && b.error.contains("read tcp ") { a.error = b.error }
            #expect(a == b, "\(targets[Int(seq)].method) \(targets[Int(seq)].url)")
        }
    }
}
