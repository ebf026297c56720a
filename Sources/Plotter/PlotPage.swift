/// Latency figures of one series or attack, from every result (not from the downsampled points).
public struct LatencySummary: Sendable, Equatable {
    /// Results counted.
    public var requests: UInt64
    /// Results without an error text.
    public var ok: UInt64
    /// Median latency in nanoseconds (within 0.1 %).
    public var p50: Int64
    /// 90th percentile latency in nanoseconds (within 0.1 %).
    public var p90: Int64
    /// 99th percentile latency in nanoseconds (within 0.1 %).
    public var p99: Int64
    /// Largest latency in nanoseconds (exact).
    public var max: Int64

    /// Share of results without an error, 0...1.
    public var success: Double { requests == 0 ? 0 : Double(ok) / Double(requests) }

    init(_ h: LatencyHistogram, ok: UInt64) {
        requests = h.total
        self.ok = ok
        p50 = h.quantile(0.50)
        p90 = h.quantile(0.90)
        p99 = h.quantile(0.99)
        max = h.max
    }
}

/// One plotted series: an attack's OK or ERROR results, downsampled.
public struct PlotSeries: Sendable {
    /// The attack name (`Result.attack`).
    public var attack: String
    /// True for the ERROR series.
    public var isError: Bool
    /// `"<attack>: OK"` or `"<attack>: ERROR"`, as vegeta labels it.
    public var label: String { attack + (isError ? ": ERROR" : ": OK") }
    /// CSS colour, from vegeta's palettes.
    public var color: String
    /// Unix nanoseconds of the attack's first hit (its seq 0): where x is 0.
    public var origin: Int64
    /// Nanoseconds since the attack's first hit, one per plotted point.
    public var x: [Int64]
    /// Latency in nanoseconds, one per plotted point.
    public var y: [Int64]
    /// Figures over every result of the series.
    public var summary: LatencySummary
}

/// A finished plot: the data the HTML page embeds, and the page writer.
public struct PlotPage: Sendable {
    /// Colours of OK series, in turn (vegeta's palette).
    public static let okColors = ["#E9D758", "#297373", "#39393A", "#A1CDF4", "#593C8F", "#171738", "#A1674A"]
    /// Colours of ERROR series, in turn (vegeta's palette).
    public static let errorColors = ["#EE7860", "#DD624E", "#CA4E3E", "#B63A30", "#9F2823", "#881618", "#6F050E"]

    /// One attack's figures over OK and ERROR together.
    public struct AttackTotal: Sendable {
        /// The attack name.
        public var attack: String
        /// Figures over all its results.
        public var summary: LatencySummary
    }

    /// Page title (unescaped).
    public var title: String
    /// LTTB target points per series; 0 when every point is kept.
    public var threshold: Int
    /// Series sorted by attack + label, as vegeta sorts them.
    public var series: [PlotSeries]
    /// Per-attack totals, sorted by attack name.
    public var attackTotals: [AttackTotal]
    /// Requests per time bucket by status class, all attacks together.
    package var strip: StatusStrip
    /// Results read.
    public var resultsRead: Int
    /// Results never plotted because a lower seq of their attack never arrived (vegeta does not plot them either).
    public var resultsWaiting: Int
    /// Results dropped because their seq was already plotted or given up on (duplicates).
    public var resultsDropped: Int
}
