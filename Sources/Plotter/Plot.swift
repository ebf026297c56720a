public import Encoder

/// Builds a latency plot from a stream of results, in memory that does not grow with the number of results.
///
/// Results are grouped as vegeta's plot groups them (reference §6): by attack name, then OK (empty error) or
/// ERROR; each attack's results are put back in seq order and measured from that attack's first hit. Each series
/// keeps a bounded set of candidate points (`SeriesSampler`) and an exact-to-0.1 % latency histogram, so the
/// summary table comes from every result while the chart gets at most `threshold` points per series. With
/// `inputNames` (`plot -by=file`) each attack is drawn as one series pair per input file instead, still ordered
/// and timed as the one attack (so the shards of a sharded attack appear side by side on one axis).
///
/// Cost per result: one string comparison (the attack name, against the previous result's), a reorder-buffer slot,
/// a few comparisons and a histogram increment; no allocation. Not thread-safe; use from one task.
public struct Plot: ResultStatsConsumer {
    /// Page title (`-title`).
    public let title: String
    /// LTTB target points per series (`-threshold`); 0 keeps every point.
    public let threshold: Int
    /// With `-by=file`, the input files' names: each attack's results are drawn as one series pair per file (per
    /// shard, when each file is one shard's), on the attack's one time axis. Empty draws one pair per attack.
    public let inputNames: [String]
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
    ///   - inputNames: for one series pair per input file (`-by=file`), the files' names in reader order; results
    ///     then come through `add(_:input:)`. Empty (the default) groups by attack name only, as vegeta.
    public init(
        title: String = "Vegeta Plot", threshold: Int = 4000, reorderWindow: Int = 1 << 18, inputNames: [String] = []
    ) {
        self.title = title
        self.threshold = threshold
        self.reorderWindow = reorderWindow
        self.inputNames = inputNames
    }

    /// Adds a run of results' statistics fields, in order.
    public mutating func add(_ batch: UnsafeBufferPointer<ResultStats>) {
        for i in batch.indices { add(batch[i]) }
    }

    /// Adds one result's statistics fields (all a plot reads).
    @inline(__always)
    public mutating func add(_ result: ResultStats) { add(result, input: 0) }

    /// Adds one result's statistics fields, read from input file `input` (its place in `inputNames`; inputs past
    /// 65,535 share the last group). Without `inputNames` the input does not matter.
    @inline(__always)
    public mutating func add(_ result: ResultStats, input: Int) {
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
                isError: !result.error.isEmpty, group: inputNames.isEmpty ? 0 : UInt16(clamping: input)))
    }

    /// Finishes the plot: downsamples every series and computes the summaries.
    /// - Returns: the page's data, ready to be written as HTML.
    /// - Throws: `PlotError.thresholdTooSmall` when `threshold` is below 3 (and not 0) and a series is longer.
    public func page() throws(PlotError) -> PlotPage {
        struct Pending {
            var key: [UInt8]
            var pair: SeriesPair
            var origin: Int64
            var name: String
            var isError: Bool
        }
        let groups = self.groups()
        var pending: [Pending] = []
        for g in groups {
            if g.pair.ok.count > 0 {
                pending.append(
                    Pending(
                        key: Array((g.name + "OK").utf8), pair: g.pair, origin: g.origin, name: g.name, isError: false))
            }
            if g.pair.error.count > 0 {
                pending.append(
                    Pending(
                        key: Array((g.name + "ERROR").utf8), pair: g.pair, origin: g.origin, name: g.name, isError: true
                    ))
            }
        }
        // vegeta sorts by attack name + labeler output ("OK"/"ERROR"), comparing Go strings byte-wise.
        pending.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var series: [PlotSeries] = []
        var okColor = 0
        var errorColor = 0
        for p in pending {
            let sampler = p.isError ? p.pair.error : p.pair.ok
            let histogram = p.isError ? p.pair.errorLatencies : p.pair.okLatencies
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
                    attack: p.name, isError: p.isError, color: color, origin: p.origin, x: x, y: y,
                    summary: LatencySummary(histogram, ok: p.isError ? 0 : histogram.total)))
        }
        var totals: [PlotPage.AttackTotal] = []
        var strip = StatusStrip()
        for g in groups.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            var all = g.pair.okLatencies
            all.merge(g.pair.errorLatencies)
            if all.total > 0 {
                totals.append(.init(attack: g.name, summary: LatencySummary(all, ok: g.pair.okLatencies.total)))
            }
            strip.merge(g.pair.strip)
        }
        return PlotPage(
            title: title, threshold: threshold, series: series, attackTotals: totals, strip: strip,
            resultsRead: resultsRead, resultsWaiting: attacks.reduce(0) { $0 + $1.reorder.held },
            resultsDropped: attacks.reduce(0) { $0 + $1.reorder.dropped })
    }

    /// The series pairs to draw, each with its name: one per attack, or with `inputNames` one per attack and
    /// input file, named `<file>` (`<attack> <file>` for a named attack).
    private func groups() -> [(name: String, pair: SeriesPair, origin: Int64)] {
        var out: [(name: String, pair: SeriesPair, origin: Int64)] = []
        for a in attacks {
            let origin = a.groups.origin ?? 0
            if inputNames.isEmpty {
                if let pair = a.groups.pairs.first { out.append((a.name, pair, origin)) }
                continue
            }
            for (i, pair) in a.groups.pairs.enumerated() {
                guard pair.okLatencies.total + pair.errorLatencies.total > 0 else { continue }
                let file = i < inputNames.count ? inputNames[i] : inputNames.last ?? ""
                out.append((a.name.isEmpty ? file : a.name + " " + file, pair, origin))
            }
        }
        return out
    }
}
