import Encoder

/// Turns the raw header block libcurl delivered into Go's view: status text and canonical header map.
enum ResponseParsing {
    /// Parses `HTTP/1.1 404 Not Found\r\nName: v\r\n...` into the status text Go shows (`404 Not Found`) and
    /// headers with canonical keys, values grouped by key in arrival order.
    /// A gzip body was decoded on the way in, so `Content-Encoding`/`Content-Length` are dropped as Go does.
    /// `gzipDecoded` nil: decoded when a Content-Encoding value is gzip (libcurl's rule).
    static func parse(_ raw: [UInt8], gzipDecoded: Bool? = nil) -> (status: String, headers: [Header]) {
        var status = ""
        var headers: [Header] = []
        var lineStart = 0
        var first = true
        let n = raw.count
        while lineStart < n {
            let (lineEnd, next) = line(in: raw, from: lineStart)
            defer { lineStart = next }
            if lineEnd == lineStart { continue }
            if first {
                first = false
                status = statusText(raw[lineStart..<lineEnd])
                continue
            }
            guard let colon = raw[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = canonicalKey(raw[lineStart..<colon])
            let value = String(decoding: raw[trimmed(raw, colon + 1, lineEnd)], as: UTF8.self)
            if let i = headers.firstIndex(where: { $0.name == name }) {
                headers[i].values.append(value)
            } else {
                headers.append(Header(name: name, values: [value]))
            }
        }
        let ce = headers.first(where: { $0.name == "Content-Encoding" })
        if gzipDecoded ?? (ce?.values.contains(where: { $0.lowercased() == "gzip" }) ?? false) {
            headers.removeAll { $0.name == "Content-Encoding" || $0.name == "Content-Length" }
        }
        return (status, headers)
    }

    /// The line of a header block that starts at `start`: where its text ends (before CR LF or LF) and where the
    /// next line starts.
    @inline(__always)
    static func line(in raw: [UInt8], from start: Int) -> (end: Int, next: Int) {
        var end = start
        while end < raw.count && raw[end] != 0x0a { end += 1 }
        var lineEnd = end
        if lineEnd > start && raw[lineEnd - 1] == 0x0d { lineEnd -= 1 }
        return (lineEnd, end + 1)
    }

    /// `start..<end` without the spaces and tabs around a header value (`textproto.TrimString`).
    @inline(__always)
    static func trimmed(_ raw: [UInt8], _ start: Int, _ end: Int) -> Range<Int> {
        var vs = start
        var ve = end
        while vs < ve && (raw[vs] == 0x20 || raw[vs] == 0x09) { vs += 1 }
        while ve > vs && (raw[ve - 1] == 0x20 || raw[ve - 1] == 0x09) { ve -= 1 }
        return vs..<ve
    }

    /// Go's `Response.Status`: HTTP/1 keeps the wire text after the version; HTTP/2 has no reason phrase on the
    /// wire, so Go builds `code + " " + StatusText(code)`.
    static func statusText(_ line: ArraySlice<UInt8>) -> String {
        guard let space = line.firstIndex(of: 0x20) else { return "" }
        var rest = line[(space + 1)...]
        while rest.first == 0x20 { rest = rest.dropFirst() }
        let isHTTP2 = line.starts(with: Array("HTTP/2".utf8)) || line.starts(with: Array("HTTP/3".utf8))
        if isHTTP2 {
            let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
            let code = Int(String(decoding: digits, as: UTF8.self)) ?? 0
            return "\(code) " + reasonPhrase(code)
        }
        return String(decoding: rest, as: UTF8.self)
    }

    /// Go's `textproto.CanonicalMIMEHeaderKey`: `x-foo-bar` → `X-Foo-Bar`; keys with bytes outside the token set
    /// stay as they are.
    static func canonicalKey(_ key: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(key.count)
        var upper = true
        for c in key {
            let isToken =
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
                || "!#$%&'*+-.^_`|~".utf8.contains(c)
            guard isToken else { return String(decoding: key, as: UTF8.self) }
            var ch = c
            if upper && ch >= 0x61 && ch <= 0x7a {
                ch -= 0x20
            } else if !upper && ch >= 0x41 && ch <= 0x5a {
                ch += 0x20
            }
            out.append(ch)
            upper = c == UInt8(ascii: "-")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `http.StatusText` for the codes a load test meets.
    static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 413: return "Request Entity Too Large"
        case 418: return "I'm a teapot"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return ""
        }
    }
}
