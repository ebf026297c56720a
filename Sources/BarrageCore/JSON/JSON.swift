/// A JSON (or YAML) value as the Chaos Toolkit sees it: objects keep their key order, integers stay integers.
///
/// Equality (`==`) is structural and order-sensitive; `pythonEquals` gives Python's `==` (numbers across int/float/bool,
/// dicts regardless of order), which is what tolerances use.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([Member])

    /// One key and its value inside an object.
    public struct Member: Sendable, Equatable {
        /// The member's name.
        public var key: String
        /// The member's value.
        public var value: JSON
        /// Creates a member.
        public init(_ key: String, _ value: JSON) {
            self.key = key
            self.value = value
        }
    }

    /// The value of `key` when this is an object holding it.
    public subscript(key: String) -> JSON? {
        get {
            guard case .object(let members) = self else { return nil }
            return members.first { $0.key == key }?.value
        }
        set {
            guard case .object(var members) = self else { return }
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key, newValue))
            }
            self = .object(members)
        }
    }

    /// The members when this is an object.
    public var members: [Member]? {
        if case .object(let m) = self { return m }
        return nil
    }
    /// The items when this is an array.
    public var array: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }
    /// The text when this is a string.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    /// Whether this is an object.
    public var isObject: Bool { members != nil }
    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// Python's `isinstance(x, (int, float))` including bool, as a Double.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let m): return !m.isEmpty
        }
    }

    /// Python's `type(x).__name__`, for messages.
    public var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }

    /// Python's `a == b` for JSON-shaped values.
    public static func pythonEquals(_ a: JSON, _ b: JSON) -> Bool {
        if let x = a.number, let y = b.number { return x == y }
        switch (a, b) {
        case (.null, .null): return true
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { pythonEquals($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for member in x {
                guard let other = b[member.key], pythonEquals(member.value, other) else { return false }
            }
            return true
        default: return false
        }
    }

    /// Python's `a <= b`; nil when Python would raise TypeError (e.g. int against str).
    public static func pythonLessOrEqual(_ a: JSON, _ b: JSON) -> Bool? {
        if let x = a.number, let y = b.number { return x <= y }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return Array(x.unicodeScalars.map(\.value)).lexicographicallyPrecedes(y.unicodeScalars.map(\.value))
                || x == y
        case (.array(let x), .array(let y)):
            for (l, r) in zip(x, y) where !pythonEquals(l, r) {
                return pythonLessOrEqual(l, r)
            }
            return x.count <= y.count
        default: return nil
        }
    }

    /// Python's `str(x)` for scalars (used by process arguments and messages); containers use Python's repr.
    public var pythonString: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return JSON.pythonFloat(d)
        case .string(let s): return s
        default: return pythonRepr
        }
    }

    /// Python's `repr(x)`, close enough for messages.
    public var pythonRepr: String {
        switch self {
        case .string(let s):
            return "'" + s.replacingOccurrences("\\", "\\\\").replacingOccurrences("'", "\\'") + "'"
        case .array(let a): return "[" + a.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { "'\($0.key)': \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        default: return pythonString
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits, `.0` for whole numbers, exponent from 1e16.
    public static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        var text = "\(d)"
        if d == d.rounded(), abs(d) < 1e16, text.contains("e") {
            text = String(Int64(d)) + ".0"
        }
        return text
    }
}
