import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// The native transport's request: a target's HTTP/1.1 request as bytes, everything before the `X-Vegeta-Seq` value
/// (`head`) and everything after it (`tail`, with the body), so a send only writes the sequence digits between.
///
/// Go's order (`net/http` `Request.write`): request line, `Host`, `User-Agent`, `Connection: close` (without
/// keep-alive), `Content-Length` or `Transfer-Encoding`, the other headers sorted by name, then the transport's
/// `Accept-Encoding: gzip` (not for HEAD, nor when the target sets its own or a `Range`).
final class WireRequest: EngineRequest, Sendable {
    let method: String
    /// Go's `url.Error` operation of the target's method (kept through redirects).
    let errorOp: String
    /// Lower-cased host as in the URL (brackets stripped from IPv6), for resolving and connection pooling.
    let host: String
    let port: UInt16
    /// Why this URL cannot be sent natively (not `http://`, bad host or port), or "".
    let problem: String
    let isHead: Bool
    /// Whether Go would send it again after it was written on a reused connection that then died: GET, HEAD,
    /// OPTIONS, TRACE, or an `Idempotency-Key`/`X-Idempotency-Key` header.
    let replayable: Bool
    /// Whether the transport adds `Accept-Encoding: gzip` itself (and so decodes a gzip answer, as Go).
    let addsGzip: Bool
    let head: [UInt8]
    let tail: [UInt8]

    /// What a redirected request needs to be rebuilt.
    let target: Target
    let attackName: String
    let chunked: Bool
    let close: Bool

    var url: String { target.url }
    var bodyCount: Int { target.body.count }

    convenience init(_ target: Target, options: AttackOptions) {
        self.init(target, attackName: options.name, chunked: options.chunked, close: !options.keepAlive)
    }

    init(_ target: Target, attackName: String, chunked: Bool, close: Bool) {
        self.target = target
        self.attackName = attackName
        self.chunked = chunked
        self.close = close
        method = target.method
        errorOp = Self.operation(target.method)
        isHead = target.method == "HEAD"
        let url = WireURL(target.url)
        host = url.host
        port = url.port
        problem = url.problem
        replayable =
            ["GET", "HEAD", "OPTIONS", "TRACE"].contains(target.method)
            || target.headers.contains {
                let n = $0.name.lowercased()
                return n == "idempotency-key" || n == "x-idempotency-key"
            }

        let (hostValue, userAgent, sorted, ownEncoding) = WireRequest.headerFields(
            target, url: url, attackName: attackName)
        let sendsBody =
            !target.body.isEmpty || target.method == "POST" || target.method == "PUT" || target.method == "PATCH"
        var text = "\(target.method) \(url.requestURI) HTTP/1.1\r\nHost: \(hostValue)\r\nUser-Agent: \(userAgent)\r\n"
        if close { text += "Connection: close\r\n" }
        let chunk = chunked && !target.body.isEmpty
        if chunk {
            text += "Transfer-Encoding: chunked\r\n"
        } else if sendsBody {
            text += "Content-Length: \(target.body.count)\r\n"
        }
        var headText = ""
        var tailText = ""
        var seen = false
        for h in sorted {
            if h.name == "X-Vegeta-Seq" && h.value.isEmpty && !seen {
                seen = true
                headText = text + "X-Vegeta-Seq: "
                text = ""
                continue
            }
            text += "\(h.name): \(h.value)\r\n"
        }
        addsGzip = !ownEncoding && !isHead
        if addsGzip { text += "Accept-Encoding: gzip\r\n" }
        tailText = "\r\n" + text + "\r\n"
        head = Array(headText.utf8)
        var t = Array(tailText.utf8)
        if chunk {
            t +=
                Array(String(target.body.count, radix: 16).utf8) + [0x0d, 0x0a] + target.body
                + Array("\r\n0\r\n\r\n".utf8)
        } else {
            t += target.body
        }
        tail = t
    }

