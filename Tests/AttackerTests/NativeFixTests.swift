import Attacker
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Regression tests for the review of the native HTTP/1.1 transport (issue 3).
@Suite("Native HTTP/1.1 transport: review fixes", .serialized, .timeLimit(.minutes(3)))
struct NativeFixTests {
    @Test(
        "hits waiting behind -max-connections whose open fails at once all finish (none stranded)",
        arguments: transports)
    func waitersNotStranded(_ transport: TransportChoice) throws {
        let dir = makeTempDirectory()
        let path = dir + "/v.sock"
        let server = try #require(TestServer(unixSocket: path))
        _ = server
        // Hit 0 holds the one place and removes the socket; the hits queued behind it then fail to connect at once.
        let results = try attack(transport, [Target(method: "GET", url: "http://vanish.test/vanish?ms=300")]) {
            $0.pacer = .make(rate: Rate(freq: 50))
            $0.duration = 100_000_000
            $0.threads = 1
            $0.unixSocket = path
            $0.maxConnections = 1
            $0.timeout = 20_000_000_000
        }
        #expect(results.count == 5)
        let first = results.first { $0.seq == 0 }
        #expect(first?.code == 200)
        #expect(results.allSatisfy { !$0.error.contains("deadline") })
        #expect(results.filter { $0.seq != 0 }.allSatisfy { $0.code == 0 && !$0.error.isEmpty })
    }
}

@Suite("Native HTTP/1.1 transport: retries and parsing", .serialized, .timeLimit(.minutes(3)))
struct NativeRetryTests {
    private func twoHits(_ transport: TransportChoice, _ method: String, _ url: String) throws -> [Result] {
        try attack(transport, [Target(method: method, url: url, body: method == "POST" ? Array("b".utf8) : [])]) {
            $0.pacer = .make(rate: Rate(freq: 50))
            $0.duration = 40_000_000
            $0.threads = 1
        }.sorted { $0.seq < $1.seq }
    }

    @Test("a reused connection that dies after the request went out: GET is sent again, POST is not (as Go)")
    func postNotRetried() throws {
        let server = try #require(TestServer())
        let get = try twoHits(.native, "GET", server.base + "/second-dies")
        #expect(get.count == 2)
        #expect(get.allSatisfy { $0.code == 200 && $0.error == "" })
        let post = try twoHits(.native, "POST", server.base + "/second-dies")
        #expect(post.count == 2)
        #expect(post.first?.code == 200)
        #expect(post.last?.code == 0)
        #expect(post.last?.error == "Post \"\(server.base)/second-dies\": EOF")
    }

    @Test("a GET on a reused connection that dies is retried on both transports", arguments: transports)
    func getRetried(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let get = try twoHits(transport, "GET", server.base + "/second-dies")
        #expect(get.count == 2)
        #expect(get.allSatisfy { $0.code == 200 && $0.error == "" })
    }
}

