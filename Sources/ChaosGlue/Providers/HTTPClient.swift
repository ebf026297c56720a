import BarrageCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP request of the http provider.
struct HTTPRequest: Sendable {
    var url: String
    var method: String
    var headers: [(String, String)]
    var body: [UInt8]?
    var connectTimeout: Double?
    var readTimeout: Double?
    var followRedirects = true
}

struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The last value of a header, matched case-insensitively (as `requests`' CaseInsensitiveDict).
    func header(_ name: String) -> String? {
        headers.last { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A minimal blocking HTTP/1.1 client over a POSIX socket, for `http://` URLs.
///
/// Decision: the http provider talks to health endpoints and Prometheus, one request at a time; a socket, a
/// request line and a response parser (Content-Length, chunked, or read-to-close) are all it needs, with no
/// dependency on libcurl (owned by the attacker) or FoundationNetworking. Every wait also polls the signal pipe,
/// so SIGINT interrupts a slow call at once. `https://` goes through FoundationNetworking's URLSession (`HTTPSClient`).
enum HTTPClient {
    static func request(_ request: HTTPRequest, interrupts: SignalWatch?, redirectsLeft: Int = 30) throws -> HTTPResponse {
        guard let url = URLParts(request.url) else {
            throw ActivityAborted(
                message: "requests.exceptions.InvalidURL: Invalid URL '\(request.url)'",
                traceback: ["requests.exceptions.InvalidURL: Invalid URL '\(request.url)'\n"])
        }
        let watch = interrupts ?? .none
        guard url.scheme == "http" else {
            return try HTTPSClient.request(request, watch: watch)
        }
        let fd = try connect(url, request: request, watch: watch)
        defer { close(fd) }
        var head = "\(request.method) \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\n"
        var names = Set<String>()
        for (name, value) in request.headers {
            head += "\(name): \(value)\r\n"
            names.insert(name.lowercased())
        }
        if !names.contains("user-agent") { head += "User-Agent: barrage-chaos/1.0\r\n" }
        if !names.contains("accept") { head += "Accept: */*\r\n" }
        if let body = request.body, !names.contains("content-length") { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        try send(fd, Array(head.utf8) + (request.body ?? []), url: request.url, request: request, watch: watch)
        var reader = Reader(fd: fd, timeout: request.readTimeout, watch: watch, url: request.url)
        let response = try reader.response(isHead: request.method == "HEAD")
        if request.followRedirects, [301, 302, 303, 307, 308].contains(response.status),
            let location = response.header("Location"), redirectsLeft > 0
        {
            var next = request
            next.url = url.resolve(location)
            if response.status == 303 || ((response.status == 301 || response.status == 302) && request.method == "POST") {
                next.method = "GET"
                next.body = nil
                next.headers = request.headers.filter { $0.0.lowercased() != "content-type" }
            }
            return try HTTPClient.request(next, interrupts: interrupts, redirectsLeft: redirectsLeft - 1)
        }
        return response
    }

    private static func connectionError(_ url: URLParts, _ text: String, _ full: String) -> ActivityFailed {
        ActivityFailed(
            "failed to connect to \(full): HTTPConnectionPool(host='\(url.host)', port=\(url.port)): Max retries exceeded "
                + "with url: \(url.target) (Caused by NewConnectionError(\"HTTPConnection(host='\(url.host)', port=\(url.port)): "
                + "Failed to establish a new connection: \(text)\"))")
    }

    private static func connect(_ url: URLParts, request: HTTPRequest, watch: SignalWatch) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(url.host, String(url.port), &hints, &list)
        guard rc == 0, let first = list else {
            throw connectionError(url, "[Errno -2] Name or service not known", request.url)
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let ai = entry {
            entry = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            guard errno == EINPROGRESS else {
                lastError = errno
                close(fd)
                continue
            }
            let ready: Bool
            do {
                ready = try watch.wait(fd: fd, events: Int16(POLLOUT), timeout: request.connectTimeout)
            } catch {
                close(fd)
                throw error
            }
            guard ready else {
                close(fd)
                throw ActivityFailed("activity took too long to complete")
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            lastError = soError
            close(fd)
        }
        let text = String(cString: strerror(lastError))
        throw connectionError(url, "[Errno \(lastError)] \(text)", request.url)
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8], url: String, request: HTTPRequest, watch: SignalWatch) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.send(fd, buf.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0, errno == EAGAIN || errno == EINTR {
                guard try watch.wait(fd: fd, events: Int16(POLLOUT), timeout: request.readTimeout) else {
                    throw ActivityFailed("activity took too long to complete")
                }
                continue
            }
            throw ActivityFailed("failed to connect to \(url): ('Connection aborted.', \(String(cString: strerror(errno))))")
        }
    }

    /// Reads and parses one response from a non-blocking socket.
    private struct Reader {
        let fd: Int32
        let timeout: Double?
        let watch: SignalWatch
        let url: String
        var buffer: [UInt8] = []
        var position = 0
        var eof = false

        init(fd: Int32, timeout: Double?, watch: SignalWatch, url: String) {
            self.fd = fd
            self.timeout = timeout
            self.watch = watch
            self.url = url
        }

        mutating func fill() throws {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
                if n > 0 {
                    buffer.append(contentsOf: chunk[0..<n])
                    return
                }
                if n == 0 {
                    eof = true
                    return
                }
                if errno == EAGAIN || errno == EINTR {
                    guard try watch.wait(fd: fd, events: Int16(POLLIN), timeout: timeout) else {
                        throw ActivityFailed("activity took too long to complete")
                    }
                    continue
                }
                throw ActivityFailed("failed to connect to \(url): ('Connection aborted.', \(String(cString: strerror(errno))))")
            }
        }

        mutating func line() throws -> String {
            while true {
                if let nl = buffer[position...].firstIndex(of: 0x0A) {
                    var end = nl
                    if end > position, buffer[end - 1] == 0x0D { end -= 1 }
                    let text = String(decoding: buffer[position..<end], as: UTF8.self)
                    position = nl + 1
                    return text
                }
                if eof { throw ActivityFailed("failed to connect to \(url): ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))") }
                try fill()
            }
        }

        mutating func bytes(_ count: Int) throws -> [UInt8] {
            while buffer.count - position < count {
                if eof { throw ActivityFailed("failed to connect to \(url): IncompleteRead") }
                try fill()
            }
            let out = Array(buffer[position..<position + count])
            position += count
            return out
        }

        mutating func response(isHead: Bool) throws -> HTTPResponse {
            var statusLine = try line()
            var status = 0
            var headers: [(String, String)] = []
            while true {
                let parts = statusLine.split(separator: " ", maxSplits: 2)
                guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else {
                    throw ActivityFailed("failed to connect to \(url): BadStatusLine('\(statusLine)')")
                }
                status = code
                headers = []
                while true {
                    let h = try line()
                    if h.isEmpty { break }
                    guard let colon = h.firstIndex(of: ":") else { continue }
                    let name = String(h[..<colon])
                    let value = String(h[h.index(after: colon)...]).trimmingSpaces()
                    headers.append((name, value))
                }
                if status >= 100, status < 200 {
                    statusLine = try line()
                    continue
                }
                break
            }
            func header(_ name: String) -> String? { headers.last { $0.0.lowercased() == name }?.1 }
            var body: [UInt8] = []
            if isHead || status == 204 || status == 304 {
                // no body
            } else if header("transfer-encoding")?.lowercased().contains("chunked") == true {
                while true {
                    let sizeLine = try line()
                    let hex = sizeLine.split(separator: ";").first.map { String($0).trimmingSpaces() } ?? ""
                    guard let size = Int(hex, radix: 16) else {
                        throw ActivityFailed("failed to connect to \(url): ChunkedEncodingError('invalid chunk size')")
                    }
                    if size == 0 {
                        while try !line().isEmpty {}
                        break
                    }
                    body += try bytes(size)
                    _ = try line()
                }
            } else if let length = header("content-length").flatMap({ Int($0) }) {
                body = try bytes(length)
            } else {
                while !eof { try fill() }
                body = Array(buffer[position...])
            }
            return HTTPResponse(status: status, headers: headers, body: body)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
