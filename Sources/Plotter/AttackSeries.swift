/// Everything one attack contributes to the plot, built as its results are released in seq order.
struct AttackSeries {
    let name: String
    var reorder: ReorderBuffer
    var series: SeriesPair

    init(name: String, threshold: Int, reorderWindow: Int) {
        self.name = name
        reorder = ReorderBuffer(window: reorderWindow)
        series = SeriesPair(threshold: threshold)
    }

    /// Takes one result; points that are now in order go to their series.
    mutating func add(seq: UInt64, _ point: HeldPoint) {
        reorder.insert(seq: seq, point, into: &series)
    }
}

/// An attack's OK and ERROR series, latency histograms and status strip, fed in seq order.
struct SeriesPair: HeldPointSink {
    /// Unix nanoseconds of the first released hit (seq 0 unless it was given up on): x = 0.
    var origin: Int64?
    var ok: SeriesSampler
    var okLatencies = LatencyHistogram()
    var error: SeriesSampler
    var errorLatencies = LatencyHistogram()
    var strip = StatusStrip()

    init(threshold: Int) {
        ok = SeriesSampler(threshold: threshold)
        error = SeriesSampler(threshold: threshold)
    }

    mutating func take(_ p: HeldPoint) {
        let start = origin ?? p.timestamp
        origin = start
        let x = p.timestamp &- start
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
