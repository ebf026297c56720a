import BarrageCore

/// Requests per time bucket on the wall clock, OK and error apart: the strip under the report's latency chart.
///
/// Buckets are counted from an origin (the journal's start) and may lie before it. When more than `maxBuckets`
/// would be spanned, the width doubles and neighbours merge, so memory stays bounded whatever the time range.
struct RateStrip {
    /// Unix nanoseconds where bucket 0 starts.
    let origin: Int64
    /// Bucket width in nanoseconds.
    private(set) var width: Int64
    /// First bucket index held (may be negative).
    private(set) var first = 0
    /// Counts per bucket from `first`: OK then error.
    private(set) var ok: [UInt64] = []
    private(set) var errors: [UInt64] = []
    private let maxBuckets: Int

    /// - Parameters:
    ///   - origin: unix nanoseconds of bucket 0.
    ///   - span: the expected time range in nanoseconds; the width starts at a round value near span / 1000 (at least 1 ms); the page merges them for display.
    init(origin: Int64, span: Int64, maxBuckets: Int = 1200) {
        self.origin = origin
        self.maxBuckets = max(4, maxBuckets)
        var w: Int64 = 1_000_000
        let target = max(span, 1) / 1000
        let steps: [Int64] = [1, 2, 5]
        outer: while true {
            for m in steps where w * m >= target {
                w *= m
                break outer
            }
            w *= 10
        }
        width = w
    }

    /// The farthest a request may lie from the origin and still be counted: 30 days (a zero or garbled
    /// timestamp would otherwise stretch the strip over centuries).
    static let reach: Int64 = 30 * 86_400 * 1_000_000_000

    /// Counts one request that started at `timestamp` (unix nanoseconds).
    /// - Returns: false when the timestamp is too far from the origin to be counted.
    @discardableResult
    mutating func add(timestamp: Int64, isError: Bool) -> Bool {
        let (d, overflow) = timestamp.subtractingReportingOverflow(origin)
        guard !overflow, d > -Self.reach, d < Self.reach else { return false }
        var b = bucket(timestamp)
        if ok.isEmpty {
            first = b
            ok = [0]
            errors = [0]
        }
        while max(b, first + ok.count - 1) - min(b, first) + 1 > maxBuckets {
            coarsen()
            b = bucket(timestamp)
        }
        if b < first {
            let grow = first - b
            ok.insert(contentsOf: repeatElement(0, count: grow), at: 0)
            errors.insert(contentsOf: repeatElement(0, count: grow), at: 0)
            first = b
        }
        let i = b - first
        if i >= ok.count {
            ok.append(contentsOf: repeatElement(0, count: i - ok.count + 1))
            errors.append(contentsOf: repeatElement(0, count: i - errors.count + 1))
        }
        if isError { errors[i] += 1 } else { ok[i] += 1 }
        return true
    }

    private func bucket(_ t: Int64) -> Int {
        let d = t &- origin
        // Floor division, so times before the origin fall in negative buckets.
        let q = d / width
        return Int(d % width < 0 ? q - 1 : q)
    }

    private mutating func coarsen() {
        let newFirst = first >= 0 ? first / 2 : (first - 1) / 2
        let last = first + ok.count - 1
        let newLast = last >= 0 ? last / 2 : (last - 1) / 2
        var o = [UInt64](repeating: 0, count: newLast - newFirst + 1)
        var e = o
        for k in 0..<ok.count {
            let b = first + k
            let nb = (b >= 0 ? b / 2 : (b - 1) / 2) - newFirst
            o[nb] += ok[k]
            e[nb] += errors[k]
        }
        ok = o
        errors = e
        first = newFirst
        width *= 2
    }
}
