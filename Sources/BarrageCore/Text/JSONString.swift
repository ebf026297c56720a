/// How a JSON string literal is escaped. Every dialect escapes `"` and `\` and never leaves a control character
/// raw; they differ in the rest.
public enum JSONEscaping: Sendable, Equatable {
    /// Go, as easyjson writes vegeta's result lines: `\n \r \t` short, other controls and the HTML-unsafe `< > &`
    /// as `\u00XX`, U+2028 and U+2029 escaped (so the text is also valid JavaScript), and each byte of invalid
    /// UTF-8 as `\ufffd`.
    case go
    /// Go's `encoding/json` (1.22 and later: reports, plot options): as `.go`, with `\b` and `\f` short too.
    case goEncodingJSON
    /// Python's `json.dumps`: `\n \r \t \b \f` short, other controls as `\u00XX`, `< > &` as they are; with
    /// `ensureASCII` (Python's default) every character past `~` as `\uXXXX` (a surrogate pair above U+FFFF).
    case python(ensureASCII: Bool)
}

/// The one JSON string escaper, at byte level: a table says which bytes pass as they are, and runs of those are
/// copied at once.
///
/// `write` is `@inlinable` and `public`, so the Encoder's per-result writers get it inlined for their dialect as
/// when the escaper lived there. Swift 6.3 inlines no `package` function across modules, `@inlinable` or not; called
/// through the module boundary, `encode -to=json` of 1M results took 8-10 % more CPU. `public` here is for the
/// optimizer: BarrageCore is in no product.
public enum JSONString {
    /// The most bytes `write` produces for `count` bytes of text: the quotes, and six bytes per byte.
    package static func maxLength(_ count: Int) -> Int { 2 + 6 * count }

    /// Writes `text` as a quoted JSON string at `out`.
    ///
    /// Allocates nothing; O(count). The caller reserves `maxLength(text.count)` bytes.
    /// - Parameters:
    ///   - text: UTF-8 bytes (invalid sequences are written as `\ufffd`).
    ///   - escaping: the dialect.
    ///   - out: where to write.
    /// - Returns: the number of bytes written.
    @inlinable @inline(__always)
    public static func write(
        _ text: UnsafeBufferPointer<UInt8>, _ escaping: JSONEscaping, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var o = out
        o.pointee = UInt8(ascii: "\"")
        o += 1
        if let base = text.baseAddress { o = body(base, text.count, escaping, o) }
        o.pointee = UInt8(ascii: "\"")
        return o + 1 - out
    }

    /// Appends `text` as a quoted JSON string to `out`.
    ///
    /// - Parameters:
    ///   - text: the string.
    ///   - escaping: the dialect.
    ///   - out: the buffer to append to.
    package static func append(_ text: String, _ escaping: JSONEscaping, to out: inout [UInt8]) {
        withUTF8(text) { u in
            let start = out.count
            let bound = maxLength(u.count)
            out.append(contentsOf: repeatElement(0, count: bound))
            let written = out.withUnsafeMutableBufferPointer { p -> Int in
                guard let base = p.baseAddress else { return 0 }
                return write(u, escaping, to: base + start)
            }
            out.removeLast(bound - written)
        }
    }

