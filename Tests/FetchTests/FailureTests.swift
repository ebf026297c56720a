import Fetch
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A port nothing listens on: bound by the kernel's choice, then closed.
private func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    try #require(bound)
    return Int(UInt16(bigEndian: address.sin_port))
}

struct Stop: Error, Equatable {}

@Suite("Fetch failures", .timeLimit(.minutes(3)), .enabled(if: fetchToolsInstalled))
struct FailureTests {
    @Test("a refused connection is requests' NewConnectionError")
    func refused() throws {
        let port = try closedPort()
        let url = "http://127.0.0.1:\(port)/x?y=1"
        let error = fetchError { try FetchClient.send(FetchRequest(url: url)) }
        #expect(
            error?.description
                == "failed to connect to \(url): HTTPConnectionPool(host='127.0.0.1', port=\(port)): Max retries exceeded "
                + "with url: /x?y=1 (Caused by NewConnectionError(\"HTTPConnection(host='127.0.0.1', port=\(port)): "
                + "Failed to establish a new connection: [Errno 111] Connection refused\"))")
    }

    @Test(
        "URLs requests refuses",
        arguments: [
            (
                "foo",
                "requests.exceptions.MissingSchema: Invalid URL 'foo': No scheme supplied. Perhaps you meant https://foo?"
            ),
            ("http://", "requests.exceptions.InvalidURL: Invalid URL 'http://': No host supplied"),
            ("ftp://x/", "requests.exceptions.InvalidSchema: No connection adapters were found for 'ftp://x/'"),
        ])
    func invalidURLs(url: String, text: String) {
        let error = fetchError { try FetchClient.send(FetchRequest(url: url)) }
        #expect(error?.description == text)
    }

    @Test("read and total timeouts")
    func timeouts() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let url = server.http + "/slow?ms=30000"
        let requests = [
            FetchRequest(url: url, connectTimeout: 5, readTimeout: 0.2),
            FetchRequest(url: url, totalTimeout: 0.2),
        ]
        for request in requests {
            let error = fetchError { try FetchClient.send(request) }
            guard case .timeout(let where_)? = error else {
                Issue.record("expected a timeout, got \(String(describing: error))")
                continue
            }
            #expect(where_ == url)
        }
    }

    @Test("the interrupt check stops a slow transfer with its error")
    func interrupted() throws {
        let server = try fetchServer()
        defer { withExtendedLifetime(server) {} }
        let error = fetchError {
            try FetchClient.send(FetchRequest(url: server.http + "/slow?ms=30000"), interrupt: { Stop() })
        }
        guard case .interrupted(let cause)? = error else {
            Issue.record("expected an interruption, got \(String(describing: error))")
            return
        }
        #expect(cause as? Stop == Stop())
    }
}
