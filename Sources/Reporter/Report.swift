import BarrageCore
import Encoder

/// Renders metrics as one of vegeta's reports. Pure functions from metrics to bytes; nothing is printed here.
public enum Report {
    /// The report of `kind` over `metrics`, byte for byte in vegeta's layout (percentiles from the histogram).
    ///
    /// - Parameter checks: verdicts the JSON report lists in a `checks` array (the other reports leave them to
    ///   the caller).
    public static func render(_ kind: ReportKind, _ metrics: Metrics, checks: [CheckVerdict] = []) -> [UInt8] {
        switch kind {
        case .text: return text(metrics)
        case .json: return json(metrics, checks: checks)
        case .hist: return hist(metrics)
        case .hdrplot: return hdrplot(metrics)
        }
    }

    /// The quantiles a text or JSON report lists, in order.
    static let percentiles: [Double] = [0.50, 0.90, 0.95, 0.99]

    /// vegeta's text report: tab-aligned summary, status codes sorted as strings, then the error set.
    public static func text(_ m: Metrics) -> [UInt8] {
        var w = TabWriter()
        let duration = m.duration
        let wait = m.wait
        w.write("Requests\t[total, rate, throughput]\t")
        w.write("\(m.requests), \(GoFormat.fixed(m.rate, decimals: 2)), \(GoFormat.fixed(m.throughput, decimals: 2))\n")
        w.write("Duration\t[total, attack, wait]\t")
        w.write("\(reportDuration(duration &+ wait)), \(reportDuration(duration)), \(reportDuration(wait))\n")
        w.write("Latencies\t[min, mean, 50, 90, 95, 99, max]\t")
        var latencies = [m.latencyMin, m.latencyMean]
        for q in percentiles { latencies.append(m.quantile(q)) }
        latencies.append(m.latencyMax)
        w.write(latencies.map(reportDuration).joined(separator: ", ") + "\n")
        w.write("Bytes In\t[total, mean]\t\(m.bytesInTotal), \(GoFormat.fixed(m.bytesInMean, decimals: 2))\n")
        w.write("Bytes Out\t[total, mean]\t\(m.bytesOutTotal), \(GoFormat.fixed(m.bytesOutMean, decimals: 2))\n")
        w.write("Success\t[ratio]\t\(GoFormat.fixed(m.successRatio * 100, decimals: 2))%\n")
        w.write("Status Codes\t[code:count]\t")
        for (code, count) in m.statusCodes { w.write("\(code):\(count)  ") }
        w.write("\nError Set:\n")
        for error in m.errors { w.write(error + "\n") }
        return w.finish()
    }

    /// vegeta's `hist` report: one row per bucket with count, percentage and a bar of `int(ratio*75)` `#`.
    public static func hist(_ m: Metrics) -> [UInt8] {
        var w = TabWriter()
        w.write("Bucket\t\t#\t%\tHistogram\n")
        guard let counts = m.buckets else { return w.finish() }
        let bounds = counts.buckets.bounds
        for (i, count) in counts.counts.enumerated() {
            let ratio = Double(count) / Double(counts.total)
            let low = GoDuration.format(bounds[i])
            let high = i + 1 < bounds.count ? GoDuration.format(bounds[i + 1]) : "+Inf"
            let bar = ratio.isFinite ? String(repeating: "#", count: max(0, Int(ratio * 75))) : ""
            w.write("[\(low),\t\(high)]\t\(count)\t\(GoFormat.fixed(ratio * 100, decimals: 2))%\t\(bar)\n")
        }
        return w.finish()
    }

    /// The fixed quantiles of vegeta's `hdrplot` report (0, then ever closer to 1), as the decimals it prints.
    static let plotQuantiles: [Double] = [
        0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.775, 0.8, 0.825, 0.85, 0.875, 0.8875, 0.9,
        0.9125, 0.925, 0.9375, 0.94375, 0.95, 0.95625, 0.9625, 0.96875, 0.971875, 0.975, 0.978125, 0.98125,
        0.984375, 0.985938, 0.9875, 0.989062, 0.990625, 0.992188, 0.992969, 0.99375, 0.994531, 0.995313, 0.996094,
        0.996484, 0.996875, 0.997266, 0.997656, 0.998047, 0.998242, 0.998437, 0.998633, 0.998828, 0.999023,
        0.999121, 0.999219, 0.999316, 0.999414, 0.999512, 0.999561, 0.999609, 0.999658, 0.999707, 0.999756,
        0.99978, 0.999805, 0.999829, 0.999854, 0.999878, 0.99989, 0.999902, 0.999915, 0.999927, 0.999939,
        0.999945, 0.999951, 0.999957, 0.999963, 0.999969, 0.999973, 0.999976, 0.999979, 0.999982, 0.999985,
        0.999986, 0.999988, 0.999989, 0.999991, 0.999992, 0.999993, 0.999994, 0.999995, 0.999996, 0.999997,
        0.999998, 0.999999, 1,
    ]

    /// vegeta's `hdrplot` report: value in ms, quantile, count at quantile and 1/(1-q), tab-aligned.
    public static func hdrplot(_ m: Metrics) -> [UInt8] {
        var w = TabWriter()
        w.write("Value(ms)\tPercentile\tTotalCount\t1/(1-Percentile)\n")
        let total = Double(m.requests)
        for q in plotQuantiles {
            let ns = m.quantile(q)
            let ms = Double(ns / 1_000_000) + Double(ns % 1_000_000) / 1e6
            let oneBy = q < 1 ? 1 / (1 - q) : 10_000_000
            let count = Int64(q * total + 0.5)
            w.write("\(GoFormat.fixed(ms, decimals: 6))\t\(GoFormat.fixed(q, decimals: 6))\t\(count)\t")
            w.write("\(GoFormat.fixed(oneBy, decimals: 6))\n")
        }
        return w.finish()
    }

    /// A duration as vegeta's reports print it: rounded by magnitude, then Go's `Duration.String`.
    static func reportDuration(_ ns: Int64) -> String {
        GoDuration.format(GoDuration.roundForReport(ns))
    }
}
