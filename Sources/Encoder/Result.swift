/// One HTTP hit, as vegeta records it (`lib.Result`): the record every barrage command reads and writes.
///
/// Field names, types and meanings follow vegeta v12.13.0 (reference §3). `body` and `headers` keep
/// vegeta's nil-versus-empty distinction because the JSON encoding writes `null` for nil and `""`/`{}` for empty.
public struct Result: Sendable, Equatable {
    /// The attack name (`-name`), empty by default.
    public var attack: String
    /// Sequence number of the hit within its attack, from 0.
    public var seq: UInt64
    /// HTTP status code, or 0 when the request failed before a response.
    public var code: UInt16
    /// When the hit started (wall clock).
    public var timestamp: Timestamp
    /// Time from the start of the hit to the end of the body read, in nanoseconds.
    public var latency: Int64
    /// Request body length in bytes.
    public var bytesOut: UInt64
    /// Response body bytes kept (after `-max-body`).
    public var bytesIn: UInt64
    /// Transport error text, or the status line for codes < 200 or >= 400; empty on success.
    public var error: String
    /// Response body, or nil (vegeta's nil slice: errors, or a gob round trip of an empty body).
    public var body: [UInt8]?
    /// Request method.
    public var method: String
    /// Request URL.
    public var url: String
    /// Response headers in the order received or decoded, or nil.
    public var headers: [Header]?

    /// Creates a result; every field defaults to vegeta's zero value.
    public init(
        attack: String = "", seq: UInt64 = 0, code: UInt16 = 0, timestamp: Timestamp = .zero, latency: Int64 = 0,
        bytesOut: UInt64 = 0, bytesIn: UInt64 = 0, error: String = "", body: [UInt8]? = nil, method: String = "",
        url: String = "", headers: [Header]? = nil
    ) {
        self.attack = attack
        self.seq = seq
        self.code = code
        self.timestamp = timestamp
        self.latency = latency
        self.bytesOut = bytesOut
        self.bytesIn = bytesIn
        self.error = error
        self.body = body
        self.method = method
        self.url = url
        self.headers = headers
    }
}

/// One header name with all its values (`http.Header` is `map[string][]string`; we keep arrival order).
public struct Header: Sendable, Hashable {
    /// The header name as received or decoded.
    public var name: String
    /// Every value for `name`, in order.
    public var values: [String]

    /// Creates a header entry.
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}
