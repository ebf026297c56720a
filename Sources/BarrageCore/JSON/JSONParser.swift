/// The one JSON parser: bytes in, a `JSON` value out, object member order and integer types kept.
///
/// Two modes share the grammar (RFC 8259 plus leading zeros, which both earlier parsers took):
/// - `.document` reads a file or a message the way Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity`,
///   a leading UTF-8 byte-order mark, and containers nested up to 512 deep.
/// - `.line` reads one vegeta json target line: strict JSON, containers nested up to 64 deep, and errors placed by
///   byte offset.
///
/// A repeated key keeps its first position and takes the last value (Python's dict, Go's map). Integers that do not
/// fit in `Int` become doubles. Invalid UTF-8 inside strings becomes U+FFFD. Not thread-safe; one parser per parse.
package struct JSONParser {
    /// What a parse accepts.
    package struct Options: Sendable {
        /// The deepest nesting of arrays and objects allowed.
        package var maxDepth: Int
        /// Python's extensions: `NaN`, `Infinity`, `-Infinity` and a leading byte-order mark.
        package var pythonExtensions: Bool

        /// A whole document, as Python's `json.loads` reads it (experiments, journals, answers).
        package static let document = Options(maxDepth: 512, pythonExtensions: true)
        /// One vegeta json target line.
        package static let line = Options(maxDepth: 64, pythonExtensions: false)
    }

    private let bytes: [UInt8]
    private let options: Options
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8], _ options: Options) {
        self.bytes = bytes
        self.options = options
    }

    /// Parses one JSON value; whitespace may surround it, nothing else may follow it.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 text.
    ///   - options: `.document` (the default) or `.line`.
    /// - Returns: the value.
    /// - Throws: `JSONSyntaxError` with the reason and the byte offset where the text stops being JSON.
    package static func parse(_ bytes: [UInt8], _ options: Options = .document) throws(JSONSyntaxError) -> JSON {
        var parser = JSONParser(bytes, options)
        if options.pythonExtensions, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            parser.index = 3
        }
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        if parser.index < bytes.count { throw parser.fail(.trailingData) }
        return value
    }

    /// Parses the UTF-8 of `text` (see `parse(_:_:)` for bytes).
    ///
    /// - Throws: `JSONSyntaxError` when `text` is not one JSON value.
    package static func parse(_ text: String, _ options: Options = .document) throws(JSONSyntaxError) -> JSON {
        try parse(Array(text.utf8), options)
    }

    private func fail(_ reason: JSONSyntaxError.Reason) -> JSONSyntaxError {
        JSONSyntaxError(reason, at: index, in: bytes)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            let b = bytes[index]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index += 1
        }
    }

    private mutating func value() throws(JSONSyntaxError) -> JSON {
        guard index < bytes.count else { throw fail(.unexpectedEnd(.value)) }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N") where options.pythonExtensions: return try literal("NaN", .double(.nan))
        case UInt8(ascii: "I") where options.pythonExtensions: return try literal("Infinity", .double(.infinity))
        default: throw fail(.expectedValue)
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSON) throws(JSONSyntaxError) -> JSON {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw fail(.expectedValue) }
        let w = word.utf8Start
        for k in 0..<n where bytes[index + k] != w[k] { throw fail(.expectedValue) }
        index += n
        return value
    }

    /// Digits from `index` on, accumulated into `magnitude` until it would overflow.
    private mutating func digits(_ magnitude: inout UInt64, _ overflow: inout Bool) -> Int {
        let start = index
        while index < bytes.count {
            let d = bytes[index] &- 0x30
            guard d < 10 else { break }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            overflow = overflow || o1 || o2
            magnitude = s
            index += 1
        }
        return index - start
    }

    private mutating func number() throws(JSONSyntaxError) -> JSON {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative {
            index += 1
            if options.pythonExtensions, index < bytes.count, bytes[index] == UInt8(ascii: "I") {
                return try literal("Infinity", .double(-.infinity))
            }
        }
        var magnitude: UInt64 = 0
        var overflow = false
        guard digits(&magnitude, &overflow) > 0 else { throw fail(.expectedDigit(.integer)) }
        var isFloat = false
        var ignored: UInt64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isFloat = true
            index += 1
            guard digits(&ignored, &overflow) > 0 else { throw fail(.expectedDigit(.fraction)) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isFloat = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&ignored, &overflow) > 0 else { throw fail(.expectedDigit(.exponent)) }
        }
        if !isFloat, !overflow {
            if magnitude <= UInt64(Int.max) { return .int(negative ? -Int(magnitude) : Int(magnitude)) }
            if negative, magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
        }
        // Short texts make small strings: no allocation.
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let d = Double(text) else { throw fail(.invalidNumber(text)) }
        return .double(d)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        // Most strings have no escapes: one pass to the quote, one copy.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            index += 1
        }
        var out = Array(bytes[start..<index])
        try escapedString(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func escapedString(into out: inout [UInt8]) throws(JSONSyntaxError) {
        while true {
            guard index < bytes.count else { throw fail(.unterminatedString) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if b < 0x20 { throw fail(.controlCharacter) }
            index += 1
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard index < bytes.count else { throw fail(.unterminatedString) }
            let e = bytes[index]
            index += 1
            if e == UInt8(ascii: "u") {
                UTF8.encode(try unicodeEscape()) { out.append($0) }
            } else if let plain = JSONString.unescaped(e) {
                out.append(plain)
            } else {
                index -= 1
                throw fail(.invalidEscape)
            }
        }
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a surrogate pair. A surrogate that is not half of a
    /// pair is U+FFFD, and what follows it is read on its own (as Go and Python do).
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let unit = try hex4()
        if JSONString.isHighSurrogate(unit), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u"),
            let low = bytes.withUnsafeBufferPointer({ $0.baseAddress.flatMap { JSONString.hex4($0 + index + 2) } }),
            let pair = JSONString.scalar(high: unit, low: low)
        {
            index += 6
            return Unicode.Scalar(pair) ?? "\u{FFFD}"
        }
        return Unicode.Scalar(unit) ?? "\u{FFFD}"
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail(.invalidUnicodeEscape) }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = JSONString.hexValue(bytes[index + k]) else {
                throw JSONSyntaxError(.invalidUnicodeEscape, at: index + k, in: bytes, lineAndColumnAt: index)
            }
            v = v << 4 | d
        }
        index += 4
        return v
    }

    /// Opens a container at its bracket; true when it closes at once (`[]`, `{}`).
    private mutating func open(_ container: JSONSyntaxError.Container) throws(JSONSyntaxError) -> Bool {
        depth += 1
        if depth > options.maxDepth { throw fail(.tooDeep) }
        index += 1
        skipSpace()
        return closes(container)
    }

    /// Consumes the closing bracket of `container` when it is next.
    private mutating func closes(_ container: JSONSyntaxError.Container) -> Bool {
        guard index < bytes.count, bytes[index] == (container == .array ? UInt8(ascii: "]") : UInt8(ascii: "}"))
        else { return false }
        index += 1
        return true
    }

    /// After an item: `,` (another follows: false) or the closing bracket (true).
    private mutating func endOfItem(_ container: JSONSyntaxError.Container) throws(JSONSyntaxError) -> Bool {
        skipSpace()
        guard index < bytes.count else {
            throw fail(.unexpectedEnd(container == .array ? .arrayDelimiter : .objectDelimiter))
        }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return false
        }
        guard closes(container) else { throw fail(.expectedDelimiter(container)) }
        return true
    }

    private mutating func array() throws(JSONSyntaxError) -> JSON {
        defer { depth -= 1 }
        var items: [JSON] = []
        if try open(.array) { return .array(items) }
        repeat {
            skipSpace()
            items.append(try value())
        } while try !endOfItem(.array)
        return .array(items)
    }

    private mutating func object() throws(JSONSyntaxError) -> JSON {
        defer { depth -= 1 }
        var members: [JSON.Member] = []
        if try open(.object) { return .object(members) }
        repeat {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail(.expectedKey) }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail(.expectedColon) }
            index += 1
            skipSpace()
            let v = try value()
            if let i = members.firstIndex(where: { $0.key == key }) {
                members[i].value = v
            } else {
                members.append(JSON.Member(key, v))
            }
        } while try !endOfItem(.object)
        return .object(members)
    }
}

extension JSON {
    /// Parses one JSON document as Python's `json.loads` would.
    ///
    /// - Parameter bytes: the UTF-8 text.
    /// - Returns: the value, or nil when `bytes` is not one JSON document.
    public static func parse(_ bytes: [UInt8]) -> JSON? { try? JSONParser.parse(bytes) }
}
