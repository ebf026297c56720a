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
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4)
        bytes.withUnsafeBufferPointer { src in
            alphabet.withUnsafeBufferPointer { a in
                var i = 0
                let n = src.count
                while i + 3 <= n {
                    let v = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
                    out.append(a[Int(v >> 18 & 63)])
                    out.append(a[Int(v >> 12 & 63)])
                    out.append(a[Int(v >> 6 & 63)])
                    out.append(a[Int(v & 63)])
                    i += 3
                }
                let rest = n - i
                if rest == 1 {
                    let v = UInt32(src[i]) << 16
                    out.append(a[Int(v >> 18 & 63)])
                    out.append(a[Int(v >> 12 & 63)])
                    out.append(UInt8(ascii: "="))
                    out.append(UInt8(ascii: "="))
                } else if rest == 2 {
                    let v = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8
                    out.append(a[Int(v >> 18 & 63)])
                    out.append(a[Int(v >> 12 & 63)])
                    out.append(a[Int(v >> 6 & 63)])
                    out.append(UInt8(ascii: "="))
                }
            }
        }
    }

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
        var quad: UInt32 = 0
        var have = 0
        var padding = 0
        var i = 0
        return reverse.withUnsafeBufferPointer { r -> [UInt8]? in
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
                guard padding == 0 else { return nil }
                let v = r[Int(c)]
                guard v != 0xff else { return nil }
                quad = quad << 6 | UInt32(v)
                have += 1
                if have == 4 {
                    out.append(UInt8(truncatingIfNeeded: quad >> 16))
                    out.append(UInt8(truncatingIfNeeded: quad >> 8))
                    out.append(UInt8(truncatingIfNeeded: quad))
                    quad = 0
                    have = 0
                }
            }
            // Only line breaks may follow the padding.
            while i < count {
                guard p[i] == 0x0a || p[i] == 0x0d else { return nil }
                i += 1
            }
            if padding > 0 {
                guard have == 4, padding <= 2 else { return nil }
                out.append(UInt8(truncatingIfNeeded: quad >> 16))
                if padding == 1 { out.append(UInt8(truncatingIfNeeded: quad >> 8)) }
                return out
            }
            guard have == 0 else { return nil }
            return out
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
