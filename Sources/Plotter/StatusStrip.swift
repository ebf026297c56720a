/// Requests per time bucket, split by status class: the strip under the latency chart.
///
/// Buckets start 1 ms wide; when a point falls past the last of `maxBuckets`, neighbours merge pairwise and the
/// width doubles, so memory stays fixed however long the attack ran.
package struct StatusStrip: Sendable {
    /// Status classes in stacking order.
    package static let classNames = ["no response", "1xx", "2xx", "3xx", "4xx", "5xx", "other"]
    /// Colours per class (same order).
    package static let classColors = ["#8E8E93", "#5B8DEF", "#3BA55C", "#2AA6B8", "#F0A202", "#D7263D", "#9B59B6"]
    static let classCount = 7

    /// Bucket width in nanoseconds.
    package private(set) var width: Int64 = 1_000_000
    /// Counts, `classCount` per bucket.
    fileprivate var counts: [UInt64] = []
    fileprivate let maxBuckets: Int

    package init(maxBuckets: Int = 512) {
        self.maxBuckets = Swift.max(2, maxBuckets)
    }

    /// The class of a status code: 0 no response, 1-5 for 1xx-5xx, 6 anything else.
    static func statusClass(_ code: UInt16) -> Int {
        if code == 0 { return 0 }
        if code >= 100 && code < 600 { return Int(code / 100) }
        return 6
    }

    /// Counts one request that started `x` nanoseconds after its attack's first hit.
    package mutating func add(x: Int64, code: UInt16) {
        let bucket = Int(Swift.max(x, 0) / width)
        var b = bucket
        while b >= maxBuckets {
            compact()
            b = Int(Swift.max(x, 0) / width)
        }
        let need = (b + 1) * Self.classCount
        if counts.count < need { counts.append(contentsOf: repeatElement(0, count: need - counts.count)) }
        counts[b * Self.classCount + Self.statusClass(code)] += 1
    }

    fileprivate mutating func compact() {
        let buckets = counts.count / Self.classCount
        let merged = (buckets + 1) / 2
        var out = [UInt64](repeating: 0, count: merged * Self.classCount)
        for i in 0..<buckets {
            for c in 0..<Self.classCount {
                out[(i / 2) * Self.classCount + c] += counts[i * Self.classCount + c]
            }
        }
        counts = out
        width *= 2
    }

    /// Number of buckets in use.
    package var bucketCount: Int { counts.count / Self.classCount }

    /// The count of one class in one bucket.
    package func count(bucket: Int, statusClass: Int) -> UInt64 {
        counts[bucket * Self.classCount + statusClass]
    }

    /// Total requests counted in a class.
    package func total(statusClass: Int) -> UInt64 {
        var sum: UInt64 = 0
        for b in 0..<bucketCount { sum += counts[b * Self.classCount + statusClass] }
        return sum
    }
}

extension StatusStrip {
    /// Adds another strip's counts, first widening whichever has the finer buckets so both line up.
    package mutating func merge(_ other: StatusStrip) {
        var other = other
        while width < other.width { compact() }
        while other.width < width { other.compact() }
        let need = other.counts.count
        if counts.count < need { counts.append(contentsOf: repeatElement(0, count: need - counts.count)) }
        for i in 0..<need { counts[i] += other.counts[i] }
        while bucketCount > maxBuckets { compact() }
    }
}
