import BarrageCore

/// One pass/fail condition on a report (`-check 'p99<250ms'`): a metric, a comparison and a threshold.
///
/// The metrics are the report's own values: latency percentiles (`p50`, `p99.9`, any `pN` with 0 < N <= 100),
/// `mean`, `min`, `max` (Go durations); `success` (a ratio, `0.999` or `99.9%`); `rate` and `throughput` (per
/// second); `errors` (results with an error text) and `code:5xx` / `code:503` (results of a status class or code),
/// each as a count (`10`) or as a share of all requests (`1%`).
public struct Check: Sendable, Equatable {
    /// What is measured.
    public enum Metric: Sendable, Equatable {
        /// The latency at quantile q (0 < q <= 1).
        case quantile(Double)
        case mean
        case min
        case max
        case success
        case rate
        case throughput
        /// Results with a non-empty error text.
        case errors
        /// Results with this status code.
        case code(UInt16)
        /// Results whose status code is in 100·class ..< 100·(class+1) (`code:5xx` is class 5).
        case codeClass(UInt16)
    }

    /// How the value is compared with the threshold.
    public enum Comparison: String, Sendable, Equatable, CaseIterable {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case equal = "=="
        case notEqual = "!="

        /// Whether a value ordered `order` against the threshold (-1 below, 0 equal, 1 above) passes.
        func holds(_ order: Int) -> Bool {
            switch self {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .equal: return order == 0
            case .notEqual: return order != 0
            }
        }
    }

    /// The threshold, in the unit its metric takes.
    public enum Threshold: Sendable, Equatable {
        /// Nanoseconds (latency metrics).
        case duration(Int64)
        /// An exact fraction: `99.9%` is 999/1000 (success, or a share of requests).
        case share(Fraction)
        /// A count of results (errors, codes).
        case count(UInt64)
        /// Per second (rate, throughput).
        case perSecond(Double)
    }

    /// A decimal written in a check, kept exact: numerator / denominator, the denominator a power of ten.
    public struct Fraction: Sendable, Equatable {
        public var numerator: UInt64
        public var denominator: UInt64

        /// The fraction `numerator / denominator`, as written (not reduced).
        public init(numerator: UInt64, denominator: UInt64) {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// The check as written (spaces around it removed), which reports name it by.
    public let text: String
    /// The metric's name as written (`p99`, `code:5xx`).
    public let name: String
    public let metric: Metric
    public let comparison: Comparison
    public let threshold: Threshold

    /// Parses one check, `<metric><comparison><threshold>`, spaces allowed around each part.
    ///
    /// - Throws: `CheckError` naming what is wrong: an unknown metric, a missing comparison, or a threshold that
    ///   is not in the metric's unit.
    public init(parsing raw: String) throws(CheckError) {
        let text = Self.trimmed(Substring(raw))
        guard !text.isEmpty else { throw .empty(raw) }
        guard let (start, end, comparison) = Self.findComparison(text) else { throw .noComparison(text) }
        let name = Self.trimmed(text[..<start])
        let value = Self.trimmed(text[end...])
        guard !name.isEmpty, let metric = Self.metric(named: name) else { throw .unknownMetric(text, name) }
        guard !value.isEmpty else { throw .badThreshold(text, "missing threshold") }
        self.text = text
        self.name = name
        self.metric = metric
        self.comparison = comparison
        self.threshold = try Self.threshold(value, for: metric, check: text)
    }

    /// Parses a flag value: one check or several separated by commas.
    ///
    /// - Throws: `CheckError` for the first malformed check.
    public static func parseList(_ text: String) throws(CheckError) -> [Check] {
        var checks: [Check] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            do throws(CheckError) {
                checks.append(try Check(parsing: String(part)))
            } catch .empty {
                throw .empty(text)
            }
        }
        return checks
    }

    /// The first comparison operator in `text` (two-character ones win over their one-character prefix).
    private static func findComparison(_ text: String) -> (String.Index, String.Index, Comparison)? {
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "<" || c == ">" || c == "=" || c == "!" {
                let next = text.index(after: i)
                if next < text.endIndex, text[next] == "=", let two = Comparison(rawValue: String([c, "="])) {
                    return (i, text.index(after: next), two)
                }
                if let one = Comparison(rawValue: String(c)) { return (i, next, one) }
                return nil
            }
            i = text.index(after: i)
        }
        return nil
    }

