import Fetch
import Foundation
import TestSupport
import Testing

/// What the echo endpoint saw.
struct Echo: Decodable {
    var method: String
    var path: String
    var headers: [[String]]
    var body: String

    init(_ response: FetchResponse) throws { self = try JSONDecoder().decode(Echo.self, from: Data(response.body)) }

    func header(_ name: String) -> String? { headers.last { $0.first?.lowercased() == name.lowercased() }?.last }
}

/// The error a closure threw, as a `FetchError` (or nil).
func fetchError(_ body: () throws -> FetchResponse) -> FetchError? {
    do {
        _ = try body()
        return nil
    } catch let error as FetchError {
        return error
    } catch {
        return nil
    }
}

@Suite("Fetch over http", .timeLimit(.minutes(3)), .enabled(if: fetchToolsInstalled))
struct HTTPTests {
    @Test("GET: status, headers in order and the body")
    func get() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let response = try FetchClient.send(FetchRequest(url: server.http + "/echo?q=a%20b"))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(response.headers.filter { $0.0 == "X-Multi" }.map(\.1) == ["a", "b"])
        let echo = try Echo(response)
        #expect(echo.method == "GET")
        #expect(echo.path == "/echo?q=a%20b")
        #expect(echo.header("User-Agent") == "barrage-chaos/1.0")
        #expect(echo.header("Accept") == "*/*")
        #expect(echo.header("Content-Length") == nil)
    }

    @Test("any method with headers, a body and a bearer token")
    func methodsBodiesAndToken() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let request = FetchRequest(
            url: server.http + "/echo", method: "PATCH",
            headers: [("Content-Type", "application/json"), ("X-Empty", "")],
            body: Array(#"{"a": 1}"#.utf8), bearerToken: "s3cret")
        let echo = try Echo(FetchClient.send(request))
        #expect(echo.method == "PATCH")
        #expect(echo.body == #"{"a": 1}"#)
        #expect(echo.header("Authorization") == "Bearer s3cret")
        #expect(echo.header("Content-Type") == "application/json")
        #expect(echo.header("X-Empty") == "")
        #expect(echo.header("Expect") == nil)

        let empty = try Echo(FetchClient.send(FetchRequest(url: server.http + "/echo", method: "DELETE", body: [])))
        #expect(empty.method == "DELETE")
        #expect(empty.header("Content-Length") == "0")
        let given = FetchRequest(
            url: server.http + "/echo", headers: [("Authorization", "Basic eA==")], bearerToken: "t")
        #expect(try Echo(FetchClient.send(given)).header("Authorization") == "Basic eA==")
    }

    @Test("HEAD has no body; a 5xx is a response")
    func headAndServerErrors() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let head = try FetchClient.send(FetchRequest(url: server.http + "/echo", method: "HEAD"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        let failed = try FetchClient.send(FetchRequest(url: server.http + "/status/503"))
        #expect(failed.status == 503)
        #expect(failed.bodyText == "status\n")
    }

    @Test("one client sends several requests")
    func clientReuse() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let client = try FetchClient()
        for n in 0..<3 {
            let echo = try Echo(
                client.send(FetchRequest(url: server.http + "/echo?n=\(n)", method: "POST", body: [0x41])))
            #expect(echo.path == "/echo?n=\(n)")
            #expect(echo.body == "A")
        }
    }

    struct RedirectCase: Sendable, CustomStringConvertible {
        var status: Int
        var method: String
        var followedWith: String
        var keepsBody: Bool
        var description: String { "\(status) \(method)" }
    }

    @Test(
        "redirects follow requests' rules",
        arguments: [
            RedirectCase(status: 301, method: "POST", followedWith: "GET", keepsBody: false),
            RedirectCase(status: 301, method: "PUT", followedWith: "PUT", keepsBody: false),
            RedirectCase(status: 302, method: "POST", followedWith: "GET", keepsBody: false),
            RedirectCase(status: 303, method: "PUT", followedWith: "GET", keepsBody: false),
            RedirectCase(status: 307, method: "POST", followedWith: "POST", keepsBody: true),
            RedirectCase(status: 308, method: "PATCH", followedWith: "PATCH", keepsBody: true),
        ])
    func redirects(c: RedirectCase) throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let request = FetchRequest(
            url: server.http + "/redirect/\(c.status)?to=/echo", method: c.method,
            headers: [("Content-Type", "text/plain"), ("Authorization", "Basic eA==")], body: Array("payload".utf8))
        let response = try FetchClient.send(request)
        #expect(response.url == server.http + "/echo")
        let echo = try Echo(response)
        #expect(echo.method == c.followedWith)
        #expect(echo.body == (c.keepsBody ? "payload" : ""))
        #expect(echo.header("Content-Type") == (c.keepsBody ? "text/plain" : nil))
        #expect(echo.header("Authorization") == "Basic eA==", "same origin keeps the Authorization header")
    }

    @Test("redirects: off, to another origin, and too many")
    func redirectLimits() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        var off = FetchRequest(url: server.http + "/redirect/302?to=/echo")
        off.followRedirects = false
        let first = try FetchClient.send(off)
        #expect(first.status == 302)
        #expect(first.header("Location") == "/echo")

        let elsewhere = "http://localhost:\(server.port)/echo"
        let away = FetchRequest(url: server.http + "/redirect/302?to=\(elsewhere)", bearerToken: "t")
        let echo = try Echo(FetchClient.send(away))
        #expect(echo.header("Authorization") == nil, "requests drops credentials when the host changes")

        var loop = FetchRequest(url: server.http + "/redirect/302")
        loop.maxRedirects = 3
        let error = fetchError { try FetchClient.send(loop) }
        #expect(error?.description == "requests.exceptions.TooManyRedirects: Exceeded 3 redirects.")
    }
}
