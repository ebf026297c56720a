import BarrageCore
import Encoder

/// Go's `strconv` parsers as `flag` uses them: ParseBool, ParseInt/ParseUint with base 0.
public enum GoParse {
    /// strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False.
    public static func bool(_ s: String) throws(FlagValueError) -> Bool {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw .parse
        }
    }

    /// strconv.ParseInt(s, 0, 64): optional sign, `0x`/`0o`/`0b`/leading-`0` prefixes, `_` separators with a prefix.
    public static func int(_ s: String) throws(FlagValueError) -> Int64 {
        var body = Substring(s)
        var negative = false
        if let c = body.first, c == "+" || c == "-" {
            negative = c == "-"
            body = body.dropFirst()
        }
        let magnitude = try uint(String(body))
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .range }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .range }
        return Int64(magnitude)
    }

    /// strconv.ParseUint(s, 0, 64).
    public static func uint(_ s: String) throws(FlagValueError) -> UInt64 {
        var digits = Array(s.utf8)[...]
        guard !digits.isEmpty else { throw .parse }
        var base: UInt64 = 10
        var prefixed = false
        if digits.first == UInt8(ascii: "0"), digits.count > 1 {
            switch digits[digits.startIndex + 1] | 0x20 {
            case UInt8(ascii: "x"):
                base = 16
                digits = digits.dropFirst(2)
            case UInt8(ascii: "o"):
                base = 8
                digits = digits.dropFirst(2)
            case UInt8(ascii: "b"):
                base = 2
                digits = digits.dropFirst(2)
            default:
                base = 8
                digits = digits.dropFirst(1)
            }
            prefixed = true
        }
        // Underscores are allowed only with a base prefix, and only between digits (or right after the prefix).
        var value: UInt64 = 0
        var sawDigit = false
        var lastUnderscore = prefixed && base != 8 ? true : false
        if prefixed && base != 8 && digits.isEmpty { throw .parse }
        for c in digits {
            if c == UInt8(ascii: "_") {
                guard prefixed, !lastUnderscore || (base != 8 && !sawDigit) else { throw .parse }
                lastUnderscore = true
                continue
            }
            let d: UInt64
            switch c {
            case 48...57: d = UInt64(c - 48)
            case 97...122: d = UInt64(c - 87)
            case 65...90: d = UInt64(c - 55)
            default: throw .parse
            }
            guard d < base else { throw .parse }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { throw .range }
            value = a
            sawDigit = true
            lastUnderscore = false
        }
        if lastUnderscore && sawDigit { throw .parse }
        return value
    }

    /// time.ParseDuration, as `flag.Duration` uses it (any failure is `parse error`).
    public static func duration(_ s: String) throws(FlagValueError) -> Int64 {
        guard let d = GoDuration.parse(s) else { throw .parse }
        return d
    }
}