@Suite("Both transports: gzip as Go", .serialized, .timeLimit(.minutes(3)))
struct NativeGzipTests {
    private func one(_ transport: TransportChoice, _ url: String, headers: [TargetHeader] = [], maxBody: Int64 = -1)
        throws -> Result?
    {
        try attack(transport, [Target(method: "GET", url: url, headers: headers)]) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.maxBody = maxBody
        }.first
    }

    @Test(
        "decoded only when the transport asked for gzip and Content-Encoding is exactly gzip (any case)",
        arguments: transports)
    func decodeRule(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let plain = try #require(try one(transport, server.base + "/gz?enc=GZIP"))
        #expect(plain.code == 200 && plain.error == "" && bodyText(plain) == "hello gzip")
        #expect(header(plain, "Content-Encoding") == nil && header(plain, "Content-Length") == nil)
        for (query, enc) in [("x-gzip", "x-gzip"), ("gzip,%20br", "gzip, br")] {
            let r = try #require(try one(transport, server.base + "/gz?enc=" + query))
            #expect(r.code == 200 && r.body?.prefix(2) == [0x1f, 0x8b], "\(enc)")
            #expect(header(r, "Content-Encoding") == [enc])
        }
        let own = [
            TargetHeader(name: "Accept-Encoding", values: ["gzip"]), TargetHeader(name: "Range", values: ["bytes=0-"]),
        ]
        for own in own {
            let r = try #require(try one(transport, server.base + "/gz", headers: [own]))
            #expect(r.code == 200 && r.body?.prefix(2) == [0x1f, 0x8b], "\(own.name)")
            #expect(header(r, "Content-Encoding") == ["gzip"])
        }
    }

    @Test("a corrupt or cut gzip body is an error with code 0, as Go's reader", arguments: transports)
    func corrupt(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let bad = try #require(try one(transport, server.base + "/gz?mode=bad"))
        #expect(bad.code == 0 && bad.error == "gzip: invalid header")
        let cut = try #require(try one(transport, server.base + "/gz?mode=cut"))
        #expect(cut.code == 0 && cut.error == "unexpected EOF")
        #expect(bodyText(cut) == "hello gzip")
    }

    @Test("-max-body cuts a gzip body while it streams in", arguments: transports)
    func maxBody(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let r = try #require(try one(transport, server.base + "/gz?mode=big&n=3000000", maxBody: 5))
        #expect(r.code == 200 && r.error == "")
        #expect(bodyText(r) == "xxxxx" && r.bytesIn == 5)
    }
}

@Suite("Native HTTP/1.1 transport: URL credentials and lookups", .serialized, .timeLimit(.minutes(3)))
struct NativeAuthTests {
    @Test(
        "user info in the URL is sent as basic auth unless the target has its own Authorization",
        arguments: transports)
    func basicAuth(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let url = "http://user:p%40ss@127.0.0.1:\(server.port)/echo"
        let results = try attack(
            transport,
            [
                Target(method: "GET", url: url),
                Target(method: "GET", url: url, headers: [TargetHeader(name: "Authorization", values: ["Bearer t"])]),
                Target(method: "GET", url: "http://ab@127.0.0.1:\(server.port)/echo"),
            ]
        ) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 30_000_000
            $0.threads = 1
        }.sorted { $0.seq < $1.seq }
        #expect(results.count == 3)
        func auth(_ r: Result?) -> [String] {
            bodyText(r).split(separator: "\n").filter { $0.hasPrefix("Authorization: ") }.map(String.init)
        }
        #expect(auth(results.first) == ["Authorization: Basic dXNlcjpwQHNz"])
        #expect(auth(results.dropFirst().first) == ["Authorization: Bearer t"])
        #expect(auth(results.last) == ["Authorization: Basic YWI6"])
    }

    @Test("every hit to a host that does not resolve gets Go's lookup error (failures are cached briefly)")
    func failedLookups() throws {
        let results = try attack(.native, [Target(method: "GET", url: "http://nohost.invalid/")]) {
            $0.pacer = .make(rate: Rate(freq: 200))
            $0.duration = 50_000_000
            $0.threads = 1
        }
        #expect(results.count == 10)
        let text = "Get \"http://nohost.invalid/\": dial tcp: lookup nohost.invalid: no such host"
        #expect(results.allSatisfy { $0.error == text })
    }
}

@Suite("Native HTTP/1.1 transport: request writes", .serialized, .timeLimit(.minutes(3)))
struct NativeWriteTests {
    @Test("a body larger than the socket buffer goes out whole across partial writes", arguments: transports)
    func bigBody(_ transport: TransportChoice) throws {
        let server = try #require(TestServer())
        let body = [UInt8](repeating: 0x61, count: 3_000_000)
        let results = try attack(
            transport, [Target(method: "POST", url: server.base + "/redirect?n=0&echo=1", body: body)]
        ) {
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 20_000_000
            $0.threads = 1
        }
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.code == 200 && bodyText($0) == "landed POST 3000000" })
    }
}