    private static func metric(named name: String) -> Metric? {
        switch name {
        case "mean": return .mean
        case "min": return .min
        case "max": return .max
        case "success": return .success
        case "rate": return .rate
        case "throughput": return .throughput
        case "errors": return .errors
        default: break
        }
        if name.hasPrefix("p") {
            let digits = String(name.dropFirst())
            guard let fraction = Fraction(decimal: digits), fraction.numerator > 0,
                fraction.numerator <= fraction.denominator &* 100
            else { return nil }
            return .quantile(Double(fraction.numerator) / (Double(fraction.denominator) * 100))
        }
        if name.hasPrefix("code:") {
            let code = Array(name.utf8.dropFirst(5))
            let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            if code.count == 3, isDigit(code[0]), code[1] == UInt8(ascii: "x"), code[2] == UInt8(ascii: "x") {
                return .codeClass(UInt16(code[0] - UInt8(ascii: "0")))
            }
            guard !code.isEmpty, code.count <= 5, code.allSatisfy(isDigit),
                let value = UInt16(String(decoding: code, as: UTF8.self))
            else { return nil }
            return .code(value)
        }
        return nil
    }

    private static func threshold(_ value: String, for metric: Metric, check: String) throws(CheckError) -> Threshold {
        switch metric {
        case .quantile, .mean, .min, .max:
            guard let ns = GoDuration.parse(value) else {
                throw .badThreshold(check, GoDuration.errorMessage(for: value))
            }
            return .duration(ns)
        case .success:
            guard let share = Fraction(ratioOrPercent: value) else {
                throw .badThreshold(check, "want a ratio from 0 to 1 or a percentage, got \(goQuote(value))")
            }
            return .share(share)
        case .rate, .throughput:
            guard Fraction(decimal: value) != nil, let number = Double(value) else {
                throw .badThreshold(check, "want a number per second, got \(goQuote(value))")
            }
            return .perSecond(number)
        case .errors, .code, .codeClass:
            if value.hasSuffix("%") {
                guard let share = Fraction(ratioOrPercent: value) else {
                    throw .badThreshold(check, "want a percentage from 0% to 100%, got \(goQuote(value))")
                }
                return .share(share)
            }
            guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let count = UInt64(value)
            else {
                throw .badThreshold(check, "want a count or a percentage, got \(goQuote(value))")
            }
            return .count(count)
        }
    }

    private static func trimmed(_ s: Substring) -> String {
        String(
            s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

extension Check.Fraction {
    /// Parses plain decimal digits with at most one point (`12`, `99.9`, `.5`); nil for anything else or more
    /// than 17 significant digits (so numerator and denominator stay exact in 64 bits, with room for `%`).
    init?(decimal text: String) {
        var numerator: UInt64 = 0
        var denominator: UInt64 = 1
        var digits = 0
        var seenPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            if numerator > 0 || seenPoint { digits += 1 }
            guard digits <= 17 else { return nil }
            numerator = numerator * 10 + UInt64(byte - UInt8(ascii: "0"))
            if seenPoint { denominator *= 10 }
        }
        guard text.utf8.contains(where: { $0 != UInt8(ascii: ".") }) else { return nil }
        self.init(numerator: numerator, denominator: denominator)
    }

    /// Parses a ratio from 0 to 1 (`0.999`) or a percentage from 0% to 100% (`99.9%`).
    init?(ratioOrPercent text: String) {
        let percent = text.hasSuffix("%")
        guard var value = Check.Fraction(decimal: percent ? String(text.dropLast()) : text) else { return nil }
        if percent { value.denominator *= 100 }
        guard value.numerator <= value.denominator else { return nil }
        self = value
    }
}

/// A `-check` value that is not a check. Each description is the reason, printed after Go's
/// `invalid value "..." for flag -check: `.
public enum CheckError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An empty check (`-check ''`, or `a,,b`); the flag value it is in.
    case empty(String)
    /// No comparison operator.
    case noComparison(String)
    /// A metric name that is not known.
    case unknownMetric(String, String)
    /// A threshold not in the metric's unit; the second value is why.
    case badThreshold(String, String)

    public var description: String {
        switch self {
        case .empty(let value): return "empty check in \(goQuote(value))"
        case .noComparison(let check):
            return "check \(goQuote(check)): no comparison (want <, <=, >, >=, == or !=)"
        case .unknownMetric(let check, let name):
            return "check \(goQuote(check)): unknown metric \(goQuote(name)) (want p50, p90, p95, p99, p99.9, mean, "
                + "min, max, success, rate, throughput, errors, code:5xx or code:503)"
        case .badThreshold(let check, let why): return "check \(goQuote(check)): \(why)"
        }
    }
}
