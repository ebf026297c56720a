/// One request of the chaos side's blocking HTTP client (`FetchClient`).
///
/// Defaults are those of Python `requests`, whose behaviour the http provider reproduces: redirects followed (at most
/// 30), TLS verified against the system's CA store, no timeout.
package struct FetchRequest: Sendable {
    /// An absolute `http://` or `https://` URL.
    package var url: String
    /// The method, sent as given (`GET`, `POST`, `PATCH`, ...).
    package var method: String
    /// Header lines in order; a name given here replaces the client's default of that name.
    package var headers: [(String, String)]
    /// The body; nil sends none (and no Content-Length), `[]` sends `Content-Length: 0`.
    package var body: [UInt8]?
    /// Sent as `Authorization: Bearer <token>` unless `headers` has an Authorization header.
    package var bearerToken: String?
    /// Certificate checks and client certificates.
    package var tls: FetchTLS
    /// Seconds to establish the connection (TLS handshake included); nil waits as long as the system does.
    package var connectTimeout: Double?
    /// Seconds the transfer may go without receiving or sending a byte once connected (requests' read timeout).
    package var readTimeout: Double?
    /// Seconds for the whole exchange, redirects excluded; nil is no limit.
    package var totalTimeout: Double?
    /// Follows 301, 302, 303, 307 and 308 with requests' rules (see `FetchClient.send`).
    package var followRedirects: Bool
    /// Redirects followed before `FetchError.invalidRequest` (requests' `TooManyRedirects`).
    package var maxRedirects: Int

    /// A request with requests' defaults.
    package init(
        url: String, method: String = "GET", headers: [(String, String)] = [], body: [UInt8]? = nil,
        bearerToken: String? = nil, tls: FetchTLS = FetchTLS(), connectTimeout: Double? = nil,
        readTimeout: Double? = nil, totalTimeout: Double? = nil, followRedirects: Bool = true, maxRedirects: Int = 30
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.bearerToken = bearerToken
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
    }

    /// The last value of header `name`, matched case-insensitively.
    func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.last { $0.0.lowercased() == lower }?.1
    }
}

/// TLS settings of a `FetchRequest`.
package struct FetchTLS: Sendable {
    /// Where a PEM certificate, key or CA bundle comes from.
    package enum Source: Sendable {
        /// A PEM file on disk.
        case file(String)
        /// PEM bytes in memory (a kubeconfig's `*-data` fields, decoded).
        case pem([UInt8])
    }

    /// Check the server's certificate and name (requests' `verify=True`); false accepts any certificate.
    package var verify: Bool
    /// The CA bundle to trust instead of the system's.
    package var certificateAuthority: Source?
    /// The client certificate sent when the server asks for one.
    package var clientCertificate: Source?
    /// The client certificate's private key (unencrypted PEM); nil when it is in the certificate's PEM.
    package var clientKey: Source?

    /// Verified against the system's CA store, no client certificate.
    package init(
        verify: Bool = true, certificateAuthority: Source? = nil, clientCertificate: Source? = nil,
        clientKey: Source? = nil
    ) {
        self.verify = verify
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// A response: the final one when redirects are followed.
package struct FetchResponse: Sendable {
    /// The status code.
    package var status: Int
    /// Header lines as received, in order, names in their original case.
    package var headers: [(String, String)]
    /// The body as received (no content decoding is asked for).
    package var body: [UInt8]
    /// The URL that answered (after redirects).
    package var url: String

    /// A response value (tests and callers that build one).
    package init(status: Int, headers: [(String, String)], body: [UInt8], url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The last value of header `name`, matched case-insensitively (as `requests`' CaseInsensitiveDict).
    package func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.last { $0.0.lowercased() == lower }?.1
    }
}
