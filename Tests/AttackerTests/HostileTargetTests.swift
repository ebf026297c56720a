import Attacker
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Targets Go's net/http refuses to send are refused when read, with Go's words and the target's line, so no
/// injected header or smuggled request reaches the wire on either transport.
@Suite("hostile targets and flags are refused; paths are escaped as Go escapes them", .timeLimit(.minutes(3)))
struct HostileTargetTests {
    /// A JSON target line with `method`, `url` and one header (JSON escapes written as they go in the file).
    static func json(method: String = "GET", url: String = "http://127.0.0.1:9/", header: String = "")
        -> String
    {
        #"{"method":"\#(method)","url":"\#(url)""# + (header.isEmpty ? "" : #","header":{\#(header)}"#) + "}\n"
    }

    static let hostileJSON: [(String, String)] = [
        (
            json(method: #"GET /x HTTP/1.1\r\nHost: y\r\n\r\nGET"#),
            #"net/http: invalid method "GET /x HTTP/1.1\r\nHost: y\r\n\r\nGET""#
        ),
        (json(method: "GE T"), #"net/http: invalid method "GE T""#),
        (json(method: #"GET\u0000"#), #"net/http: invalid method "GET\x00""#),
        (json(header: #""X-A":["a\r\nX-Injected: 1"]"#), #"net/http: invalid header field value for "X-A""#),
        (json(header: #""X-A":["a\u0000b"]"#), #"net/http: invalid header field value for "X-A""#),
        (json(header: #""X-A":["ok","a\nb"]"#), #"net/http: invalid header field value for "X-A""#),
        (json(header: #""X A":["v"]"#), #"net/http: invalid header field name "X A""#),
        (json(header: #""X-A\r\nX-B":["v"]"#), #"net/http: invalid header field name "X-A\r\nX-B""#),
        (json(header: #""":["v"]"#), #"net/http: invalid header field name """#),
        (json(header: #""Host":["h\r\nX: y"]"#), #"net/http: invalid header field value for "Host""#),
        (json(header: #""Host":["a b"]"#), "http: invalid Host header"),
        (json(url: "http://[::1"), #"parse "http://[::1": missing ']' in host"#),
        (json(url: "http://h:70000/"), #"parse "http://h:70000/": invalid port ":70000" after host"#),
        (json(url: "http://h:8x/"), #"parse "http://h:8x/": invalid port ":8x" after host"#),
        (json(url: #"http://h/\u0001"#), #"parse "http://h/\x01": net/url: invalid control character in URL"#),
        (
            json(url: #"http://h/a HTTP/1.1\r\nHost: y\r\n\r\nGET /b"#),
            #"parse "http://h/a HTTP/1.1\r\nHost: y\r\n\r\nGET /b": net/url: invalid control character in URL"#
        ),
        (json(url: "http://h/%zz"), #"parse "http://h/%zz": invalid URL escape "%zz""#),
        (json(url: "http://a b/"), #"parse "http://a b/": invalid character " " in host name"#),
        (json(url: ":x"), #"parse ":x": missing protocol scheme"#),
    ]

    static let hostileHTTP: [(String, String)] = [
        ("GET http://h/\nX-A: a\rX-Injected: 1\n", #"net/http: invalid header field value for "X-A""#),
        ("GET http://h/\nX-A: a\u{0}b\n", #"net/http: invalid header field value for "X-A""#),
        ("GET http://h/\nx a: v\n", #"net/http: invalid header field name "x a""#),
        ("GET http://h/\nHost: a\rb\n", #"net/http: invalid header field value for "Host""#),
        ("GET http://h/\nHost: a b\n", "http: invalid Host header"),
        ("GET http://[::1\n", "bad URL: http://[::1"),
        ("GET http://h:70000/\n", "bad URL: http://h:70000/"),
        ("GET http://h/a\u{1}b\n", "bad URL: http://h/a\u{1}b"),
        ("GET http://h/%zz\n", "bad URL: http://h/%zz"),
        ("GET http://h/#%zz\n", "bad URL: http://h/#%zz"),
    ]

    @Test("json targets Go refuses are load errors with Go's text and line", arguments: hostileJSON)
    func hostileJSONTargets(_ line: String, _ message: String) throws {
        try expectRefused("{\"method\":\"GET\",\"url\":\"http://h/\"}\n\n" + line, format: .json, message, line: 3)
    }

    @Test("http targets Go refuses are load errors with Go's text and the target's line", arguments: hostileHTTP)
    func hostileHTTPTargets(_ target: String, _ message: String) throws {
        try expectRefused("# first\nGET http://h/\n\n" + target, format: .http, message, line: 4)
    }

    func expectRefused(_ text: String, format: TargetFormat, _ message: String, line: Int) throws {
        var reader = TargetReader(bytes: Array(text.utf8), name: "stdin", format: format)
        #expect(throws: TargetError(message, source: "stdin", line: line)) { try reader.readAll() }
        var lazy = TargetReader(bytes: Array(text.utf8), name: "stdin", format: format)
        #expect(try lazy.next() != nil)
        let error = #expect(throws: TargetError.self) { try lazy.next() }
        #expect(error?.description == "\(message) (stdin line \(line))")
    }

    static let acceptedJSON: [String] = [
        json(method: "PURGE"), json(method: "M-SEARCH"),
        json(header: #""X-A":["a\tb","ünïcode"],"Host":["example.com:8080"]"#),
        json(url: "http://[::1]:8080/a b?q=1 2#frag"), json(url: "http://u:p%40ss@h/"),
        json(url: "http://h:65535/%2F"), json(url: "http://[fe80::1%25eth0]:80/"),
    ]

    @Test("targets Go sends are still accepted", arguments: acceptedJSON)
    func accepted(_ line: String) throws {
        var reader = TargetReader(bytes: Array(line.utf8), name: "stdin", format: .json)
        #expect(try reader.readAll().count == 1)
    }

    @Test(
        "paths go out as Go's EscapedPath writes them",
        arguments: [
            ("http://h/a b", "http://h/a%20b"), ("http://h/a%20b", "http://h/a%20b"), ("http://h/ä", "http://h/%C3%A4"),
            ("http://h/a%2Fb c", "http://h/a/b%20c"), ("http://h/a b?q=1 2#f", "http://h/a%20b?q=1 2"),
            ("http://h", "http://h/"), ("http://h?x", "http://h/?x"),
            ("http://h/a;b=c:d@e!$&'()*+,[]", "http://h/a;b=c:d@e!$&'()*+,[]"),
            ("http://h/\"<>`{}|^\\", "http://h/%22%3C%3E%60%7B%7D%7C%5E%5C"),
        ])
    func escaped(_ url: String, _ wire: String) {
        #expect(GoURL.wireForm(url) == wire)
    }
}
