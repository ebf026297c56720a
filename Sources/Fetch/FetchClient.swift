internal import CCurl

/// The chaos side's one blocking HTTP client (http provider, Prometheus probes, experiment URLs, Kubernetes API):
/// libcurl's easy interface, one request at a time on the calling thread.
///
/// The client owns one easy handle and frees it once, when it goes away; reusing a client across requests reuses
/// its connections. Not for sharing between threads: make one per thread.
package struct FetchClient: ~Copyable {
    private let easy: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// A client with a fresh easy handle.
    ///
    /// - Throws: `FetchError.invalidRequest` when libcurl cannot be initialised or gives no handle.
    package init() throws(FetchError) {
        guard Self.libraryReady, let easy = curl_easy_init() else {
            throw .invalidRequest("OSError: libcurl could not be initialised")
        }
        self.easy = easy
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    /// `curl_global_init`, once per process, on first use (Swift runs a static's initialiser once, thread-safely).
    /// The attacker's engine does the same for itself; libcurl counts the calls, and Debian's libcurl (feature
    /// `threadsafe`) makes the call itself thread-safe.
    private static let libraryReady: Bool = curl_global_init(ccurl_global_all) == CURLE_OK

    /// Sends `request` with a new client (and so a new connection).
    ///
    /// - Parameters:
    ///   - request: what to send.
    ///   - interrupt: asked at least once a second during the transfer; an error it returns stops the transfer.
    /// - Returns: the response (the last one, when redirects are followed), whatever its status.
    /// - Throws: `FetchError` when no response came (see `send(_:interrupt:)` on a client).
    package static func send(
        _ request: FetchRequest, interrupt: @escaping () -> (any Error)? = { nil }
    ) throws(FetchError) -> FetchResponse {
        let client = try FetchClient()
        return try client.send(request, interrupt: interrupt)
    }

    /// Sends `request` and follows redirects as requests does.
    ///
    /// Redirects (301, 302, 303, 307, 308 with a Location): 303 and 302 become GET (HEAD stays HEAD), 301 turns
    /// POST into GET; every redirect but 307 and 308 drops the body and its Content-Type, Content-Length and
    /// Transfer-Encoding headers; leaving the origin drops the Authorization header and the bearer token.
    ///
    /// - Parameters:
    ///   - request: what to send.
    ///   - interrupt: asked at least once a second during each transfer; an error it returns stops the transfer.
    /// - Returns: the response (the last one, when redirects are followed), whatever its status.
    /// - Throws: `FetchError.invalidRequest` for a URL requests refuses, a missing certificate file or too many
    ///   redirects; `.connection` when no response came; `.timeout`; `.interrupted` with the interrupt's error.
    package func send(
        _ request: FetchRequest, interrupt: @escaping () -> (any Error)? = { nil }
    ) throws(FetchError) -> FetchResponse {
        var current = request
        var url = try FetchURL(request.url)
        var redirects = 0
        while true {
            let response = try transfer(current, url: url, original: current.url, interrupt: interrupt)
            guard current.followRedirects, [301, 302, 303, 307, 308].contains(response.status),
                let location = response.header("Location")
            else { return response }
            guard redirects < current.maxRedirects else {
                throw .invalidRequest(
                    "requests.exceptions.TooManyRedirects: Exceeded \(current.maxRedirects) redirects.")
            }
            redirects += 1
            let next = try url.resolve(location)
            current = Self.redirected(current, status: response.status, leavesOrigin: url.isOtherOrigin(next))
            current.url = next.text
            url = next
        }
    }

    /// requests' `rebuild_method`, body purge and `should_strip_auth` for one redirect.
    private static func redirected(_ request: FetchRequest, status: Int, leavesOrigin: Bool) -> FetchRequest {
        var next = request
        if (status == 303 || status == 302) && request.method != "HEAD" || status == 301 && request.method == "POST" {
            next.method = "GET"
        }
        if status != 307 && status != 308 {
            next.body = nil
            let purged: Set<String> = ["content-length", "content-type", "transfer-encoding"]
            next.headers = next.headers.filter { !purged.contains($0.0.lowercased()) }
        }
        if leavesOrigin {
            next.headers = next.headers.filter { $0.0.lowercased() != "authorization" }
            next.bearerToken = nil
        }
        return next
    }

    /// One exchange, no redirects followed.
    private func transfer(
        _ request: FetchRequest, url: FetchURL, original: String, interrupt: @escaping () -> (any Error)?
    ) throws(FetchError) -> FetchResponse {
        curl_easy_reset(easy)
        errorBuffer[0] = 0
        let state = TransferState(easy: easy, readTimeout: request.readTimeout, interrupt: interrupt)
        var options = EasyOptions(easy: easy)
        defer { options.release() }
        try options.apply(request, url: url, errorBuffer: errorBuffer)
        try options.callbacks(Unmanaged.passUnretained(state).toOpaque())
        let code = withExtendedLifetime(state) { curl_easy_perform(easy) }
        if let error = state.interruption { throw .interrupted(error) }
        if state.timedOut { throw .timeout(url: original) }
        guard code == CURLE_OK else {
            var osErrno = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
            let detail = String(cString: errorBuffer)
            throw FetchError.from(
                code: code, detail: detail, osErrno: Int32(truncatingIfNeeded: osErrno), url: url, original: original)
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return FetchResponse(status: status, headers: state.headers, body: state.body, url: url.text)
    }
}
