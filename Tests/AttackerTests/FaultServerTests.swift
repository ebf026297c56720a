import Attacker
import Encoder
import TestSupport
import Testing

/// What Go's net/http (and so vegeta) records for one hostile answer of the test server's `/fault?mode=M`.
struct FaultCase: Sendable, CustomTestStringConvertible {
    let mode: String
    /// The result's code.
    let code: UInt16
    /// The error: exact, with `{url}` for the target's URL; `{read}` stands for `read tcp A->B` (ports vary).
    let error: String
    /// The kept body, when Go's is certain (nil: not compared with Go, only between the transports).
    var body: String? = nil
    /// Options beyond the default ones.
    var timeout: Int64 = 10_000_000_000
    /// Transports that disagree with Go today, and why (a `withKnownIssue`).
    var knownIssue: [TransportChoice: String] = [:]

    var testDescription: String { mode }
}

/// The table: every mode of the server's `/fault`, with Go's outcome (net/http's wording in its source).
let faultCases: [FaultCase] = [
    FaultCase(mode: "close", code: 0, error: #"Get "{url}": EOF"#),
    FaultCase(mode: "reset-before-headers", code: 0, error: #"Get "{url}": {read}: read: connection reset by peer"#),
    FaultCase(mode: "reset-after-headers", code: 0, error: "{read}: read: connection reset by peer", body: ""),
    FaultCase(mode: "short-body", code: 0, error: "unexpected EOF", body: "0123456789"),
    FaultCase(
        mode: "huge-length", code: 0,
        error:
            #"Get "{url}": net/http: HTTP/1.x transport connection broken: bad Content-Length "99999999999999999999""#),
    FaultCase(
        mode: "two-lengths", code: 0,
        error:
            #"Get "{url}": net/http: HTTP/1.x transport connection broken: http: message cannot contain multiple Content-Length headers; got ["10" "20"]"#
    ),
    FaultCase(mode: "bad-chunked", code: 0, error: "invalid byte in chunk length", body: ""),
    FaultCase(
        mode: "header-flood", code: 200, error: "", body: "ok",
        knownIssue: [.curl: "libcurl refuses a header line over 100 KB (Go takes 10 MB of headers): Out of memory"]),
    FaultCase(mode: "status-999", code: 999, error: "999 Weird", body: "ok"),
    FaultCase(
        mode: "status-abc", code: 0,
        error: #"Get "{url}": net/http: HTTP/1.x transport connection broken: malformed HTTP status code "abc""#,
        knownIssue: [.curl: "libcurl rejects the status line without handing it over: Unsupported HTTP version"]),
    FaultCase(mode: "redirect-loop", code: 0, error: #"Get "{url}": stopped after 10 redirects"#),
    FaultCase(
        mode: "slow-body", code: 0,
        error: "context deadline exceeded (Client.Timeout or context cancellation while reading body)",
        timeout: 500_000_000),
    FaultCase(
        mode: "garbage", code: 0,
        error: #"Get "{url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response "garbage""#,
        knownIssue: [.curl: "libcurl takes a line that is not HTTP for HTTP/0.9 and refuses it without the line"]),
]

/// One plain-http hit to each hostile mode, through both transports: the outcome Go's net/http gives (code and
/// error text), and the two transports agreeing field for field.
@Suite("hostile servers: both transports give Go's outcome", .serialized, .timeLimit(.minutes(1)))
struct FaultServerTests {
    static let server = TestServer()

    /// One hit to `/fault?mode=...` on `transport`.
    static func hit(_ c: FaultCase, _ transport: TransportChoice) throws -> Result {
        let server = try #require(FaultServerTests.server)
        let results = try attack(transport, [Target(method: "GET", url: server.base + "/fault?mode=" + c.mode)]) {
            $0.threads = 1
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.timeout = c.timeout
        }
        return try #require(results.first)
    }

    /// Whether `error` is Go's `pattern` (`{url}` replaced; `{read}` any `read tcp 127.0.0.1:A->127.0.0.1:B`).
    static func matches(_ error: String, _ pattern: String, url: String) -> Bool {
        let p = pattern.replacing("{url}", with: url)
        guard let r = p.firstRange(of: "{read}") else { return error == p }
        let head = String(p[..<r.lowerBound])
        let tail = String(p[r.upperBound...])
        guard error.hasPrefix(head + "read tcp 127.0.0.1:"), error.hasSuffix(tail) else { return false }
        let middle = error.dropFirst(head.count + 19).dropLast(tail.count)
        return middle.contains("->127.0.0.1:") && middle.allSatisfy { $0.isNumber || "->.:".contains($0) }
    }

    @Test("the result is Go's", arguments: faultCases, [TransportChoice.native, .curl])
    func goOutcome(_ c: FaultCase, _ transport: TransportChoice) throws {
        let server = try #require(FaultServerTests.server)
        let url = server.base + "/fault?mode=" + c.mode
        let r = try FaultServerTests.hit(c, transport)
        let check = {
            #expect(r.code == c.code, "\(r.error)")
            #expect(FaultServerTests.matches(r.error, c.error, url: url), "got: \(r.error)")
            if let body = c.body { #expect(String(decoding: r.body ?? [], as: UTF8.self) == body) }
        }
        if let why = c.knownIssue[transport] {
            withKnownIssue(Comment(rawValue: why), isIntermittent: false) { check() }
        } else {
            check()
        }
    }

    @Test(
        "both transports agree field for field (timestamps, latency and connection ports aside)", arguments: faultCases)
    func transportsAgree(_ c: FaultCase) throws {
        guard c.knownIssue.isEmpty else { return }
        let native = try FaultServerTests.hit(c, .native)
        let curl = try FaultServerTests.hit(c, .curl)
        #expect(native.code == curl.code)
        #expect(native.method == curl.method && native.url == curl.url)
        #expect(native.bytesIn == curl.bytesIn && native.bytesOut == curl.bytesOut)
        // How much of a trickling body came in before the deadline varies.
        if c.mode != "slow-body" { #expect(native.body == curl.body) }
        if c.error.contains("{read}") {
            #expect(native.error.split(separator: ":").last == curl.error.split(separator: ":").last)
        } else {
            #expect(native.error == curl.error)
        }
        func fields(_ r: Result) -> [String] {
            (r.headers ?? []).filter { $0.name != "Date" }.map { $0.name + ": " + $0.values.joined(separator: ", ") }
        }
        #expect(fields(native) == fields(curl))
    }
}
