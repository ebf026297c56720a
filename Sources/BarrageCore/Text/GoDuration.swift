/// Go's `time.Duration` text form: `ParseDuration` and `Duration.String`, shared by every command.
package enum GoDuration {
    /// Parses Go duration syntax (`[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or a bare `0`) into nanoseconds.
    ///
    /// - Returns: the duration, or nil where Go's `time.ParseDuration` fails (bad syntax, unknown unit, overflow).
    package static func parse(_ text: String) -> Int64? {
        var s = Array(text.utf8)[...]
        var negative = false
        if let first = s.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        if s.count == 1 && s.first == UInt8(ascii: "0") { return 0 }
        if s.isEmpty { return nil }
        var total: UInt64 = 0
        let limit: UInt64 = 1 << 63
        while !s.isEmpty {
            guard let c = s.first, c == UInt8(ascii: ".") || isDigit(c) else { return nil }
            var whole: UInt64 = 0
            var pre = false
            while let d = s.first, isDigit(d) {
                guard whole <= (limit - 1) / 10 else { return nil }
                whole = whole * 10 + UInt64(d - 48)
                guard whole <= limit else { return nil }
                s = s.dropFirst()
                pre = true
            }
            var fraction: UInt64 = 0
            var scale: Double = 1
            var post = false
            if s.first == UInt8(ascii: ".") {
                s = s.dropFirst()
                var overflow = false
                while let d = s.first, isDigit(d) {
                    if !overflow {
                        if fraction > (UInt64.max - 9) / 10 {
                            overflow = true
                        } else {
                            fraction = fraction * 10 + UInt64(d - 48)
                            scale *= 10
                        }
                    }
                    s = s.dropFirst()
                    post = true
                }
            }
            if !pre && !post { return nil }
            var unitEnd = s.startIndex
            while unitEnd < s.endIndex, s[unitEnd] != UInt8(ascii: "."), !isDigit(s[unitEnd]) { unitEnd += 1 }
            let unitBytes = s[s.startIndex..<unitEnd]
            if unitBytes.isEmpty { return nil }
            guard let unit = unitNanoseconds(unitBytes) else { return nil }
            s = s[unitEnd...]
            guard whole <= limit / unit else { return nil }
            var v = whole * unit
            if fraction > 0 {
                v += UInt64(Double(fraction) * (Double(unit) / scale))
                guard v <= limit else { return nil }
            }
            total += v
            guard total <= limit else { return nil }
        }
        if negative { return total == limit ? Int64.min : -Int64(total) }
        guard total <= limit - 1 else { return nil }
        return Int64(total)
    }

    /// Go's `time.ParseDuration` error text for a string `parse` rejects (`time: missing unit in duration "5"`).
    package static func errorMessage(for text: String) -> String {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let isNumber: (Character) -> Bool = { $0 == "." || ("0"..."9").contains($0) }
        while !rest.isEmpty {
            let number = rest.prefix(while: isNumber)
            if number.isEmpty || number == "." { break }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix(while: { !isNumber($0) })
            if unit.isEmpty { return "time: missing unit in duration \(goQuote(text))" }
            if !["ns", "us", "\u{00B5}s", "\u{03BC}s", "ms", "s", "m", "h"].contains(String(unit)) {
                return "time: unknown unit \(goQuote(String(unit))) in duration \(goQuote(text))"
            }
            rest = rest.dropFirst(unit.count)
        }
        return "time: invalid duration \(goQuote(text))"
    }

    /// Formats nanoseconds as Go's `Duration.String()` does (`1.5s`, `1m30s`, `412.665µs`, `0s`).
    package static func format(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let negative = d < 0
        var u = d.magnitude
        var out: [UInt8] = []
        if u < 1_000_000_000 {
            var precision = 0
            var unit: [UInt8]
            if u < 1_000 {
                unit = Array("ns".utf8)
            } else if u < 1_000_000 {
                precision = 3
                unit = Array("µs".utf8)
            } else {
                precision = 6
                unit = Array("ms".utf8)
            }
            let (frac, rest) = fraction(u, precision)
            out = Array(String(rest).utf8) + frac + unit
        } else {
            let (frac, rest) = fraction(u, 9)
            u = rest
            out = Array(String(u % 60).utf8) + frac + [UInt8(ascii: "s")]
            u /= 60
            if u > 0 {
                out = Array(String(u % 60).utf8) + [UInt8(ascii: "m")] + out
                u /= 60
                if u > 0 { out = Array(String(u).utf8) + [UInt8(ascii: "h")] + out }
            }
        }
        if negative { out.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Rounds as vegeta's reports do before printing: to the minute from 1h, the second from 1m, the
    /// millisecond from 1s, the microsecond from 1ms, the nanosecond below (Go `Duration.Round`, half away from zero).
    package static func roundForReport(_ d: Int64) -> Int64 {
        let m = d.magnitude
        let step: Int64
        if m >= 3_600_000_000_000 {
            step = 60_000_000_000
        } else if m >= 60_000_000_000 {
            step = 1_000_000_000
        } else if m >= 1_000_000_000 {
            step = 1_000_000
        } else if m >= 1_000_000 {
            step = 1_000
        } else {
            return d
        }
        var r = d % step
        if d < 0 {
            r = -r
            if r + r < step { return d + r }
            let (v, o) = d.subtractingReportingOverflow(step - r)
            return o ? Int64.min : v + 0
        }
        if r + r < step { return d - r }
        let (v, o) = d.addingReportingOverflow(step - r)
        return o ? Int64.max : v
    }

    private static func fraction(_ v: UInt64, _ precision: Int) -> ([UInt8], UInt64) {
        var v = v
        var digits: [UInt8] = []
        var printed = false
        for _ in 0..<precision {
            let digit = v % 10
            printed = printed || digit != 0
            if printed { digits.insert(UInt8(48 + digit), at: 0) }
            v /= 10
        }
        if printed { digits.insert(UInt8(ascii: "."), at: 0) }
        return (digits, v)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private static func unitNanoseconds(_ unit: ArraySlice<UInt8>) -> UInt64? {
        switch String(decoding: unit, as: UTF8.self) {
        case "ns": return 1
        case "us", "µs", "μs": return 1_000
        case "ms": return 1_000_000
        case "s": return 1_000_000_000
        case "m": return 60_000_000_000
        case "h": return 3_600_000_000_000
        default: return nil
        }
    }
}
