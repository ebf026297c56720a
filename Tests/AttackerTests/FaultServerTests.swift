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

/// The protocols a hostile mode is sent over: HTTP/1.1 plain and over TLS (the test server), h2c and h2 over TLS
/// (the hostile HTTP/2 server).
enum FaultWire: String, Sendable, CaseIterable {
    case http1, https1, h2c, h2

    /// Go's outcomes for this protocol's modes.
    var cases: [FaultCase] { self == .http1 || self == .https1 ? faultCases : h2FaultCases }
}

/// One mode over one protocol.
struct FaultRow: Sendable, CustomTestStringConvertible {
    let wire: FaultWire
    let fault: FaultCase
    var testDescription: String { "\(wire.rawValue) \(fault.mode)" }

    static let all: [FaultRow] = FaultWire.allCases.flatMap { w in w.cases.map { FaultRow(wire: w, fault: $0) } }

    /// Where a transport is known to differ from Go on this row (the case's own known issues count for HTTP/1.x).
    func knownIssue(_ transport: TransportChoice) -> String? {
        if let why = fault.knownIssue[transport] { return why }
        switch (transport, wire) {
        case (.native, .h2c), (.native, .h2):
            guard fault.mode == "header-flood" else { return nil }
            return "nghttp2 refuses an HPACK header field over 64 KiB (Go takes 10 MB of headers)"
        case (.curl, .https1):
            return fault.mode.hasPrefix("reset") ? "libcurl over TLS reports the reset as a failed write" : nil
        case (.curl, .h2c) where fault.mode == "redirect-loop":
            return "libcurl 7.88 fails every reused h2c connection (Error in the HTTP2 framing layer)"
        case (.curl, .h2c), (.curl, .h2):
            return curlH2KnownIssues[fault.mode]
        default:
            return nil
        }
    }
}

/// Where libcurl's HTTP/2 (nghttp2 under libcurl 7.88's rules) words or decides a hostile answer differently from
/// Go's; the native transport follows Go.
let curlH2KnownIssues: [String: String] = [
    "goaway": "libcurl does not name the GOAWAY that ended the connection (unexpected EOF)",
    "reset-after-headers": "libcurl hands HTTP/2 headers over with the body: a reset after them reads as one before",
    "short-body": "libcurl's HTTP/2 refuses a body shorter than its content-length in its own words",
    "huge-length": "libcurl (nghttp2's HTTP checks) refuses a content-length Go ignores",
    "two-lengths": "libcurl (nghttp2's HTTP checks) refuses a repeated content-length Go ignores",
    "header-flood": "libcurl refuses a header field over 100 KB (Go takes 10 MB of headers)",
    "status-999": "libcurl's status text",
    "status-abc": "libcurl refuses a :status that is not a number in its own words",
]

/// One hit to each hostile mode over each protocol, through both transports: the outcome Go's net/http gives (code
/// and error text), and the two transports agreeing field for field where both give Go's.
@Suite("hostile servers: both transports give Go's outcome", .serialized, .timeLimit(.minutes(3)))
struct FaultServerTests {
    static let certificates = TestCertificates.shared
    static let plain = TestServer()
    static let tls = certificates.flatMap { TestServer(extra: ["--tls", $0.serverCert, $0.serverKey]) }
    static let h2 = certificates.flatMap { H2FaultServer(certificate: $0.serverCert, key: $0.serverKey) }

    /// The mode's URL over `wire`.
    static func url(_ wire: FaultWire, _ mode: String) throws -> String {
        let base: String
        switch wire {
        case .http1: base = try #require(plain).base
        case .https1: base = try #require(tls).https
        case .h2c: base = try #require(h2).h2c
        case .h2: base = try #require(h2).tls
        }
        return base + "/fault?mode=" + mode
    }

    /// One hit to `/fault?mode=...` over `wire` on `transport`, trusting the test CA.
    static func hit(_ row: FaultRow, _ transport: TransportChoice) throws -> Result {
        let ca = try #require(certificates).ca
        let url = try url(row.wire, row.fault.mode)
        let results = try attack(transport, [Target(method: "GET", url: url)]) {
            $0.threads = 1
            $0.pacer = .make(rate: Rate(freq: 100))
            $0.duration = 10_000_000
            $0.timeout = row.fault.timeout
            $0.h2c = row.wire == .h2c
            $0.rootCertificates = (try? Run.read(ca)) ?? []
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

    @Test("the result is Go's", arguments: FaultRow.all, [TransportChoice.native, .curl])
    func goOutcome(_ row: FaultRow, _ transport: TransportChoice) throws {
        let c = row.fault
        let url = try FaultServerTests.url(row.wire, c.mode)
        let r = try FaultServerTests.hit(row, transport)
        let check = {
            #expect(r.code == c.code, "\(r.error)")
            #expect(FaultServerTests.matches(r.error, c.error, url: url), "got: \(r.error)")
            if let body = c.body { #expect(String(decoding: r.body ?? [], as: UTF8.self) == body) }
        }
        if let why = row.knownIssue(transport) {
            withKnownIssue(Comment(rawValue: why), isIntermittent: true) { check() }
        } else {
            check()
        }
    }

    @Test(
        "both transports agree field for field (timestamps, latency and connection ports aside)",
        arguments: FaultRow.all)
    func transportsAgree(_ row: FaultRow) throws {
        guard row.knownIssue(.curl) == nil else { return }
        let c = row.fault
        let native = try FaultServerTests.hit(row, .native)
        let curl = try FaultServerTests.hit(row, .curl)
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
