import BarrageCore
import Testing

@Suite("URL parts")
struct URLPartsTests {
    @Test("every part of a full URL")
    func parts() throws {
        let url = try #require(URLParts("HTTP://user:p%40ss@Example.com:8080/a/b?q=1#frag"))
        #expect(url.scheme == "http")
        #expect(url.userInfo == "user:p%40ss")
        #expect(url.host == "Example.com")
        #expect(url.port == 8080)
        #expect(url.target == "/a/b?q=1")
        #expect(url.hostHeader == "Example.com:8080")
        #expect(url.credentials == Array("user:p@ss".utf8))
    }

    @Test(
        "defaults: port by scheme, / for an empty path, IPv6 in brackets",
        arguments: [
            ("http://h", "h", 80, "/", "h"), ("https://h?x=1", "h", 443, "/?x=1", "h"),
            ("http://h:/p", "h", 80, "/p", "h"),
            ("https://[::1]:8443/x", "::1", 8443, "/x", "[::1]"), ("http://[fe80::1]", "fe80::1", 80, "/", "[fe80::1]"),
        ])
    func defaults(text: String, host: String, port: Int, target: String, bracketed: String) throws {
        let url = try #require(URLParts(text))
        #expect(url.host == host && url.port == port && url.target == target && url.bracketedHost == bracketed)
        #expect(url.credentials == nil)
    }

    @Test(
        "what is not an absolute URL with a host",
        arguments: [
            ("h/x", URLParts.Problem.missingScheme), ("1http://h", .missingScheme), ("mailto:x", .noAuthority),
            ("http://[::1/", .invalidHost), ("http://[::1]x/", .invalidHost), ("http://h:8x/", .invalidPort),
            ("http://h:+80/", .invalidPort),
        ])
    func problems(text: String, problem: URLParts.Problem) {
        #expect(throws: problem) { try URLParts(parsing: text) }
        #expect(URLParts(text) == nil)
    }

    @Test("an empty host parses, but is no URL to send to")
    func emptyHost() throws {
        #expect(try URLParts(parsing: "http:///x").host == "")
        #expect(URLParts("http:///x") == nil)
    }

    @Test(
        "redirect locations resolved against the URL",
        arguments: [
            ("https://other/x", "https://other/x"), ("//cdn/x", "http://cdn/x"), ("/top", "http://u@h:81/top"),
            ("?page=2", "http://u@h:81/dir/file?page=2"), ("next", "http://u@h:81/dir/next"),
        ])
    func resolve(location: String, expected: String) throws {
        let base = try #require(URLParts("http://u@h:81/dir/file?q=1"))
        #expect(base.resolve(location) == expected)
    }

    @Test(
        "Go's ParseRequestURI, as vegeta checks http targets",
        arguments: [
            ("http://127.0.0.1:8080/a?x=1", true), ("/relative/to/root", true), ("mailto:x", true),
            ("http://[::1]:80/", true), ("http:///no-host", true), ("HTTPS://h", true), ("http://h:99999/", true),
            ("", false), ("::nope", false), ("relative/path", false), ("http:", false), ("http://h:80x/", false),
            ("http://a b/", false), ("http://h/\u{7f}", false), ("http://[::1/", false),
        ])
    func requestURI(text: String, accepted: Bool) {
        #expect(URLParts.isRequestURI(text) == accepted)
    }

    @Test("percent escapes are decoded; bad ones kept")
    func percent() {
        #expect(URLParts.percentDecoded(Array("a%20b%zz%4".utf8)[...]) == Array("a b%zz%4".utf8))
    }
}
