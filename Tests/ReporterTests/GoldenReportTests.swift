import BarrageCore
import Encoder
import Foundation
import Reporter
import Testing

/// Our reports of vegeta's `small.bin` against the reports the real vegeta wrote for it.
///
/// Everything must match byte for byte except percentile values: vegeta's t-digest interpolates between the two
/// observed latencies around a rank, ours is the observed latency at that rank to HdrHistogram's 3 significant
/// digits. So each percentile is checked twice: within 0.1% of the exact nearest-rank latency, and inside the
/// bracket of observed latencies that holds vegeta's interpolated value.
@Suite struct GoldenReportTests {
    let results: [Result]
    let sorted: [Int64]

    init() throws {
        results = try SampleResults.load()
        sorted = results.map(\.latency).sorted()
    }

    func metrics(_ kind: ReportKind = .text) -> Metrics {
        var m = Metrics(buckets: kind.buckets)
        for r in results { m.add(r) }
        return m
    }

    /// The latency at the nearest rank for quantile q (what HdrHistogram approximates).
    func nearestRank(_ q: Double) -> Int64 {
        if q <= 0 { return sorted[0] }
        let k = max(1, Int((q.nextDown * Double(sorted.count)).rounded(.up)))
        return sorted[min(k, sorted.count) - 1]
    }

    /// Checks our percentile against the exact rank and against vegeta's value; `step` is the printing resolution.
    func expectPercentile(ours: Int64, vegeta: Int64, q: Double, step: Int64, _ label: String) {
        let exact = nearestRank(q)
        #expect(abs(ours - exact) <= exact / 1000 + step, "\(label): ours \(ours) vs nearest rank \(exact)")
        let below = sorted.last(where: { $0 <= vegeta + step }) ?? sorted[0]
        let above = sorted.first(where: { $0 >= vegeta - step }) ?? sorted[sorted.count - 1]
        #expect(
            ours >= below - below / 1000 - step && ours <= above + above / 1000 + step,
            "\(label): ours \(ours) outside [\(below), \(above)] around vegeta's \(vegeta)")
    }

    @Test func textMatchesVegeta() throws {
        let ours = String(decoding: Report.text(metrics()), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        let theirs = try SampleResults.fixtureText("report.txt").split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(ours.count == theirs.count)
        for (a, b) in zip(ours, theirs) where !b.hasPrefix("Latencies") {
            #expect(a == b)
        }
        let a = try #require(ours.first { $0.hasPrefix("Latencies") })
        let b = try #require(theirs.first { $0.hasPrefix("Latencies") })
        let prefix = "Latencies     [min, mean, 50, 90, 95, 99, max]  "
        #expect(a.hasPrefix(prefix) && b.hasPrefix(prefix))
        let ourValues = a.dropFirst(prefix.count).split(separator: ", ").compactMap { GoDuration.parse(String($0)) }
        let theirValues = b.dropFirst(prefix.count).split(separator: ", ").compactMap { GoDuration.parse(String($0)) }
        try #require(ourValues.count == 7 && theirValues.count == 7)
        #expect(ourValues[0] == theirValues[0])
        #expect(ourValues[1] == theirValues[1])
        #expect(ourValues[6] == theirValues[6])
        for (i, q) in [0.5, 0.9, 0.95, 0.99].enumerated() {
            // Printed values >= 1ms are rounded to the µs.
            let step: Int64 = theirValues[i + 2] >= 1_000_000 ? 500 : 0
            expectPercentile(ours: ourValues[i + 2], vegeta: theirValues[i + 2], q: q, step: step, "text p\(q)")
        }
    }

    /// Replaces the four percentile numbers of a JSON report with those of `other`, returning the values swapped.
    func swapPercentiles(_ ours: String, from theirs: String) -> (String, [(Int64, Int64)]) {
        var text = ours
        var pairs: [(Int64, Int64)] = []
        for key in ["\"50th\":", "\"90th\":", "\"95th\":", "\"99th\":"] {
            func value(in s: String) -> (Range<String.Index>, Int64)? {
                guard let k = s.range(of: key) else { return nil }
                let end = s[k.upperBound...].firstIndex(where: { !$0.isNumber }) ?? s.endIndex
                return (k.upperBound..<end, Int64(s[k.upperBound..<end]) ?? -1)
            }
            guard let (range, a) = value(in: text), let (theirRange, b) = value(in: theirs) else { continue }
            text.replaceSubrange(range, with: theirs[theirRange])
            pairs.append((a, b))
        }
        return (text, pairs)
    }

    @Test(arguments: [("report.json", ""), ("report_buckets.json", "[0,500us,1ms,2ms]")])
    func jsonMatchesVegeta(file: String, buckets: String) throws {
        let kind = try ReportKind(type: "json", buckets: buckets)
        let ours = String(decoding: Report.render(kind, metrics(kind)), as: UTF8.self)
        let theirs = try SampleResults.fixtureText(file)
        let (swapped, pairs) = swapPercentiles(ours, from: theirs)
        #expect(swapped == theirs)
        #expect(pairs.count == 4)
        for ((a, b), q) in zip(pairs, [0.5, 0.9, 0.95, 0.99]) {
            expectPercentile(ours: a, vegeta: b, q: q, step: 0, "json p\(q)")
        }
    }

    @Test(arguments: [("hist[0,500us,1ms,2ms]", ""), ("hist", "[0,500us,1ms,2ms]"), ("hist[500us,1ms,2ms]", "")])
    func histMatchesVegeta(type: String, buckets: String) throws {
        let kind = try ReportKind(type: type, buckets: buckets)
        let ours = Report.render(kind, metrics(kind))
        #expect(String(decoding: ours, as: UTF8.self) == (try SampleResults.fixtureText("report_hist.txt")))
    }

    @Test func hdrplotMatchesVegeta() throws {
        let ours = String(decoding: Report.hdrplot(metrics()), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        let theirs = try SampleResults.fixtureText("report_hdrplot.txt").split(
            separator: "\n", omittingEmptySubsequences: false)
        try #require(ours.count == theirs.count)
        #expect(ours.first == theirs.first)
        for (a, b) in zip(ours.dropFirst(), theirs.dropFirst()) where !b.isEmpty {
            let ac = a.split(separator: " ", omittingEmptySubsequences: true)
            let bc = b.split(separator: " ", omittingEmptySubsequences: true)
            try #require(ac.count == 4 && bc.count == 4)
            #expect(ac[1...] == bc[1...])
            // Same layout once the value is swapped (all values here print 8 characters wide).
            #expect(a.dropFirst(ac[0].count) == b.dropFirst(bc[0].count))
            let q = Double(bc[1]) ?? -1
            let ns = { (s: Substring) in Int64(((Double(s) ?? -1) * 1e6).rounded()) }
            expectPercentile(ours: ns(ac[0]), vegeta: ns(bc[0]), q: q, step: 1, "hdrplot q=\(q)")
        }
    }
}
