/// One request to send, as vegeta's `Target`: method, URL, body and headers.
///
/// Header names keep the case written in the targets file or `-header` flag (vegeta does not canonicalise
/// them). `-header` values come first, then the target's own.
public struct Target: Sendable, Equatable {
    /// The request method, e.g. `GET`.
    public var method: String
    /// The request URL.
    public var url: String
    /// The request body (empty for none).
    public var body: [UInt8]
    /// Request headers in order, each name with all its values.
    public var headers: [TargetHeader]

    /// Creates a target.
    public init(method: String, url: String, body: [UInt8] = [], headers: [TargetHeader] = []) {
        self.method = method
        self.url = url
        self.body = body
        self.headers = headers
    }
}

/// A request header name with its values, in order.
public struct TargetHeader: Sendable, Equatable {
    /// The name exactly as written.
    public var name: String
    /// The values, in order.
    public var values: [String]

    /// Creates a header entry.
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

extension [TargetHeader] {
    /// Appends `value` to the entry named exactly `name`, or adds a new entry.
    public mutating func add(_ name: String, _ value: String) {
        if let i = firstIndex(where: { $0.name == name }) {
            self[i].values.append(value)
        } else {
            append(TargetHeader(name: name, values: [value]))
        }
    }
}

/// Which targets syntax to read (`-format`).
public enum TargetFormat: String, Sendable {
    /// vegeta's `http` format: request lines, header lines, `@body` files.
    case http
    /// One JSON object per line.
    case json
}

/// What the attack adds to every target: `-header` values and the `-body` file's contents.
public struct TargetDefaults: Sendable {
    /// `-header` entries, in flag order.
    public var headers: [TargetHeader]
    /// The `-body` file's contents.
    public var body: [UInt8]

    /// Creates defaults.
    public init(headers: [TargetHeader] = [], body: [UInt8] = []) {
        self.headers = headers
        self.body = body
    }
}