    /// `text` as a quoted JSON string.
    ///
    /// - Parameters:
    ///   - text: the string.
    ///   - escaping: the dialect.
    /// - Returns: the literal, quotes included.
    package static func quoted(_ text: String, _ escaping: JSONEscaping) -> String {
        var out: [UInt8] = []
        append(text, escaping, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable @inline(__always)
    static func body(
        _ base: UnsafePointer<UInt8>, _ n: Int, _ escaping: JSONEscaping, _ out: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var o = out
        let plain = escaping.plainBytes.utf8Start
        var i = 0
        var runStart = 0
        func flush() {
            let count = i - runStart
            if count > 16 {
                o.update(from: base + runStart, count: count)
            } else {
                // Most runs are short: a byte loop beats a call to memmove.
                for k in 0..<count { o[k] = base[runStart + k] }
            }
            o += count
        }
        while i < n {
            let c = base[i]
            if plain[Int(c)] == 0x31 {
                i += 1
                continue
            }
            if c < 0x80 {
                flush()
                o = escapeASCII(c, escaping, o)
                i += 1
                runStart = i
                continue
            }
            let width = utf8Width(base + i, n - i)
            if escaping == .python(ensureASCII: true) {
                flush()
                o = escapeScalar(width == 0 ? 0xFFFD : scalar(base + i, width), o)
            } else if width == 0 {
                flush()
                o = put("\\ufffd", o)
            } else if c == 0xE2, base[i + 1] == 0x80, base[i + 2] == 0xA8 || base[i + 2] == 0xA9 {
                // U+2028 / U+2029 (Go escapes them; Python without ensure_ascii never gets here).
                flush()
                o = escapeScalar(0x2000 | UInt32(base[i + 2] & 0x3F), o)
            } else {
                i += width
                continue
            }
            i += max(width, 1)
            runStart = i
        }
        flush()
        return o
    }

    @inlinable
    static func escapeASCII(
        _ c: UInt8, _ escaping: JSONEscaping, _ o: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        let short: UInt8
        switch c {
        case 0x22: short = UInt8(ascii: "\"")
        case 0x5C: short = UInt8(ascii: "\\")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0x08 where escaping != .go: short = UInt8(ascii: "b")
        case 0x0C where escaping != .go: short = UInt8(ascii: "f")
        default: return escapeScalar(UInt32(c), o)
        }
        o[0] = UInt8(ascii: "\\")
        o[1] = short
        return o + 2
    }

    /// `\uXXXX` (lower-case hex, as Go and Python write it), or a surrogate pair above U+FFFF.
    @inlinable
    static func escapeScalar(_ v: UInt32, _ o: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if v > 0xFFFF {
            let u = v - 0x10000
            return escapeScalar(0xDC00 | (u & 0x3FF), escapeScalar(0xD800 | (u >> 10), o))
        }
        let hex = hexDigits.utf8Start
        o[0] = UInt8(ascii: "\\")
        o[1] = UInt8(ascii: "u")
        o[2] = hex[Int(v >> 12 & 15)]
        o[3] = hex[Int(v >> 8 & 15)]
        o[4] = hex[Int(v >> 4 & 15)]
        o[5] = hex[Int(v & 15)]
        return o + 6
    }

    @inlinable
    static func scalar(_ p: UnsafePointer<UInt8>, _ width: Int) -> UInt32 {
        var v = UInt32(p[0]) & (0x7F >> UInt32(width))
        for k in 1..<width { v = v << 6 | UInt32(p[k] & 0x3F) }
        return v
    }

    @inlinable
    static func put(_ s: StaticString, _ o: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        o.update(from: s.utf8Start, count: s.utf8CodeUnitCount)
        return o + s.utf8CodeUnitCount
    }

    @usableFromInline
    static let hexDigits: StaticString = "0123456789abcdef"
}

extension JSONEscaping {
    /// For each byte value, "1" when the dialect writes it as it is.
    @inlinable
    var plainBytes: StaticString {
        switch self {
        case .go, .goEncodingJSON: Self.goPlain
        case .python(let ensureASCII): ensureASCII ? Self.asciiPlain : Self.pythonPlain
        }
    }

    /// Printable ASCII and DEL, without `" \ < > &`.
    @usableFromInline
    static let goPlain: StaticString = """
        0000000000000000000000000000000011011101111111111111111111110101111111111111111111111111111101111111111111111111111111111111111100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
        """
    /// Printable ASCII, DEL and every byte past it, without `" \`.
    @usableFromInline
    static let pythonPlain: StaticString = """
        0000000000000000000000000000000011011111111111111111111111111111111111111111111111111111111101111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111
        """
    /// Printable ASCII (space to `~`), without `" \`.
    @usableFromInline
    static let asciiPlain: StaticString = """
        0000000000000000000000000000000011011111111111111111111111111111111111111111111111111111111101111111111111111111111111111111111000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
        """
}
