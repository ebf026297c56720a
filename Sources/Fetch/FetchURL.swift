internal import CCurl

/// A URL parsed by libcurl's URL API (CURLU), with the parts requests' messages name.
struct FetchURL {
    /// `http` or `https` (lowercase).
    var scheme: String
    /// The host without IPv6 brackets (`::1`), as requests prints it.
    var host: String
    /// The port, the scheme's default when the URL has none.
    var port: Int
    /// Path and query (`/x?y=1`), as requests' "Max retries exceeded with url:" shows it.
    var target: String
    /// The URL libcurl will request (normalised, fragment dropped).
    var text: String

    /// Parses `text`, or throws requests' exception for it (MissingSchema, InvalidSchema, InvalidURL).
    init(_ original: String) throws(FetchError) {
        guard let handle = curl_url() else { throw .invalidRequest("MemoryError: curl_url") }
        defer { curl_url_cleanup(handle) }
        let flags = UInt32(CURLU_NON_SUPPORT_SCHEME) | UInt32(CURLU_URLENCODE) | UInt32(CURLU_ALLOW_SPACE)
        guard original.contains("://") else {
            throw .invalidRequest(
                "requests.exceptions.MissingSchema: Invalid URL '\(original)': No scheme supplied. "
                    + "Perhaps you meant https://\(original)?")
        }
        let scheme = original.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalidRequest(
                "requests.exceptions.InvalidSchema: No connection adapters were found for '\(original)'")
        }
        let code = curl_url_set(handle, CURLUPART_URL, original, flags)
        guard code == CURLUE_OK else {
            let noHost =
                code == CURLUE_NO_HOST || original.dropFirst(scheme.count + 3).first.map { "/?#".contains($0) } ?? true
            throw .invalidRequest(
                "requests.exceptions.InvalidURL: Invalid URL '\(original)'" + (noHost ? ": No host supplied" : ""))
        }
        var host = Self.part(handle, CURLUPART_HOST, 0) ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let path = Self.part(handle, CURLUPART_PATH, 0) ?? "/"
        let query = Self.part(handle, CURLUPART_QUERY, 0)
        guard !host.isEmpty,
            let port = Self.part(handle, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)).flatMap({ Int($0) }),
            let text = Self.part(handle, CURLUPART_URL, 0)
        else {
            throw .invalidRequest("requests.exceptions.InvalidURL: Invalid URL '\(original)'")
        }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = query.map { path + "?" + $0 } ?? path
        self.text = text
    }

    /// A Location header resolved against this URL (relative, absolute or scheme-relative).
    ///
    /// - Throws: requests' exception when the result is no http(s) URL.
    func resolve(_ location: String) throws(FetchError) -> FetchURL {
        guard let handle = curl_url() else { throw .invalidRequest("MemoryError: curl_url") }
        defer { curl_url_cleanup(handle) }
        let flags = UInt32(CURLU_NON_SUPPORT_SCHEME) | UInt32(CURLU_URLENCODE) | UInt32(CURLU_ALLOW_SPACE)
        guard curl_url_set(handle, CURLUPART_URL, text, flags) == CURLUE_OK,
            curl_url_set(handle, CURLUPART_URL, location, flags) == CURLUE_OK,
            let resolved = Self.part(handle, CURLUPART_URL, 0)
        else {
            throw .invalidRequest("requests.exceptions.InvalidURL: Invalid URL '\(location)'")
        }
        return try FetchURL(resolved)
    }

    /// Whether a redirect to `other` leaves this origin, so the Authorization header is dropped:
    /// requests' `should_strip_auth`: another host, scheme or port, except http on 80 to https on 443.
    func isOtherOrigin(_ other: FetchURL) -> Bool {
        if other.host.lowercased() != host.lowercased() { return true }
        if scheme == "http", port == 80, other.scheme == "https", other.port == 443 { return false }
        return other.scheme != scheme || other.port != port
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart, _ flags: UInt32) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &out, flags) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }
}
