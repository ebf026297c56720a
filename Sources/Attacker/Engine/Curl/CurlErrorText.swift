import BarrageCore
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
            if remote.hasPrefix(":"), let url = URLParts(target.url) { remote = url.bracketedHost + ":\(url.port)" }
            let local = (localAddress.contains(":") ? "[\(localAddress)]" : localAddress) + ":0"
            let cause = osErrno != 0 ? errnoText(.go, code: Int32(osErrno)) : "connection refused"
            return prefix + "dial tcp \(local)->\(remote): connect: \(cause)"
        case CURLE_COULDNT_RESOLVE_HOST:
            let host = URLParts(target.url)?.bracketedHost ?? "host"
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
            return gotResponse ? "unexpected EOF" : prefix + "unexpected EOF"
        case CURLE_HTTP2_STREAM where peerReset(slot) != nil:
            let text = peerReset(slot) ?? ""
            return gotResponse ? text : prefix + text
        case CURLE_RECV_ERROR where gotResponse && chunkError(slot) != nil:
            return chunkError(slot) ?? ""
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            let op = code == CURLE_RECV_ERROR ? "read" : "write"
            let cause = osErrno != 0 ? errnoText(.go, code: Int32(osErrno)) : "connection reset by peer"
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

    /// Go's text for an HTTP/2 stream the server reset (libcurl: `HTTP/2 stream 1 was not closed cleanly:
    /// INTERNAL_ERROR (err 2)`), or nil. A PROTOCOL_ERROR is left to libcurl's words: nghttp2 under libcurl
    /// raises it itself for answers Go takes (a bad content-length, say).
    private static func peerReset(_ slot: Slot) -> String? {
        guard slot.errorBuffer[0] != 0 else { return nil }
        let text = String(cString: slot.errorBuffer)
        let head = "HTTP/2 stream "
        guard text.hasPrefix(head), let cut = text.firstRange(of: " was not closed cleanly: ") else { return nil }
        let stream = text[text.index(text.startIndex, offsetBy: head.count)..<cut.lowerBound]
        let code = text[cut.upperBound...].prefix { $0 != " " }
        guard !stream.isEmpty, stream.allSatisfy(\.isNumber), !code.isEmpty, code != "PROTOCOL_ERROR" else {
            return nil
        }
        return "stream error: stream ID \(stream); \(code); received from peer"
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
}
