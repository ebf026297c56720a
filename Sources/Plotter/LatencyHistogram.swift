/// Latency counts in log-linear buckets: exact below 2,048 ns, then 1,024 buckets per power of two.
///
/// Every recorded value lands in a bucket no wider than 1/1024 of its lower bound, so a percentile read back is
/// within 0.1 % of the true one (3 significant digits, as HdrHistogram with 3 digits gives). The bucket array only
/// grows as far as the largest value seen (about 26,000 buckets up to 10 s), whatever the number of results.
/// Min and max are kept exactly.
package struct LatencyHistogram: Sendable {
    private var counts: [UInt64] = []
    /// Values recorded.
    package private(set) var total: UInt64 = 0
    /// The largest value recorded (0 when empty).
    package private(set) var max: Int64 = 0
    /// The smallest value recorded (0 when empty).
    package private(set) var min: Int64 = 0

    package init() {}

    private static let linear: Int64 = 2048
    private static let subBucketBits = 10

    /// The bucket of a value (negative values count as 0).
    static func bucket(of v: Int64) -> Int {
        if v < linear { return Int(Swift.max(v, 0)) }
        let shift = (63 - v.leadingZeroBitCount) - subBucketBits
        return Int(linear) + (shift - 1) << subBucketBits + Int((v >> shift) - (1 << subBucketBits))
    }

    /// The lowest and highest value a bucket holds.
    static func range(of bucket: Int) -> (low: Int64, high: Int64) {
        if bucket < Int(linear) { return (Int64(bucket), Int64(bucket)) }
        let k = bucket - Int(linear)
        let shift = k >> subBucketBits + 1
        let mantissa = Int64(k & ((1 << subBucketBits) - 1)) + (1 << subBucketBits)
        let low = mantissa << shift
        return (low, low + (1 << shift) - 1)
    }

    /// Records one value.
    package mutating func record(_ v: Int64) {
        let b = Self.bucket(of: v)
        if b >= counts.count { counts.append(contentsOf: repeatElement(0, count: b + 1 - counts.count)) }
        counts[b] += 1
        if total == 0 {
            min = v
            max = v
        } else {
            if v < min { min = v }
            if v > max { max = v }
        }
        total += 1
    }

    /// Adds every count of `other`.
    package mutating func merge(_ other: LatencyHistogram) {
        guard other.total > 0 else { return }
        if other.counts.count > counts.count {
            counts.append(contentsOf: repeatElement(0, count: other.counts.count - counts.count))
        }
        for (i, c) in other.counts.enumerated() where c > 0 { counts[i] += c }
        if total == 0 {
            min = other.min
            max = other.max
        } else {
            min = Swift.min(min, other.min)
            max = Swift.max(max, other.max)
        }
        total += other.total
    }

    /// The value at quantile `q` (0...1), nearest rank: the middle of its bucket, clamped to the exact min and max
    /// (the top rank is the exact max).
    package func quantile(_ q: Double) -> Int64 {
        guard total > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((q * Double(total)).rounded(.up)))
        if rank >= total { return max }
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let (low, high) = Self.range(of: i)
                let mid = low + (high - low) / 2
                return Swift.min(Swift.max(mid, min), max)
            }
        }
        return max
    }
}
