extension JSONString {
    /// The byte a one-letter JSON escape stands for (`n` for `\n` gives 0x0A, `/` gives `/`), or nil for `u` and
    /// for letters JSON does not know. Shared by the one parser and the Encoder's record reader.
    package static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The value of a hexadecimal digit, or nil.
    package static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        default: nil
        }
    }

    /// The value of four hexadecimal digits at `p` (a `\u` escape's), or nil.
    package static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = hexValue(p[k]) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    /// Whether `unit` is a UTF-16 high (leading) surrogate.
    package static func isHighSurrogate(_ unit: UInt32) -> Bool { unit >= 0xD800 && unit < 0xDC00 }

    /// The scalar of a surrogate pair, or nil when `low` is not a low (trailing) surrogate.
    package static func scalar(high: UInt32, low: UInt32) -> UInt32? {
        guard low >= 0xDC00, low < 0xE000 else { return nil }
        return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }
}
