/// Everything one attack contributes to the plot, built as its results are released in seq order.
struct AttackSeries {
    let name: String
    var reorder: ReorderBuffer
    var groups: SeriesGroups

    init(name: String, threshold: Int, reorderWindow: Int) {
        self.name = name
        reorder = ReorderBuffer(window: reorderWindow)
        groups = SeriesGroups(threshold: threshold)
    }

    /// Takes one result; points that are now in order go to their series.
    mutating func add(seq: UInt64, _ point: HeldPoint) {
        reorder.insert(seq: seq, point, into: &groups)
    }
}

/// An attack's series pairs, one per group (the input file with `-by=file`, else just one), on one time axis:
/// x counts from the attack's first released hit whichever group it belongs to, so groups (shards) line up.
struct SeriesGroups: HeldPointSink {
    /// Unix nanoseconds of the first released hit (seq 0 unless it was given up on): x = 0.
    var origin: Int64?
    /// Indexed by `HeldPoint.group`; a group with no result yet is an empty pair.
    var pairs: [SeriesPair] = []
    let threshold: Int

    init(threshold: Int) { self.threshold = threshold }

    mutating func take(_ p: HeldPoint) {
        let start = origin ?? p.timestamp
        origin = start
        let g = Int(p.group)
        while pairs.count <= g { pairs.append(SeriesPair(threshold: threshold)) }
        pairs[g].take(p, x: p.timestamp &- start)
    }
}

/// One group's OK and ERROR series, latency histograms and status strip, fed in seq order.
struct SeriesPair {
    var ok: SeriesSampler
    var okLatencies = LatencyHistogram()
    var error: SeriesSampler
    var errorLatencies = LatencyHistogram()
    var strip = StatusStrip()

    init(threshold: Int) {
        ok = SeriesSampler(threshold: threshold)
        error = SeriesSampler(threshold: threshold)
    }

    /// Records `p` at `x` nanoseconds since the attack's origin.
    mutating func take(_ p: HeldPoint, x: Int64) {
        if p.isError {
            error.add(x: x, y: p.latency)
            errorLatencies.record(p.latency)
        } else {
            ok.add(x: x, y: p.latency)
            okLatencies.record(p.latency)
        }
        strip.add(x: x, code: p.code)
    }
}
