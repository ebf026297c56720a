import BarrageCore

/// Errors a service reports in the body of a successful response.
///
/// Many services (the seed labs' front among them) answer HTTP 200 with `{"error": "...", "value": ...}` when a
/// call behind them fails, so vegeta sees no error at all. The chaos report counts such a result as an error when
/// its body is a JSON object with a member named `key` whose value is not null, false, 0 or empty (Python's
/// truthiness, as the seed's `should_not_have_any_errors` uses the key's presence; a null error is not one).
public struct BodyErrors: Sendable {
    /// The member name; empty turns the check off.
    public let key: String
    private let needle: [UInt8]

    public init(key: String) {
        self.key = key
        needle = Array("\"\(key)\"".utf8)
    }

    /// The error text the body carries, or nil.
    public func error(in body: [UInt8]?) -> String? {
        guard !key.isEmpty, let body, body.count >= needle.count + 2, Self.startsObject(body),
            Self.contains(body, needle), let json = JSON.parse(body), let value = json[key], value.isTruthy
        else { return nil }
        return value.string ?? value.pythonString
    }

    private static func startsObject(_ body: [UInt8]) -> Bool {
        for b in body {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
            return b == UInt8(ascii: "{")
        }
        return false
    }

    private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, hay.count >= needle.count else { return false }
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
