public import Encoder

/// Builds a latency plot from a stream of results, in memory that does not grow with the number of results.
///
/// Results are grouped as vegeta's plot groups them (reference §6): by attack name, then OK (empty error) or
/// ERROR; each attack's results are put back in seq order and measured from that attack's first hit. Each series
/// keeps a bounded set of candidate points (`SeriesSampler`) and an exact-to-0.1 % latency histogram, so the
/// summary table comes from every result while the chart gets at most `threshold` points per series.
///
/// Cost per result: one string comparison (the attack name, against the previous result's), a reorder-buffer slot,
/// a few comparisons and a histogram increment; no allocation. Not thread-safe; use from one task.
public struct Plot: ResultStatsConsumer {
    /// Page title (`-title`).
    public let title: String
    /// LTTB target points per series (`-threshold`); 0 keeps every point.
    public let threshold: Int
    private let reorderWindow: Int
    private var attacks: [AttackSeries] = []
    private var byName: [String: Int] = [:]
    /// The attack of the previous result (results of one attack usually come in long runs).
    private var last = -1
    /// The `Result` fields `add` reads (a reader may skip the others).
    public static let fields: ResultFields = [.attack, .seq, .code, .timestamp, .latency, .error]
    /// Results given to `add`.
    public private(set) var resultsRead = 0

    /// Creates an empty plot.
    /// - Parameters:
    ///   - title: the page title and heading (escaped when written).
    ///   - threshold: LTTB target points per series; 0 keeps all; 1, 2 and negative values make `page()` throw
    ///     once a series has more points than that.
    ///   - reorderWindow: the most seqs an attack holds ahead of a missing one before giving up on it.
    public init(title: String = "Vegeta Plot", threshold: Int = 4000, reorderWindow: Int = 1 << 18) {
        self.title = title
        self.threshold = threshold
        self.reorderWindow = reorderWindow
    }

    /// Adds a run of results' statistics fields, in order.
    public mutating func add(_ batch: UnsafeBufferPointer<ResultStats>) {
        for i in batch.indices { add(batch[i]) }
    }

    /// Adds one result's statistics fields (all a plot reads).
    @inline(__always)
    public mutating func add(_ result: ResultStats) {
        resultsRead += 1
        var i = last
        if i < 0 || attacks[i].name != result.attack {
            if let known = byName[result.attack] {
                i = known
            } else {
                i = attacks.count
                byName[result.attack] = i
                attacks.append(AttackSeries(name: result.attack, threshold: threshold, reorderWindow: reorderWindow))
            }
            last = i
        }
        attacks[i].add(
            seq: result.seq,
            HeldPoint(
                timestamp: result.timestamp.unixNanoseconds, latency: result.latency, code: result.code,
                isError: !result.error.isEmpty))
    }

    /// Finishes the plot: downsamples every series and computes the summaries.
    /// - Returns: the page's data, ready to be written as HTML.
    /// - Throws: `PlotError.thresholdTooSmall` when `threshold` is below 3 (and not 0) and a series is longer.
    public func page() throws(PlotError) -> PlotPage {
        struct Pending {
            var key: [UInt8]
            var attack: SeriesPair
            var name: String
            var isError: Bool
        }
        var pending: [Pending] = []
        for a in attacks {
            if a.series.ok.count > 0 {
                pending.append(
                    Pending(key: Array((a.name + "OK").utf8), attack: a.series, name: a.name, isError: false))
            }
            if a.series.error.count > 0 {
                pending.append(
                    Pending(key: Array((a.name + "ERROR").utf8), attack: a.series, name: a.name, isError: true))
            }
        }
        // vegeta sorts by attack name + labeler output ("OK"/"ERROR"), comparing Go strings byte-wise.
        pending.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var series: [PlotSeries] = []
        var okColor = 0
        var errorColor = 0
        for p in pending {
            let sampler = p.isError ? p.attack.error : p.attack.ok
            let histogram = p.isError ? p.attack.errorLatencies : p.attack.okLatencies
            let (x, y) = try sampler.downsampled()
            let color: String
            if p.isError {
                color = PlotPage.errorColors[errorColor % PlotPage.errorColors.count]
                errorColor += 1
            } else {
                color = PlotPage.okColors[okColor % PlotPage.okColors.count]
                okColor += 1
            }
            series.append(
                PlotSeries(
                    attack: p.name, isError: p.isError, color: color, origin: p.attack.origin ?? 0, x: x, y: y,
                    summary: LatencySummary(histogram, ok: p.isError ? 0 : histogram.total)))
        }
        var totals: [PlotPage.AttackTotal] = []
        var strip = StatusStrip()
        var held = 0
        var dropped = 0
        for a in attacks.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            var all = a.series.okLatencies
            all.merge(a.series.errorLatencies)
            if all.total > 0 {
                totals.append(.init(attack: a.name, summary: LatencySummary(all, ok: a.series.okLatencies.total)))
            }
            strip.merge(a.series.strip)
            held += a.reorder.held
            dropped += a.reorder.dropped
        }
        return PlotPage(
            title: title, threshold: threshold, series: series, attackTotals: totals, strip: strip,
            resultsRead: resultsRead, resultsWaiting: held, resultsDropped: dropped)
    }
}
