import BarrageCore

/// A write cursor into memory reserved with `OutputFile.reserve(_:)`.
///
/// Hot-path writers compute an upper bound for a record, reserve it once, and then store bytes with no
/// per-byte capacity or uniqueness checks; the bound is what makes the unchecked stores safe.
struct RawBytes {
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func put(_ b: UInt8) {
        p.pointee = b
        p += 1
    }

    @inline(__always)
    mutating func put(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        p.update(from: s.utf8Start, count: n)
        p += n
    }

    @inline(__always)
    mutating func put(_ src: UnsafeBufferPointer<UInt8>) {
        guard let b = src.baseAddress else { return }
        let n = src.count
        if n <= 16 {
            // Most fields are short: a byte loop beats a call to memmove.
            for k in 0..<n { p[k] = b[k] }
        } else {
            p.update(from: b, count: n)
        }
        p += n
    }

    /// The raw UTF-8 of `s` (at most `s.utf8.count` bytes). Named apart from `put(StaticString)` so string
    /// literals never take this slower path.
    @inline(__always)
    mutating func putUTF8(_ s: String) {
        withUTF8(s) { put($0) }
    }

    /// Decimal digits of `v` (at most 20 bytes).
    @inline(__always)
    mutating func putDecimal(_ value: UInt64) {
        if value < 10 {
            put(UInt8(48 + value))
            return
        }
        var digits = 0
        var t = value
        while t > 0 {
            digits += 1
            t /= 10
        }
        var v = value
        var i = digits - 1
        while i >= 0 {
            p[i] = UInt8(48 + v % 10)
            v /= 10
            i -= 1
        }
        p += digits
    }

    /// Decimal digits with a leading `-` when negative (at most 20 bytes).
    @inline(__always)
    mutating func putDecimal(_ v: Int64) {
        if v < 0 { put(UInt8(ascii: "-")) }
        putDecimal(v.magnitude)
    }

    /// Padded standard base64 of `bytes` (at most `Base64.encodedLength(count)` bytes).
    @inline(__always)
    mutating func putBase64(_ bytes: [UInt8]) {
        p += bytes.withUnsafeBufferPointer { Base64.encode($0, to: p) }
    }
}
