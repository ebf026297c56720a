import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// A parser for one JSON line holding a vegeta result.
struct JSONLineParser {
    var c: ByteCursor
    private let origin: Int
    private var scratch: [UInt8] = []

    private let wanted: ResultFields

    init(_ cursor: ByteCursor, wanted: ResultFields = .all) {
        c = cursor
        origin = cursor.position
        self.wanted = wanted
    }

    mutating func parseResult() -> Parsed {
        skipSpace()
        if c.isAtEnd { return .blank }
        guard c.byte() == UInt8(ascii: "{") else { return .failure("expected a JSON object") }
        var r = Result()
        skipSpace()
        if c.peek() == UInt8(ascii: "}") {
            c.position += 1
            return finish(r)
        }
        while true {
            skipSpace()
            guard c.peek() == UInt8(ascii: "\"") else { return .failure("expected a key at column \(column)") }
            let keyStart = c.position + 1
            guard skipString() else { return .failure("unterminated key at column \(keyStart - origin)") }
            // Every field vegeta knows is validated, whether it is kept or not: one rule for a valid record,
            // whatever a reader keeps.
            let key = ResultField(jsonKey: c.base + keyStart, c.position - 1 - keyStart)
            skipSpace()
            guard c.byte() == UInt8(ascii: ":") else { return .failure("expected ':' at column \(column)") }
            skipSpace()
            if let problem = parseValue(for: key, into: &r) { return .failure(problem) }
            skipSpace()
            switch c.byte() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return finish(r)
            default: return .failure("expected ',' or '}' at column \(column)")
            }
        }
    }

    private var column: Int { c.position - origin + 1 }

    private mutating func finish(_ r: Result) -> Parsed {
        skipSpace()
        guard c.isAtEnd else { return .failure("unexpected data after the object at column \(column)") }
        return .result(r)
    }

    /// Parses the value for `key` into `r`; returns a problem description or nil.
    ///
    /// A field not in `wanted` is checked exactly as a kept one, but its strings, body and headers are not built.
    private mutating func parseValue(for key: ResultField?, into r: inout Result) -> String? {
        if isNull() {
            c.position += 4
            return nil
        }
        let store = key.map { wanted.contains($0.option) } ?? false
        switch key {
        case .attack: return string(&r.attack, "attack", store: store)
        case .error: return string(&r.error, "error", store: store)
        case .method: return string(&r.method, "method", store: store)
        case .url: return string(&r.url, "url", store: store)
        case .seq:
            guard let v = unsigned(UInt64.max) else { return "seq: expected an unsigned integer at column \(column)" }
            r.seq = v
        case .code:
            guard let v = unsigned(UInt64(UInt16.max)) else {
                return "code: expected an integer 0..65535 at column \(column)"
            }
            r.code = UInt16(v)
        case .bytesOut:
            guard let v = unsigned(UInt64.max) else { return "bytes_out: expected an unsigned integer" }
            r.bytesOut = v
        case .bytesIn:
            guard let v = unsigned(UInt64.max) else { return "bytes_in: expected an unsigned integer" }
            r.bytesIn = v
        case .latency: return latency(into: &r)
        case .timestamp: return timestamp(into: &r)
        case .body: return body(into: &r, store: store)
        case .headers: return headers(into: &r, store: store)
        case nil:
            guard skipValue(depth: 0) else { return "bad JSON value at column \(column)" }
        }
        return nil
    }

    /// `latency`: a (possibly negative) integer number of nanoseconds.
    private mutating func latency(into r: inout Result) -> String? {
        var negative = false
        if c.peek() == UInt8(ascii: "-") {
            negative = true
            c.position += 1
        }
        guard let v = unsigned(negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else {
            return "latency: expected an integer number of nanoseconds at column \(column)"
        }
        r.latency = negative ? (v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)) : Int64(v)
        return nil
    }

    /// `timestamp`: an RFC 3339 string.
    private mutating func timestamp(into r: inout Result) -> String? {
        guard c.peek() == UInt8(ascii: "\"") else { return "timestamp: expected a string" }
        let start = c.position + 1
        guard skipString() else { return "timestamp: unterminated string" }
        guard let t = Timestamp.parseRFC3339(c.base + start, c.position - 1 - start) else {
            let text = InputExcerpt.text(UnsafeBufferPointer(start: c.base + start, count: c.position - 1 - start))
            return "timestamp: \"\(text)\" is not RFC 3339"
        }
        r.timestamp = t
        return nil
    }

    /// `body`: a base64 string, decoded when stored and only validated otherwise.
    private mutating func body(into r: inout Result, store: Bool) -> String? {
        guard c.peek() == UInt8(ascii: "\"") else { return "body: expected a base64 string" }
        let start = c.position + 1
        guard skipString() else { return "body: unterminated string" }
        let text = UnsafeBufferPointer(start: c.base + start, count: c.position - 1 - start)
        if store {
            guard let bytes = try? Base64.decode(text) else { return "body: illegal base64 data" }
            r.body = bytes
        } else {
            guard Base64.isValid(text) else { return "body: illegal base64 data" }
        }
        return nil
    }

    /// `headers`: an object of header names to arrays of strings (or null).
    private mutating func headers(into r: inout Result, store: Bool) -> String? {
        guard c.byte() == UInt8(ascii: "{") else { return "headers: expected an object" }
        var headers: [Header] = []
        skipSpace()
        if c.peek() == UInt8(ascii: "}") {
            c.position += 1
            if store { r.headers = headers }
            return nil
        }
        while true {
            skipSpace()
            var name = ""
            if let p = string(&name, "headers", store: store) { return p }
            skipSpace()
            guard c.byte() == UInt8(ascii: ":") else { return "headers: expected ':'" }
            skipSpace()
            var values: [String] = []
            if let p = headerValues(&values, store: store) { return p }
            if store { headers.append(Header(name: name, values: values)) }
            skipSpace()
            let sep = c.byte()
            if sep == UInt8(ascii: "}") { break }
            guard sep == UInt8(ascii: ",") else { return "headers: expected ',' or '}'" }
        }
        if store { r.headers = headers }
        return nil
    }

    /// One header's values: null, or an array of strings appended to `values` when stored.
    private mutating func headerValues(_ values: inout [String], store: Bool) -> String? {
        if isNull() {
            c.position += 4
            return nil
        }
        guard c.byte() == UInt8(ascii: "[") else { return "headers: expected an array of strings" }
        skipSpace()
        if c.peek() == UInt8(ascii: "]") {
            c.position += 1
            return nil
        }
        while true {
            skipSpace()
            var v = ""
            if let p = string(&v, "headers", store: store) { return p }
            if store { values.append(v) }
            skipSpace()
            let sep = c.byte()
            if sep == UInt8(ascii: "]") { return nil }
            guard sep == UInt8(ascii: ",") else { return "headers: expected ',' or ']'" }
        }
    }

    private func isNull() -> Bool {
        c.remaining >= 4 && c.base[c.position] == UInt8(ascii: "n") && c.base[c.position + 1] == UInt8(ascii: "u")
            && c.base[c.position + 2] == UInt8(ascii: "l") && c.base[c.position + 3] == UInt8(ascii: "l")
    }

    private mutating func skipSpace() {
        while let b = c.peek(), b == 0x20 || b == 0x09 || b == 0x0d || b == 0x0a { c.position += 1 }
    }

    private mutating func unsigned(_ max: UInt64) -> UInt64? {
        var v: UInt64 = 0
        var digits = 0
        while let d = c.peek(), d >= 48, d <= 57 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d - 48))
            guard !o1, !o2 else { return nil }
            v = a
            digits += 1
            c.position += 1
        }
        guard digits > 0, v <= max else { return nil }
        if let next = c.peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            return nil
        }
        return v
    }

    /// Skips a string starting at the opening quote; leaves the cursor after the closing quote.
    private mutating func skipString() -> Bool {
        guard c.byte() == UInt8(ascii: "\"") else { return false }
        while let b = c.byte() {
            if b == UInt8(ascii: "\"") { return true }
            if b == UInt8(ascii: "\\") { guard c.byte() != nil else { return false } }
        }
        return false
    }

    /// Parses a JSON string into `into`, decoding escapes; with `store` false it is only checked.
    private mutating func string(_ into: inout String, _ field: String, store: Bool = true) -> String? {
        guard c.peek() == UInt8(ascii: "\"") else { return "\(field): expected a string at column \(column)" }
        c.position += 1
        let start = c.position
        // Fast path: no escapes.
        while let b = c.peek(), b != UInt8(ascii: "\""), b != UInt8(ascii: "\\"), b >= 0x20 { c.position += 1 }
        if c.peek() == UInt8(ascii: "\"") {
            if store {
                into = String(
                    decoding: UnsafeBufferPointer(start: c.base + start, count: c.position - start), as: UTF8.self)
            }
            c.position += 1
            return nil
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: c.base + start, count: c.position - start))
        while true {
            guard let b = c.byte() else { return "\(field): unterminated string" }
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { return "\(field): control character in string at column \(column)" }
            if b != UInt8(ascii: "\\") {
                scratch.append(b)
                continue
            }
            guard let e = c.byte() else { return "\(field): unterminated escape" }
            if let plain = JSONString.unescaped(e) {
                scratch.append(plain)
                continue
            }
            guard e == UInt8(ascii: "u") else { return "\(field): bad escape at column \(column)" }
            guard let unit = hex4() else { return "\(field): bad \\u escape at column \(column)" }
            // A surrogate that is not half of a pair becomes U+FFFD as in Go; what follows it is read on its own.
            var scalar = JSONString.isHighSurrogate(unit) || (unit >= 0xdc00 && unit < 0xe000) ? 0xfffd : unit
            if JSONString.isHighSurrogate(unit), c.remaining >= 6, c.base[c.position] == UInt8(ascii: "\\"),
                c.base[c.position + 1] == UInt8(ascii: "u"), let low = JSONString.hex4(c.base + c.position + 2),
                let pair = JSONString.scalar(high: unit, low: low)
            {
                c.position += 6
                scalar = pair
            }
            UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { scratch.append($0) }
        }
        if store { into = String(decoding: scratch, as: UTF8.self) }
        return nil
    }

    /// Four hex digits; on a bad one the cursor stops just past it (where the error's column points).
    private mutating func hex4() -> UInt32? {
        guard c.remaining >= 4 else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let h = c.byte(), let d = JSONString.hexValue(h) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    /// Skips any JSON value (for unknown keys).
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 128 else { return false }
        skipSpace()
        guard let b = c.peek() else { return false }
        switch b {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            c.position += 1
            skipSpace()
            if c.peek() == close {
                c.position += 1
                return true
            }
            while true {
                if b == UInt8(ascii: "{") {
                    skipSpace()
                    guard skipString() else { return false }
                    skipSpace()
                    guard c.byte() == UInt8(ascii: ":") else { return false }
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                let sep = c.byte()
                if sep == close { return true }
                guard sep == UInt8(ascii: ",") else { return false }
            }
        default:
            // number, true, false, null
            let start = c.position
            while let d = c.peek(), d != UInt8(ascii: ","), d != UInt8(ascii: "}"), d != UInt8(ascii: "]"),
                d != 0x20, d != 0x09, d != 0x0a, d != 0x0d
            {
                c.position += 1
            }
            return c.position > start
        }
    }
}

extension ResultField {
    /// The field a vegeta JSON key names (`bytes_out`, ...), matched case-sensitively; nil for other keys.
    init?(jsonKey p: UnsafePointer<UInt8>, _ n: Int) {
        func eq(_ k: StaticString) -> Bool {
            k.utf8CodeUnitCount == n && memcmp(k.utf8Start, p, n) == 0
        }
        switch n {
        case 3 where eq("seq"): self = .seq
        case 3 where eq("url"): self = .url
        case 4 where eq("code"): self = .code
        case 4 where eq("body"): self = .body
        case 5 where eq("error"): self = .error
        case 6 where eq("attack"): self = .attack
        case 6 where eq("method"): self = .method
        case 7 where eq("latency"): self = .latency
        case 7 where eq("headers"): self = .headers
        case 8 where eq("bytes_in"): self = .bytesIn
        case 9 where eq("timestamp"): self = .timestamp
        case 9 where eq("bytes_out"): self = .bytesOut
        default: return nil
        }
    }
}
