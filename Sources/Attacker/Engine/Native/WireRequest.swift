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
    /// Why this URL cannot be sent natively (not `http://` or `https://`, bad host or port), or "".
    let problem: String
    /// `https://`: the connection speaks TLS (and, when the server chooses it by ALPN, HTTP/2).
    let tls: Bool
    let isHead: Bool
    /// Whether a body (or a `Content-Length: 0`) goes with it: a body, or POST, PUT or PATCH.
    let sendsBody: Bool
    /// Whether Go would send it again after it was written on a reused connection that then died: GET, HEAD,
    /// OPTIONS, TRACE, or an `Idempotency-Key`/`X-Idempotency-Key` header.
    let replayable: Bool
    /// Whether the transport adds `Accept-Encoding: gzip` itself (and so decodes a gzip answer, as Go).
    let addsGzip: Bool
    let head: [UInt8]
    let tail: [UInt8]
    /// The HTTP/2 header fields (lower-case names, pseudo-headers first, as Go's `encodeHeaders`), their bytes in
    /// one block; the `x-vegeta-seq` field's value is the hit's number, filled in per stream.
    let h2Block: [UInt8]
    let h2Fields: [(name: Range<Int>, value: Range<Int>)]
    let h2SeqField: Int

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
        tls = url.tls
        replayable =
            ["GET", "HEAD", "OPTIONS", "TRACE"].contains(target.method)
            || target.headers.contains {
                let n = $0.name.lowercased()
                return n == "idempotency-key" || n == "x-idempotency-key"
            }

        let (hostValue, userAgent, sorted, ownEncoding) = WireRequest.headerFields(
            target, url: url, attackName: attackName)
        sendsBody =
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
        (h2Block, h2Fields, h2SeqField) = WireRequest.h2Headers(
            target, url: url, host: hostValue, sorted: sorted, sendsBody: sendsBody, addsGzip: addsGzip)
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

    /// Go's HTTP/2 header list: `:authority`, `:method`, `:path`, `:scheme`, the user agent (`Go-http-client/2.0`
    /// unless the target sets one), the other headers with lower-case names, `content-length` when HTTP/1.1 would
    /// send it, and `accept-encoding: gzip` when the transport adds it.
    private static func h2Headers(
        _ target: Target, url: WireURL, host: String, sorted: [(name: String, value: String)], sendsBody: Bool,
        addsGzip: Bool
    ) -> ([UInt8], [(name: Range<Int>, value: Range<Int>)], Int) {
        var block: [UInt8] = []
        var fields: [(name: Range<Int>, value: Range<Int>)] = []
        var seqField = -1
        func add(_ name: String, _ value: String) {
            let n = block.count..<(block.count + name.utf8.count)
            block += name.utf8
            let v = block.count..<(block.count + value.utf8.count)
            block += value.utf8
            fields.append((n, v))
        }
        add(":authority", host)
        add(":method", target.method)
        add(":path", url.requestURI)
        add(":scheme", url.tls ? "https" : "http")
        let agent = target.headers.first { $0.name.lowercased() == "user-agent" }?.values.first
        add("user-agent", agent ?? "Go-http-client/2.0")
        for h in sorted {
            let name = h.name.lowercased()
            if name == "x-vegeta-seq" && h.value.isEmpty && seqField < 0 { seqField = fields.count }
            add(name, h.value)
        }
        if sendsBody { add("content-length", String(target.body.count)) }
        if addsGzip { add("accept-encoding", "gzip") }
        return (block, fields, seqField)
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

/// The parts of an `http://` or `https://` URL the native transport needs, from `URLParts`, with Go's reason when it cannot be
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
    /// `https://`.
    var tls = false

    init(_ url: String) {
        let parts: URLParts
        do throws(URLParts.Problem) {
            parts = try URLParts(parsing: url)
        } catch {
            // The scheme is checked first, as Go's transport does.
            let scheme = URLParts.scheme(of: url)
            let http = scheme == "http" || scheme == "https"
            switch error {
            case .invalidHost where http: problem = "invalid host"
            case .invalidPort where http: problem = "invalid port"
            default: problem = "unsupported protocol scheme"
            }
            return
        }
        guard parts.scheme == "http" || parts.scheme == "https" else {
            problem = "unsupported protocol scheme"
            return
        }
        tls = parts.scheme == "https"
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
