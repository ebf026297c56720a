/// Everything one attack contributes to the plot, built as its results are released in seq order.
///
/// A class so the reorder buffer's release callback can update the series it belongs to without copying; there is
/// one per attack name, never one per result.
final class AttackSeries {
    let name: String
    var reorder: ReorderBuffer
    /// Unix nanoseconds of the first released hit (seq 0 unless it was given up on): x = 0.
    var origin: Int64?
    var ok: SeriesSampler
    var okLatencies = LatencyHistogram()
    var error: SeriesSampler
    var errorLatencies = LatencyHistogram()
    var strip = StatusStrip()

    init(name: String, threshold: Int, reorderWindow: Int) {
        self.name = name
        reorder = ReorderBuffer(window: reorderWindow)
        ok = SeriesSampler(threshold: threshold)
        error = SeriesSampler(threshold: threshold)
    }

    /// Takes one result; points that are now in order go to their series.
    func add(seq: UInt64, _ point: HeldPoint) {
        reorder.insert(seq: seq, point) { p in
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
}
