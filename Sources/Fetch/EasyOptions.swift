internal import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// Sets one request's options on an easy handle (just reset), and owns the header list libcurl reads during the
/// transfer: `release()` frees it once the transfer is over.
struct EasyOptions {
    private let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?

    init(easy: UnsafeMutableRawPointer) { self.easy = easy }

    /// Frees the header list.
    mutating func release() {
        curl_slist_free_all(headerList)
        headerList = nil
    }

    /// URL, method, headers, body, timeouts and TLS.
    ///
    /// - Throws: `FetchError.invalidRequest` for a certificate file that is missing (requests checks before
    ///   connecting) or an option libcurl refuses.
    mutating func apply(_ request: FetchRequest, url: FetchURL, errorBuffer: UnsafeMutablePointer<CChar>)
        throws(FetchError)
    {
        try set(ccurl_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try set(ccurl_easy_setopt_str(easy, CURLOPT_URL, url.text), "CURLOPT_URL")
        try set(ccurl_easy_setopt_str(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, ccurl_http_version_1_1), "CURLOPT_HTTP_VERSION")
        // No proxy from the environment: the chaos side has always talked to its targets directly.
        try set(ccurl_easy_setopt_str(easy, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
        try method(request)
        try headers(request)
        if let seconds = request.connectTimeout, let ms = Self.milliseconds(seconds) {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, ms), "CURLOPT_CONNECTTIMEOUT_MS")
        }
        if let seconds = request.totalTimeout, let ms = Self.milliseconds(seconds) {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, ms), "CURLOPT_TIMEOUT_MS")
        }
        try tls(request.tls)
    }

    /// The body, header and progress callbacks, with `state` as their user data.
    func callbacks(_ state: UnsafeMutableRawPointer) throws(FetchError) {
        try set(ccurl_easy_setopt_write_cb(easy, CURLOPT_WRITEFUNCTION, fetchWriteBody), "CURLOPT_WRITEFUNCTION")
        try set(ccurl_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, state), "CURLOPT_WRITEDATA")
        try set(ccurl_easy_setopt_write_cb(easy, CURLOPT_HEADERFUNCTION, fetchWriteHeader), "CURLOPT_HEADERFUNCTION")
        try set(ccurl_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, state), "CURLOPT_HEADERDATA")
        try set(ccurl_easy_setopt_xferinfo_cb(easy, fetchProgress), "CURLOPT_XFERINFOFUNCTION")
        try set(ccurl_easy_setopt_ptr(easy, CURLOPT_XFERINFODATA, state), "CURLOPT_XFERINFODATA")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_NOPROGRESS, 0), "CURLOPT_NOPROGRESS")
    }

    private func method(_ request: FetchRequest) throws(FetchError) {
        let method = request.method
        if method == "HEAD" {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY")
        } else if let body = request.body {
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes, so the size goes first and `body` need not outlive this.
            try set(
                ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                "CURLOPT_POSTFIELDSIZE_LARGE")
            let code = body.withUnsafeBytes { bytes in
                bytes.baseAddress.map {
                    ccurl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0))
                }
                    ?? ccurl_easy_setopt_str(easy, CURLOPT_COPYPOSTFIELDS, "")
            }
            try set(code, "CURLOPT_COPYPOSTFIELDS")
        } else {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
        }
        if method != "HEAD" && method != (request.body == nil ? "GET" : "POST") {
            try set(ccurl_easy_setopt_str(easy, CURLOPT_CUSTOMREQUEST, method), "CURLOPT_CUSTOMREQUEST")
        }
    }

    private mutating func headers(_ request: FetchRequest) throws(FetchError) {
        var lines: [String] = []
        if request.header("User-Agent") == nil { lines.append("User-Agent: barrage-chaos/1.0") }
        if request.header("Accept") == nil { lines.append("Accept: */*") }
        // No `Expect: 100-continue` wait before large bodies (requests sends the body at once).
        if request.header("Expect") == nil { lines.append("Expect:") }
        if let token = request.bearerToken, request.header("Authorization") == nil {
            lines.append("Authorization: Bearer \(token)")
        }
        // libcurl sends `Name;` as a header with an empty value (`Name:` would remove it).
        lines += request.headers.map { $0.1.isEmpty ? "\($0.0);" : "\($0.0): \($0.1)" }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                throw .invalidRequest("MemoryError: curl_slist_append")
            }
            headerList = list
        }
        try set(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
    }

    private func tls(_ tls: FetchTLS) throws(FetchError) {
        if !tls.verify {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0), "CURLOPT_SSL_VERIFYPEER")
            try set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0), "CURLOPT_SSL_VERIFYHOST")
        } else if let ca = tls.certificateAuthority {
            try source(
                ca, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB,
                missing: "Could not find a suitable TLS CA certificate bundle, invalid path: ")
        }
        if let certificate = tls.clientCertificate {
            try set(ccurl_easy_setopt_str(easy, CURLOPT_SSLCERTTYPE, "PEM"), "CURLOPT_SSLCERTTYPE")
            try source(
                certificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB,
                missing: "Could not find the TLS certificate file, invalid path: ")
        }
        if let key = tls.clientKey {
            try set(ccurl_easy_setopt_str(easy, CURLOPT_SSLKEYTYPE, "PEM"), "CURLOPT_SSLKEYTYPE")
            try source(
                key, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB,
                missing: "Could not find the TLS key file, invalid path: ")
        }
    }

    /// A PEM from a file (which must exist, as requests checks) or from memory (copied by libcurl).
    private func source(_ source: FetchTLS.Source, file: CURLoption, blob: CURLoption, missing: String)
        throws(FetchError)
    {
        switch source {
        case .file(let path):
            guard access(path, R_OK) == 0 else { throw .invalidRequest("OSError: \(missing)\(path)") }
            try set(ccurl_easy_setopt_str(easy, file, path), "option \(file.rawValue)")
        case .pem(let bytes):
            let code = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { ccurl_easy_setopt_blob(easy, blob, $0, raw.count) } ?? CURLE_BAD_FUNCTION_ARGUMENT
            }
            try set(code, "option \(blob.rawValue)")
        }
    }

    private func set(_ code: CURLcode, _ what: @autoclosure () -> String) throws(FetchError) {
        guard code == CURLE_OK else {
            throw .invalidRequest("OSError: libcurl refused \(what()): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// Seconds as libcurl's milliseconds: at least 1 (0 means "no timeout" to libcurl, and NaN or a negative value
    /// must not become one); nil for infinity.
    private static func milliseconds(_ seconds: Double) -> Int? {
        guard seconds.isFinite, seconds >= 0 else { return seconds == .infinity ? nil : 1 }
        return Int(max(1, min(seconds * 1000, Double(Int32.max))))
    }
}
