/// Keeps a bounded set of candidate points for one series while results stream in, then downsamples with LTTB.
///
/// LTTB needs the point count up front (its buckets are equal-count), which a stream does not have. So the points
/// go first through an M4 stage: consecutive runs of `width` points are summarised by their first, last, lowest and
/// highest point (M4, Jugel et al. 2014, the four points that decide how a run looks on screen). While the series
/// has fewer than `capacity` points the width is 1 and every point is kept as it came, so LTTB then runs on the
/// exact data. When `capacity` runs are stored, neighbours merge pairwise and the width doubles. Memory is
/// O(capacity) whatever the input size, one comparison chain per point. At the end LTTB picks exactly `threshold`
/// points from the candidates (at least `capacity` of them, and `capacity >= 2 * threshold`), so the result keeps
/// LTTB's contract: first and last point, exact count, increasing order, every point when the series is small.
///
/// `threshold == 0` keeps every point (memory then grows with the input, which is what was asked for).
package struct SeriesSampler {
    struct Point: Equatable {
        var x: Int64
        var y: Int64
        var index: Int64
    }

    /// A run of consecutive points, summarised.
    private struct Run {
        var first: Point
        var last: Point
        var low: Point
        var high: Point

        init(_ p: Point) {
            first = p
            last = p
            low = p
            high = p
        }

        mutating func absorb(_ p: Point) {
            last = p
            if p.y < low.y { low = p }
            if p.y > high.y { high = p }
        }

        mutating func absorb(_ r: Run) {
            last = r.last
            if r.low.y < low.y { low = r.low }
            if r.high.y > high.y { high = r.high }
        }
    }

    let threshold: Int
    private let capacity: Int
    private var runs: [Run] = []
    private var open: Run?
    private var openCount = 0
    private var width = 1
    /// Every point when `threshold == 0`.
    private var allX: [Int64] = []
    private var allY: [Int64] = []
    /// Points added so far.
    package private(set) var count: Int64 = 0

    /// - Parameters:
    ///   - threshold: the LTTB target (0 keeps every point).
    ///   - capacity: runs stored before merging; raised to at least `2 * threshold` and made even.
    package init(threshold: Int, capacity: Int = 16_384) {
        self.threshold = threshold
        // Clamped so `-threshold=9223372036854775807` cannot overflow; storage grows only as points arrive.
        var c = max(capacity, 2 * min(max(threshold, 0), 1 << 40), 8)
        if c % 2 == 1 { c += 1 }
        self.capacity = c
    }

    package mutating func add(x: Int64, y: Int64) {
        if threshold == 0 {
            allX.append(x)
            allY.append(y)
            count += 1
            return
        }
        let p = Point(x: x, y: y, index: count)
        count += 1
        if width == 1 {
            runs.append(Run(p))
        } else if open == nil {
            open = Run(p)
            openCount = 1
            return
        } else {
            open?.absorb(p)
            openCount += 1
            guard openCount == width, let run = open else { return }
            runs.append(run)
            open = nil
            openCount = 0
        }
        if runs.count == capacity { compact() }
    }

    private mutating func compact() {
        let half = runs.count / 2
        for k in 0..<half {
            var merged = runs[2 * k]
            merged.absorb(runs[2 * k + 1])
            runs[k] = merged
        }
        runs.removeLast(runs.count - half)
        width *= 2
    }

    /// The candidate points in input order: every point while no merge happened, else each run's M4 points.
    package func candidates() -> (x: [Int64], y: [Int64]) {
        if threshold == 0 { return (allX, allY) }
        var xs: [Int64] = []
        var ys: [Int64] = []
        xs.reserveCapacity(runs.count * 4 + 4)
        ys.reserveCapacity(runs.count * 4 + 4)
        func emit(_ run: Run) {
            var middle = [run.low, run.high].filter { $0.index != run.first.index && $0.index != run.last.index }
            if middle.count == 2 {
                if middle[0].index == middle[1].index {
                    middle.removeLast()
                } else if middle[0].index > middle[1].index {
                    middle.swapAt(0, 1)
                }
            }
            xs.append(run.first.x)
            ys.append(run.first.y)
            for p in middle {
                xs.append(p.x)
                ys.append(p.y)
            }
            if run.last.index != run.first.index {
                xs.append(run.last.x)
                ys.append(run.last.y)
            }
        }
        for run in runs { emit(run) }
        if let open { emit(open) }
        return (xs, ys)
    }

    /// The downsampled series: at most `threshold` points (all of them when there are fewer).
    /// - Throws: `PlotError.thresholdTooSmall` when the threshold is 1 or 2 and the series is longer.
    package func downsampled() throws(PlotError) -> (x: [Int64], y: [Int64]) {
        let (xs, ys) = candidates()
        if threshold == 0 || (threshold > 0 && xs.count <= threshold) { return (xs, ys) }
        let kept = try LTTB.select(x: xs.map { Double($0) }, y: ys.map { Double($0) }, threshold: threshold)
        return (kept.map { xs[$0] }, kept.map { ys[$0] })
    }
}
