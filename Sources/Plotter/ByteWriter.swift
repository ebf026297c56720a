import BarrageCore

/// Appends text, numbers and JSON pieces to a reused byte buffer.
///
/// The page can be large (`-threshold=0` keeps every point), so numbers are formatted by hand instead of through
/// `String`: no allocation per number; the owner hands the buffer out in chunks with `flush(ifOver:to:)`.
package struct ByteWriter {
    /// The bytes written and not yet taken.
    package var buffer: [UInt8] = []

    package init(capacity: Int = 1 << 17) {
        buffer.reserveCapacity(capacity)
    }

    /// Hands the buffered bytes to `sink` once they pass 64 KiB, then reuses the buffer.
    package mutating func flush<E: Error>(ifOver limit: Int = 1 << 16, to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        guard buffer.count >= limit, !buffer.isEmpty else { return }
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    package mutating func raw(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    package mutating func raw(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    package mutating func byte(_ b: UInt8) {
        buffer.append(b)
    }

    /// Text escaped for HTML element content and attribute values, as Go's `html.EscapeString` does.
    package mutating func html(_ text: String) {
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&#34;")
            case UInt8(ascii: "'"): raw("&#39;")
            default: buffer.append(b)
            }
        }
    }

    /// A JSON string literal as Go's `encoding/json` writes it, which is also safe inside a `<script>` element
    /// (`<`, `>`, `&` as `\u00XX`).
    package mutating func jsonString(_ text: String) {
        JSONString.append(text, .goEncodingJSON, to: &buffer)
    }

    /// A signed integer in decimal.
    package mutating func int(_ v: Int64) {
        if v < 0 { buffer.append(UInt8(ascii: "-")) }
        uint(v.magnitude)
    }

    /// An unsigned integer in decimal.
    package mutating func uint(_ v: UInt64) {
        if v < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(v))
            return
        }
        var v = v
        let start = buffer.count
        while v > 0 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(v % 10))
            v /= 10
        }
        buffer[start...].reverse()
    }

    /// `value / 10^scale` written in decimal with the fraction's trailing zeros (and a bare point) removed:
    /// `fixed(12300, scale: 3)` is `12.3`, `fixed(-5, scale: 3)` is `-0.005`.
    package mutating func fixed(_ value: Int64, scale: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        let m = value.magnitude
        var p: UInt64 = 1
        for _ in 0..<scale { p &*= 10 }
        uint(m / p)
        var frac = m % p
        guard frac > 0 else { return }
        buffer.append(UInt8(ascii: "."))
        var width = scale
        while frac % 10 == 0 {
            frac /= 10
            width -= 1
        }
        let start = buffer.count
        for _ in 0..<width {
            buffer.append(UInt8(ascii: "0") &+ UInt8(frac % 10))
            frac /= 10
        }
        buffer[start...].reverse()
    }
}
