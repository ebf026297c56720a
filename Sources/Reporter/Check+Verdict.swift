import BarrageCore

/// A check judged on a report's metrics: whether it held, and the value it was judged on.
public struct CheckVerdict: Sendable, Equatable {
    /// The value a check measured, in its metric's unit.
    public enum Value: Sendable, Equatable {
        /// Nanoseconds.
        case duration(Int64)
        /// `part` of `whole` results (a share or a count, whichever the threshold is).
        case results(part: UInt64, whole: UInt64)
        /// Per second.
        case perSecond(Double)
    }

    public let check: Check
    public let ok: Bool
    public let value: Value

    /// The line a report prints for it: `check p99<250ms: ok (p99 = 212.4ms)`, or `FAILED` in place of `ok`.
    public var line: String {
        "check \(check.text): \(ok ? "ok" : "FAILED") (\(check.name) = \(valueText))"
    }

    /// The value as the text report writes such values: a rounded duration, a percentage with the counts
    /// behind it, a count, or a rate with two decimals.
    public var valueText: String {
        switch value {
        case .duration(let ns): return Report.reportDuration(ns)
        case .perSecond(let v): return GoFormat.fixed(v, decimals: 2)
        case .results(let part, let whole):
            if case .count = check.threshold { return String(part) }
            let ratio = whole == 0 ? 0 : Double(part) / Double(whole)
            return GoFormat.fixed(ratio * 100, decimals: 2) + "%, \(part) of \(whole)"
        }
    }

    /// The value as JSON: nanoseconds, a count, or a ratio from 0 to 1 (Go's float text).
    public var jsonValue: String {
        switch value {
        case .duration(let ns): return String(ns)
        case .perSecond(let v): return GoFormat.jsonFloat(v)
        case .results(let part, let whole):
            if case .count = check.threshold { return String(part) }
            return GoFormat.jsonFloat(whole == 0 ? 0 : Double(part) / Double(whole))
        }
    }
}

extension Check {
    /// Judges this check on `metrics`.
    public func verdict(_ metrics: Metrics) -> CheckVerdict {
        let value = measure(metrics)
        return CheckVerdict(check: self, ok: comparison.holds(order(value)), value: value)
    }

    private func measure(_ m: Metrics) -> CheckVerdict.Value {
        switch metric {
        case .quantile(let q): return .duration(m.quantile(q))
        case .mean: return .duration(m.latencyMean)
        case .min: return .duration(m.latencyMin)
        case .max: return .duration(m.latencyMax)
        case .success: return .results(part: m.successes, whole: m.requests)
        case .rate: return .perSecond(m.rate)
        case .throughput: return .perSecond(m.throughput)
        case .errors: return .results(part: m.errored, whole: m.requests)
        case .code(let code): return .results(part: m.count(code: code), whole: m.requests)
        case .codeClass(let hundreds):
            return .results(part: m.count(codesFrom: hundreds * 100, below: hundreds * 100 + 100), whole: m.requests)
        }
    }

    /// -1, 0 or 1 as `value` is below, at or above the threshold; shares are compared exactly as fractions.
    private func order(_ value: CheckVerdict.Value) -> Int {
        switch (value, threshold) {
        case (.duration(let v), .duration(let t)): return Self.order(v, t)
        case (.perSecond(let v), .perSecond(let t)): return v < t ? -1 : (v == t ? 0 : 1)
        case (.results(let part, _), .count(let t)): return Self.order(part, t)
        case (.results(let part, let whole), .share(let t)):
            // part/whole against n/d as part·d against whole·n, in 128 bits. No results is a share of 0.
            let lhs = part.multipliedFullWidth(by: t.denominator)
            let rhs = Swift.max(whole, 1).multipliedFullWidth(by: t.numerator)
            if lhs.high != rhs.high { return lhs.high < rhs.high ? -1 : 1 }
            return Self.order(lhs.low, rhs.low)
        default:
            // The parser pairs each metric with its threshold's kind; no other pair is built.
            return 1
        }
    }

    private static func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
}