    /// The target's headers as Go writes them: `Host` and `User-Agent` values apart (the URL's authority and Go's
    /// agent unless the target sets its own), the others (basic auth from the URL, `X-Vegeta-Attack`, an empty
    /// `X-Vegeta-Seq` marking where the sequence number goes) sorted by name; and whether the target sets its own
    /// `Accept-Encoding` or `Range`.
    private static func headerFields(_ target: Target, url: WireURL, attackName: String) -> (
        host: String, userAgent: String, sorted: [(name: String, value: String)], ownEncoding: Bool
    ) {
        var headers: [(name: String, value: String)] = []
        var hostValue = url.authority
        var userAgent = "Go-http-client/1.1"
        var ownEncoding = false
        var ownAuthorization = false
        for h in target.headers {
            let lower = h.name.lowercased()
            switch lower {
            case "host":
                if let v = h.values.first { hostValue = v }
                continue
            case "user-agent":
                if let v = h.values.first { userAgent = v }
                continue
            case "content-length", "transfer-encoding", "trailer":
                continue
            case "accept-encoding", "range":
                ownEncoding = true
            case "authorization":
                ownAuthorization = true
            default: break
            }
            for v in h.values { headers.append((h.name, v)) }
        }
        // Go's client sends the URL's user info as basic auth unless the request has its own Authorization.
        if let credentials = url.credentials, !ownAuthorization {
            headers.append(("Authorization", "Basic " + Base64.encode(credentials)))
        }
        if !attackName.isEmpty { headers.append(("X-Vegeta-Attack", attackName)) }
        headers.append(("X-Vegeta-Seq", ""))
        // Go sorts by key; values of one key keep their order (a stable sort).
        let sorted = headers.enumerated().sorted { a, b in
            let x = Array(a.element.name.utf8)
            let y = Array(b.element.name.utf8)
            return x.lexicographicallyPrecedes(y) || (x == y && a.offset < b.offset)
        }.map(\.element)
        return (hostValue, userAgent, sorted, ownEncoding)
    }

    /// The same request sent to `url` (a followed redirect); `asGet` drops the body and makes it a GET
    /// (301/302/303 for methods other than GET and HEAD, as Go).
    func redirected(to url: String, asGet: Bool) -> WireRequest {
        var t = target
        t.url = url
        if asGet {
            t.method = "GET"
            t.body = []
        }
        return WireRequest(t, attackName: attackName, chunked: chunked, close: close)
    }
}

/// The parts of an `http://` URL the native transport needs, from `URLParts`, with Go's reason when it cannot be
/// sent.
struct WireURL {
    /// The host, lower-cased, brackets removed from IPv6 (for resolving and pooling).
    var host = ""
    var port: UInt16 = 80
    /// Host and port as written (the `Host` header).
    var authority = ""
    /// Path (escaped as Go escapes it) and query, "/" when empty.
    var requestURI = "/"
    var problem = ""
    /// `user:password` from the URL's user info, percent-decoded (Go's `basicAuth(Username(), Password())`).
    var credentials: [UInt8]?

    init(_ url: String) {
        let parts: URLParts
        do throws(URLParts.Problem) {
            parts = try URLParts(parsing: url)
        } catch {
            // The scheme is checked first, as Go's transport does.
            let http = URLParts.scheme(of: url) == "http"
            switch error {
            case .invalidHost where http: problem = "invalid host"
            case .invalidPort where http: problem = "invalid port"
            default: problem = "unsupported protocol scheme"
            }
            return
        }
        guard parts.scheme == "http" else {
            problem = "unsupported protocol scheme"
            return
        }
        authority = parts.hostHeader
        // Go's RequestURI: the path escaped as EscapedPath does (a space goes out as %20), the query as written.
        requestURI = GoURL.requestURI(parts.target.utf8)
        credentials = parts.credentials
        host = parts.host.lowercased()
        guard let p = UInt16(exactly: parts.port) else {
            problem = "invalid port"
            return
        }
        port = p
        if host.isEmpty { problem = "no Host in request URL" }
    }
}
