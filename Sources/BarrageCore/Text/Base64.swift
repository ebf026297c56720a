/// Standard, padded base64 (RFC 4648 §4) exactly as Go's `base64.StdEncoding` encodes and decodes it, with Go's
/// error offsets. Result bodies, json target bodies, basic-auth credentials and bridge messages all go through it.
public enum Base64 {
    /// Go's `CorruptInputError`: the offset of the first byte that makes the input invalid.
    package struct CorruptInputError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The byte offset in the input, newlines included.
        package var offset: Int
        /// Creates the error for `offset`.
        package init(offset: Int) { self.offset = offset }
        /// Go's text: `illegal base64 data at input byte N`.
        package var description: String { "illegal base64 data at input byte \(offset)" }
    }

    @usableFromInline
    static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// For each byte, its 6-bit value, or 0xFF outside the alphabet.
    private static let values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for i in 0..<64 { t[Int(alphabet.utf8Start[i])] = UInt8(i) }
        return t
    }()

    /// The length of the encoding of `count` bytes (inlinable: the Encoder's writers size every record with it).
    @inlinable
    public static func encodedLength(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Writes the encoding of `src` at `out`, which has room for `encodedLength(src.count)` bytes.
    ///
    /// Allocates nothing; O(count). Public and inlinable: the Encoder's writers call it per result body (see
    /// `JSONString`).
    /// - Returns: the number of bytes written.
    @inlinable @inline(__always)
    public static func encode(_ src: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let s = src.baseAddress else { return 0 }
        let a = alphabet.utf8Start
        let n = src.count
        var i = 0
        var o = out
        while i + 3 <= n {
            let v = UInt32(s[i]) << 16 | UInt32(s[i + 1]) << 8 | UInt32(s[i + 2])
            o[0] = a[Int(v >> 18 & 63)]
            o[1] = a[Int(v >> 12 & 63)]
            o[2] = a[Int(v >> 6 & 63)]
            o[3] = a[Int(v & 63)]
            o += 4
            i += 3
        }
        let rest = n - i
        if rest > 0 {
            let v = UInt32(s[i]) << 16 | (rest == 2 ? UInt32(s[i + 1]) << 8 : 0)
            o[0] = a[Int(v >> 18 & 63)]
            o[1] = a[Int(v >> 12 & 63)]
            o[2] = rest == 2 ? a[Int(v >> 6 & 63)] : UInt8(ascii: "=")
            o[3] = UInt8(ascii: "=")
            o += 4
        }
        return o - out
    }

    /// Appends the encoding of `bytes` to `out`.
    package static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        let start = out.count
        let n = encodedLength(bytes.count)
        out.append(contentsOf: repeatElement(0, count: n))
        out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { src in
                if let base = o.baseAddress { _ = encode(src, to: base + start) }
            }
        }
    }

    /// The encoding of `bytes` as a string.
    package static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `src` as Go's `StdEncoding.DecodeString` does: padding required, `\r` and `\n` skipped anywhere.
    ///
    /// - Returns: the bytes.
    /// - Throws: `CorruptInputError` with Go's offset.
    package static func decode(_ src: UnsafeBufferPointer<UInt8>) throws(CorruptInputError) -> [UInt8] {
        var out: [UInt8] = []
        guard let s = src.baseAddress else { return out }
        out.reserveCapacity(src.count / 4 * 3)
        let failure = values.withUnsafeBufferPointer { t -> Int? in
            guard let table = t.baseAddress else { return 0 }
            return decode(s, src.count, table, into: &out)
        }
        if let failure { throw CorruptInputError(offset: failure) }
        return out
    }

    /// Whether `decode` would accept `src`: the same rules, nothing allocated (readers check fields they skip).
    package static func isValid(_ src: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let s = src.baseAddress else { return true }
        var sink = Discarded()
        return values.withUnsafeBufferPointer { t -> Bool in
            guard let table = t.baseAddress else { return false }
            return decode(s, src.count, table, into: &sink) == nil
        }
    }

    /// Decodes a string (see `decode(_:)` for bytes).
    ///
    /// - Throws: `CorruptInputError` with Go's offset.
    package static func decode(_ text: String) throws(CorruptInputError) -> [UInt8] {
        try withUTF8(text) { u in Result { () throws(CorruptInputError) in try decode(u) } }.get()
    }

    /// Whole quanta of four alphabet bytes take the fast path; anything else (padding, newlines, the end, a bad
    /// byte) goes through `quantum`, a port of Go's `decodeQuantum`. Returns the error offset, or nil.
    private static func decode<Out: DecodedBytes>(
        _ s: UnsafePointer<UInt8>, _ n: Int, _ table: UnsafePointer<UInt8>, into out: inout Out
    ) -> Int? {
        var si = 0
        while si < n {
            if si + 4 <= n {
                let a = table[Int(s[si])]
                let b = table[Int(s[si + 1])]
                let c = table[Int(s[si + 2])]
                let d = table[Int(s[si + 3])]
                if a | b | c | d < 64 {
                    out.append(a << 2 | b >> 4)
                    out.append(b << 4 | c >> 2)
                    out.append(c << 6 | d)
                    si += 4
                    continue
                }
            }
            switch quantum(s, n, table, &si, into: &out) {
            case .more: continue
            case .done: return nil
            case .corrupt(let offset): return offset
            }
        }
        return nil
    }

    private enum Step {
        case more
        case done
        case corrupt(Int)
    }

    private static func quantum<Out: DecodedBytes>(
        _ s: UnsafePointer<UInt8>, _ n: Int, _ table: UnsafePointer<UInt8>, _ si: inout Int, into out: inout Out
    ) -> Step {
        var value: UInt32 = 0
        var j = 0
        var length = 4
        func skipNewlines() { while si < n, s[si] == 0x0A || s[si] == 0x0D { si += 1 } }
        while j < 4 {
            if si == n { return j == 0 ? .done : .corrupt(si - j) }
            let c = s[si]
            si += 1
            let v = table[Int(c)]
            if v != 0xFF {
                value = value << 6 | UInt32(v)
                j += 1
                continue
            }
            if c == 0x0A || c == 0x0D { continue }
            guard c == UInt8(ascii: "="), j >= 2 else { return .corrupt(si - 1) }
            if j == 2 {
                // "==" is due; the first "=" is read.
                skipNewlines()
                if si == n { return .corrupt(n) }
                if s[si] != UInt8(ascii: "=") { return .corrupt(si - 1) }
                si += 1
            }
            skipNewlines()
            if si < n { return .corrupt(si) }
            length = j
            value <<= 6 * UInt32(4 - j)
            break
        }
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        if length > 2 { out.append(UInt8(truncatingIfNeeded: value >> 8)) }
        if length > 3 { out.append(UInt8(truncatingIfNeeded: value)) }
        return length == 4 ? .more : .done
    }
}

/// Where decoded bytes go: an array, or nowhere when only validity matters.
private protocol DecodedBytes { mutating func append(_ byte: UInt8) }
extension Array: DecodedBytes where Element == UInt8 {}
private struct Discarded: DecodedBytes { mutating func append(_ byte: UInt8) {} }
