#if canImport(Glibc)
    import Glibc
#endif

/// Number formatting exactly as Go's `fmt` and `encoding/json` print the values vegeta's reports contain.
package enum GoFormat {
    /// Go's `%.<decimals>f`: correctly rounded fixed notation (glibc and Go both round the exact binary value,
    /// ties to even), `NaN`, `+Inf`, `-Inf`.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        var size = 64
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let count = withVaList([value]) { args in
                buffer.withUnsafeMutableBufferPointer { out in
                    vsnprintf(out.baseAddress, out.count, "%.\(decimals)f", args)
                }
            }
            guard count >= 0 else { return "" }
            if Int(count) < size {
                return String(decoding: buffer[0..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            size = Int(count) + 1
        }
    }

    /// Go's `encoding/json` float64 text: the shortest digits that round-trip, in `f` form, or in `e` form
    /// (`1e-7`, `1.5e+21`) when the magnitude is below 1e-6 or at least 1e21. Non-finite values give `0`
    /// (Go refuses to encode them; a report never produces one).
    package static func jsonFloat(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(value.magnitude)
        let magnitude = value.magnitude
        var out = value < 0 ? "-" : ""
        if magnitude < 1e-6 || magnitude >= 1e21 {
            out += String(digits.first ?? "0")
            if digits.count > 1 { out += "." + digits.dropFirst() }
            let exponent = point - 1
            out += exponent < 0 ? "e-" : "e+"
            let e = abs(exponent)
            // encoding/json trims Go's two-digit negative exponent (e-07 -> e-7) but keeps e+21 as is.
            out += exponent >= 0 && e < 10 ? "0\(e)" : "\(e)"
            return out
        }
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out += digits + String(repeating: "0", count: point - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: point)
            out += digits[..<split] + "." + digits[split...]
        }
        return out
    }

    /// The shortest round-trip decimal digits of a positive finite value and the position of the decimal point
    /// (value = 0.DIGITS × 10^point). Swift's `description` and Go's `strconv` both pick the shortest string that
    /// reads back to the same double (the closest one on ties), so the digits agree; only the layout differs.
    static func shortestDigits(_ value: Double) -> (digits: String, point: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...].replacingOccurrences(of: "+")) ?? 0
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = Array(integerPart + fractionPart)
        var point = integerPart.count + exponent
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        if digits.isEmpty { return ("0", 1) }
        return (String(digits), point)
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of character: Character) -> Substring {
        Substring(self.filter { $0 != character })
    }
}
