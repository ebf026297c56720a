/// Why a `FetchClient.send` gave no response, in the words of Python `requests` (the chaos journal shows them).
package enum FetchError: Error, Sendable, CustomStringConvertible {
    /// A request requests refuses before connecting, or an error chaostoolkit's http provider does not catch:
    /// the whole `module.Exception: text` line (`requests.exceptions.InvalidURL: Invalid URL 'http://': No host
    /// supplied`, `OSError: Could not find the TLS key file, invalid path: k.pem`).
    case invalidRequest(String)
    /// A connection failure (requests' `ConnectionError`, `SSLError` included): `reason` is `str()` of it,
    /// e.g. `HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded with url: / (Caused by ...)`.
    /// `code` is libcurl's CURLcode and `detail` libcurl's error buffer, kept for diagnosis.
    case connection(url: String, reason: String, code: Int, detail: String)
    /// The connect, read or total timeout passed (requests' `Timeout`).
    case timeout(url: String)
    /// The caller's interrupt check returned this error; the transfer was abandoned.
    case interrupted(any Error)

    /// One line: the requests text; for a connection failure, chaostoolkit's `failed to connect to <url>: <reason>`.
    package var description: String {
        switch self {
        case .invalidRequest(let line): line
        case .connection(let url, let reason, _, _): "failed to connect to \(url): \(reason)"
        case .timeout(let url): "\(url): timed out"
        case .interrupted(let error): "interrupted: \(error)"
        }
    }
}
