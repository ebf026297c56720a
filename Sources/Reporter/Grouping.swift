public import Encoder

/// What `report -by` splits results by: each distinct key gets its own report beside the total.
public enum Grouping: String, Sendable, CaseIterable {
    /// The request URL.
    case url
    /// The request method and URL, `GET http://host/path`.
    case methodURL = "method+url"
    /// The attack name (`attack -name`).
    case attack
    /// The status code.
    case code
    /// The input file the result was read from.
    case file

    /// The result fields a grouped report reads: the report's own and the key's.
    public var fields: ResultFields {
        switch self {
        case .url: return ResultFields.metrics.union(.url)
        case .methodURL: return ResultFields.metrics.union([.method, .url])
        case .attack: return ResultFields.metrics.union(.attack)
        case .code, .file: return ResultFields.metrics
        }
    }

    /// The longest key kept, in bytes; a longer URL or name is cut there (and shares its group with the
    /// others that begin alike), so hostile input cannot make keys grow without bound.
    public static let maxKeyBytes = 1024

    /// The group key of `result`, read from input `input` of the inputs named `inputNames`.
    func key(_ result: Result, input: Int, inputNames: [String]) -> String {
        let key: String
        switch self {
        case .url: key = result.url
        case .methodURL: key = result.method + " " + result.url
        case .attack: key = result.attack
        case .code: key = String(result.code)
        case .file: key = inputNames.indices.contains(input) ? inputNames[input] : String(input)
        }
        return Self.cut(key)
    }

    /// `key`, cut to `maxKeyBytes` at a character boundary.
    static func cut(_ key: String) -> String {
        guard key.utf8.count > maxKeyBytes else { return key }
        let head = Array(key.utf8.prefix(maxKeyBytes + 1))
        var end = maxKeyBytes
        // head[end] is the first byte left out; a continuation byte there means a character would be split.
        while end > 0, head[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: head[..<end], as: UTF8.self)
    }
}
