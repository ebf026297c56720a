/// Largest-Triangle-Three-Buckets downsampling (Sveinn Steinarsson, 2013), written from the paper's description.
package enum LTTB {
    /// The indices of the points LTTB keeps out of `x.count`.
    ///
    /// With `threshold == 0` or `threshold >= x.count` every index is kept. Otherwise exactly `threshold` indices,
    /// strictly increasing: the first point, the last point, and from each of the `threshold - 2` equal-count buckets
    /// in between the point forming the largest triangle with the previously kept point and the mean of the next
    /// bucket. O(n) time.
    /// - Parameters:
    ///   - x: the x values, in plotting order.
    ///   - y: the y values, same count as `x`.
    ///   - threshold: how many points to keep; must be 0 or at least 3 when `x.count > threshold`.
    /// - Returns: the kept indices in increasing order.
    /// - Throws: `PlotError.thresholdTooSmall` for a threshold of 1 or 2 (or negative) when downsampling is needed.
    package static func select(x: [Double], y: [Double], threshold: Int) throws(PlotError) -> [Int] {
        let n = x.count
        if threshold == 0 || (threshold > 0 && threshold >= n) { return Array(0..<n) }
        guard threshold >= 3 else { throw .thresholdTooSmall }
        var kept: [Int] = []
        kept.reserveCapacity(threshold)
        kept.append(0)
        // Bucket edges in integer arithmetic: bucket b covers [edge(b), edge(b + 1)), never empty because
        // n - 2 > threshold - 2, and the last bucket ends at n - 1.
        let inner = n - 2
        let buckets = threshold - 2
        // Full-width product: b * inner can pass Int.max for absurd sizes, the quotient never does.
        func edge(_ b: Int) -> Int { buckets.dividingFullWidth(b.multipliedFullWidth(by: inner)).quotient + 1 }
        var a = 0
        for bucket in 0..<buckets {
            let start = edge(bucket)
            let end = edge(bucket + 1)
            let nextStart = end
            let nextEnd = min(edge(bucket + 2), n)
            var meanX = 0.0
            var meanY = 0.0
            if nextEnd > nextStart {
                for j in nextStart..<nextEnd {
                    meanX += x[j]
                    meanY += y[j]
                }
                meanX /= Double(nextEnd - nextStart)
                meanY /= Double(nextEnd - nextStart)
            } else {
                meanX = x[n - 1]
                meanY = y[n - 1]
            }
            let ax = x[a]
            let ay = y[a]
            var best = start
            var bestArea = -1.0
            for j in start..<end {
                let area = abs((ax - meanX) * (y[j] - ay) - (ax - x[j]) * (meanY - ay))
                if area > bestArea {
                    bestArea = area
                    best = j
                }
            }
            kept.append(best)
            a = best
        }
        kept.append(n - 1)
        return kept
    }
}
