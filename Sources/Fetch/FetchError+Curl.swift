import BarrageCore
internal import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// The `(_ssl.c:NNNN)` suffix Python 3.11's ssl module puts on OpenSSL errors (the line of `_ssl.c` that raised).
private let pythonSSLSource = "(_ssl.c:1006)"

extension FetchError {
    /// requests' error for a libcurl transfer that failed with `code`.
    ///
    /// - Parameters:
    ///   - code: the CURLcode of `curl_easy_perform` (not CURLE_OK, not CURLE_ABORTED_BY_CALLBACK).
    ///   - detail: libcurl's error buffer (its specific message), may be empty.
    ///   - osErrno: CURLINFO_OS_ERRNO, 0 when unknown.
    ///   - url: the URL that was requested; `original` is how the caller wrote it (the journal shows that).
    static func from(code: CURLcode, detail: String, osErrno: Int32, url: FetchURL, original: String) -> FetchError {
        let kind = url.scheme == "https" ? "HTTPS" : "HTTP"
        let connection = "\(kind)Connection(host='\(url.host)', port=\(url.port))"
        func failure(_ reason: String) -> FetchError {
            .connection(url: original, reason: reason, code: Int(code.rawValue), detail: detail)
        }
        // The connection pool's MaxRetryError around the cause, as requests' ConnectionError prints it.
        func caused(_ cause: String) -> FetchError {
            failure(
                "\(kind)ConnectionPool(host='\(url.host)', port=\(url.port)): Max retries exceeded with url: "
                    + "\(url.target) (Caused by \(cause))")
        }
        // The pool's ProtocolError: the connection broke after it was made.
        func aborted(_ cause: String) -> FetchError { failure("('Connection aborted.', \(cause))") }

        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: original)
        case CURLE_COULDNT_RESOLVE_HOST:
            let text = "\(connection): Failed to resolve '\(url.host)' ([Errno -2] Name or service not known)"
            return caused("NameResolutionError(\(quoted(text, .python)))")
        case CURLE_COULDNT_CONNECT:
            let number = osErrno != 0 ? osErrno : ECONNREFUSED
            let text =
                "\(connection): Failed to establish a new connection: [Errno \(number)] \(errnoText(.libc, code: number))"
            return caused("NewConnectionError(\(quoted(text, .python)))")
        case CURLE_PEER_FAILED_VERIFICATION:
            let text =
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                + verifyReason(detail, host: url.host) + " " + pythonSSLSource
            return caused("SSLError(SSLCertVerificationError(1, \(quoted(text, .python))))")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return caused("SSLError(SSLError(1, \(quoted(opensslText(detail), .python))))")
        case CURLE_GOT_NOTHING:
            return aborted("RemoteDisconnected('Remote end closed connection without response')")
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            if detail.contains("SSL routines") {
                return caused("SSLError(SSLError(1, \(quoted(opensslText(detail), .python))))")
            }
            if detail.lowercased().contains("chunk") { return failure("ChunkedEncodingError('invalid chunk size')") }
            return aborted(osError(osErrno != 0 ? osErrno : ECONNRESET))
        case CURLE_PARTIAL_FILE:
            return failure("IncompleteRead")
        case CURLE_WEIRD_SERVER_REPLY, CURLE_UNSUPPORTED_PROTOCOL:
            return aborted("BadStatusLine(\(quoted(detail, .python)))")
        default:
            let text = String(cString: curl_easy_strerror(code))
            return failure(detail.isEmpty ? text : "\(text): \(detail)")
        }
    }

    /// The reason OpenSSL gave for a failed verification, in Python's words (Python and libcurl both print
    /// `X509_verify_cert_error_string`; a name mismatch is worded by each library itself).
    private static func verifyReason(_ detail: String, host: String) -> String {
        let problem = "SSL certificate problem: "
        if let range = detail.firstRange(of: problem) { return String(detail[range.upperBound...]) }
        if detail.contains("does not match target host name") || detail.contains("no alternative certificate subject") {
            let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
            return (isAddress ? "IP address mismatch" : "Hostname mismatch")
                + ", certificate is not valid for '\(host)'."
        }
        return detail
    }

    /// `...error:0A00010B:SSL routines::wrong version number...` as Python's ssl module prints it:
    /// `[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)`.
    private static func opensslText(_ detail: String) -> String {
        guard let range = detail.firstRange(of: "SSL routines::") else { return "[SSL] \(detail) \(pythonSSLSource)" }
        let reason = detail[range.upperBound...].prefix { $0 != "," }
        let name = reason.uppercased().map { $0 == " " ? "_" : $0 }
        return "[SSL: \(String(name))] \(reason) \(pythonSSLSource)"
    }

    /// Python's exception for an errno, as `repr()` shows it: `ConnectionResetError(104, 'Connection reset by peer')`.
    private static func osError(_ number: Int32) -> String {
        let names: [Int32: String] = [
            ECONNRESET: "ConnectionResetError", EPIPE: "BrokenPipeError", ECONNREFUSED: "ConnectionRefusedError",
            ECONNABORTED: "ConnectionAbortedError", ETIMEDOUT: "TimeoutError",
        ]
        return "\(names[number] ?? "OSError")(\(number), \(quoted(errnoText(.libc, code: number), .python)))"
    }
}
