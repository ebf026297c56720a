/// Standard, padded base64 (RFC 4648 §4), as Go's `base64.StdEncoding`.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Appends the encoding of `bytes` to `out`.
    public static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        let start = out.count
        let n = (bytes.count + 2) / 3 * 4
        out.append(contentsOf: repeatElement(0, count: n))
        out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { src in
                if let base = o.baseAddress { _ = encode(src, to: base + start) }
            }
        }
    }

    /// Writes the encoding of `src` at `out` (which must have room for `(count + 2) / 3 * 4` bytes).
    ///
    /// - Returns: the number of bytes written.
    @inline(__always)
    static func encode(_ src: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let s = src.baseAddress else { return 0 }
        return table.withUnsafeBufferPointer { t -> Int in
            guard let a = t.baseAddress else { return 0 }
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
    }

    private static let table: [UInt8] = alphabet

    /// The encoding of `bytes` as a string.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded standard base64 (Go's `StdEncoding.DecodeString`; `\r` and `\n` are ignored as Go does).
    ///
    /// - Returns: the bytes, or nil for invalid input.
    public static func decode(_ p: UnsafePointer<UInt8>, _ count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(count / 4 * 3)
        return walk(p, count) { out.append($0) } ? out : nil
    }

    /// Whether `decode` would accept the text: the same rules, nothing allocated (readers check fields they skip).
    public static func isValid(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        walk(p, count) { _ in }
    }

    /// Decodes, handing each byte to `emit`; false for invalid input (after some bytes may have been emitted).
    @inline(__always)
    private static func walk(_ p: UnsafePointer<UInt8>, _ count: Int, _ emit: (UInt8) -> Void) -> Bool {
        var quad: UInt32 = 0
        var have = 0
        var padding = 0
        var i = 0
        return reverse.withUnsafeBufferPointer { r -> Bool in
            while i < count {
                let c = p[i]
                i += 1
                if c == 0x0a || c == 0x0d { continue }
                if c == UInt8(ascii: "=") {
                    padding += 1
                    have += 1
                    quad <<= 6
                    if have == 4 { break }
                    continue
                }
                guard padding == 0 else { return false }
                let v = r[Int(c)]
                guard v != 0xff else { return false }
                quad = quad << 6 | UInt32(v)
                have += 1
                if have == 4 {
                    emit(UInt8(truncatingIfNeeded: quad >> 16))
                    emit(UInt8(truncatingIfNeeded: quad >> 8))
                    emit(UInt8(truncatingIfNeeded: quad))
                    quad = 0
                    have = 0
                }
            }
            // Only line breaks may follow the padding.
            while i < count {
                guard p[i] == 0x0a || p[i] == 0x0d else { return false }
                i += 1
            }
            if padding > 0 {
                guard have == 4, padding <= 2 else { return false }
                emit(UInt8(truncatingIfNeeded: quad >> 16))
                if padding == 1 { emit(UInt8(truncatingIfNeeded: quad >> 8)) }
                return true
            }
            return have == 0
        }
    }

    /// Decodes a string (cold paths).
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { buf in
            guard let b = buf.baseAddress else { return [] }
            return decode(b, buf.count)
        }
    }
}
