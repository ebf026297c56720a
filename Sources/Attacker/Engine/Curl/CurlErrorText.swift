import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// Go-like error texts for failed transfers, so reports and scripts that match vegeta's errors keep working.
///
/// Before a response arrives, Go reports a `url.Error`: `Get "<url>": <cause>`. Once headers are in, a body
/// read failure is reported bare (vegeta stores `io.ReadAll`'s error).
enum ErrorText {
    static func describe(
        _ code: CURLcode, slot: Slot, target: CurlRequest, gotResponse: Bool, localAddress: String,
        redirectLimit: Int
    ) -> String {
        let easy = slot.easy
        let prefix = "\(target.errorOp) \"\(target.url)\": "
        var osErrno = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
        func endpoints() -> String {
            let remote = address(easy, CURLINFO_PRIMARY_IP, CURLINFO_PRIMARY_PORT)
            let local = address(easy, CURLINFO_LOCAL_IP, CURLINFO_LOCAL_PORT)
            return "\(local)->\(remote)"
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            if gotResponse {
                return "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
            }
            return prefix + "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        case CURLE_COULDNT_CONNECT:
            var remote = address(easy, CURLINFO_PRIMARY_IP, CURLINFO_PRIMARY_PORT)
            if remote.hasPrefix(":") { remote = hostPortOf(target.url) }
            let local = (localAddress.contains(":") ? "[\(localAddress)]" : localAddress) + ":0"
            let cause = osErrno != 0 ? errnoText(Int32(osErrno)) : "connection refused"
            return prefix + "dial tcp \(local)->\(remote): connect: \(cause)"
        case CURLE_COULDNT_RESOLVE_HOST:
            var host = hostOf(target.url)
            if host.isEmpty { host = "host" }
            return prefix + "dial tcp: lookup \(host): no such host"
        case CURLE_TOO_MANY_REDIRECTS:
            var next: UnsafeMutablePointer<CChar>? = nil
            _ = ccurl_easy_getinfo_str(easy, CURLINFO_REDIRECT_URL, &next)
            let url = next.map { String(cString: $0) } ?? target.url
            // Go names the limit (`n < len(via)`), which is the count followed unless it is below 0.
            return "\(target.errorOp) \"\(url)\": stopped after \(redirectLimit) redirects"
        case CURLE_GOT_NOTHING:
            return prefix + "EOF"
        case CURLE_PARTIAL_FILE:
            return "unexpected EOF"
        case CURLE_RECV_ERROR where gotResponse && chunkError(slot) != nil:
            return chunkError(slot) ?? ""
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            let op = code == CURLE_RECV_ERROR ? "read" : "write"
            let cause = osErrno != 0 ? errnoText(Int32(osErrno)) : "connection reset by peer"
            let text = "\(op) tcp \(endpoints()): \(op): \(cause)"
            return gotResponse ? text : prefix + text
        case CURLE_PEER_FAILED_VERIFICATION:
            return prefix + "tls: failed to verify certificate: " + curlDetail(code, slot)
        case CURLE_SSL_CONNECT_ERROR:
            return prefix + "tls: " + curlDetail(code, slot)
        default:
            let text = curlDetail(code, slot)
            return gotResponse ? text : prefix + text
        }
    }

    /// Go's chunked reader's text for libcurl's chunked-encoding failure in the error buffer, or nil.
    private static func chunkError(_ slot: Slot) -> String? {
        guard slot.errorBuffer[0] != 0 else { return nil }
        let text = String(cString: slot.errorBuffer)
        if text.contains("hexadecimal sequence in chunked") { return "invalid byte in chunk length" }
        if text.contains("hex-length longer than") { return "http chunk length too large" }
        if text.contains("chunked-encoding") || text.contains("chunked encoding") {
            return "malformed chunked encoding"
        }
        return nil
    }

    /// libcurl's error buffer when set, else its generic text.
    private static func curlDetail(_ code: CURLcode, _ slot: Slot) -> String {
        if slot.errorBuffer[0] != 0 { return String(cString: slot.errorBuffer) }
        return String(cString: curl_easy_strerror(code))
    }

    private static func address(_ easy: UnsafeMutableRawPointer, _ ipInfo: CURLINFO, _ portInfo: CURLINFO) -> String {
        var ip: UnsafeMutablePointer<CChar>? = nil
        _ = ccurl_easy_getinfo_str(easy, ipInfo, &ip)
        var port = 0
        _ = ccurl_easy_getinfo_long(easy, portInfo, &port)
        let text = ip.map { String(cString: $0) } ?? ""
        return (text.contains(":") ? "[\(text)]" : text) + ":\(port)"
    }

    /// `host:port` of an absolute URL with the scheme's default port (for messages only).
    static func hostPortOf(_ url: String) -> String {
        let host = hostOf(url)
        let u = Array(url.utf8)
        var i = 0
        while i + 2 < u.count && !(u[i] == 0x3a && u[i + 1] == 0x2f && u[i + 2] == 0x2f) { i += 1 }
        let scheme = String(decoding: u[0..<min(i, u.count)], as: UTF8.self).lowercased()
        var rest = i + 3 < u.count ? u[(i + 3)...] : []
        if let end = rest.firstIndex(where: { $0 == 0x2f || $0 == 0x3f || $0 == 0x23 }) { rest = rest[..<end] }
        if let colon = rest.lastIndex(of: 0x3a), !rest[(colon + 1)...].contains(0x5d), colon + 1 < rest.endIndex {
            return host + ":" + String(decoding: rest[(colon + 1)...], as: UTF8.self)
        }
        return host + (scheme == "https" ? ":443" : ":80")
    }

    /// The host part of an absolute URL (for messages only).
    static func hostOf(_ url: String) -> String {
        let u = Array(url.utf8)
        var i = 0
        while i + 2 < u.count && !(u[i] == 0x3a && u[i + 1] == 0x2f && u[i + 2] == 0x2f) { i += 1 }
        guard i + 2 < u.count else { return "" }
        var rest = u[(i + 3)...]
        if let end = rest.firstIndex(where: { $0 == 0x2f || $0 == 0x3f || $0 == 0x23 }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: 0x40) { rest = rest[(at + 1)...] }
        if rest.first == 0x5b, let close = rest.firstIndex(of: 0x5d) {
            return String(decoding: rest[...close], as: UTF8.self)
        }
        if let colon = rest.lastIndex(of: 0x3a) { rest = rest[..<colon] }
        return String(decoding: rest, as: UTF8.self)
    }
}
