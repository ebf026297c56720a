import Plotter
import Testing

@Suite("Latency histogram and status strip")
struct HistogramTests {
    @Test("quantiles agree with the sorted data within 0.1 %")
    func quantiles() {
        var rng = SplitMix64(seed: 5)
        var h = LatencyHistogram()
        var values: [Int64] = []
        for _ in 0..<100_000 {
            let v = Int64(Double.random(in: 0...1, using: &rng) * Double.random(in: 0...1, using: &rng) * 2e9) + 1
            values.append(v)
            h.record(v)
        }
        values.sort()
        for q in [0.5, 0.9, 0.99, 0.999] {
            let exact = values[Int((q * Double(values.count)).rounded(.up)) - 1]
            let got = h.quantile(q)
            #expect(abs(Double(got - exact)) <= Double(exact) * 0.001 + 1, "q=\(q) exact=\(exact) got=\(got)")
        }
        #expect(h.max == values.last)
        #expect(h.min == values.first)
        #expect(h.total == 100_000)
    }

    @Test("small values are exact, merging adds counts")
    func exactAndMerge() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for v: Int64 in [5, 7, 9] { a.record(v) }
        for v: Int64 in [1, 3_000_000_000] { b.record(v) }
        a.merge(b)
        #expect(a.total == 5)
        #expect(a.quantile(0.5) == 7)
        #expect(a.min == 1 && a.max == 3_000_000_000)
        #expect(a.quantile(1) == 3_000_000_000)
    }

    @Test("status strip counts by class and keeps totals when it coarsens")
    func strip() {
        var s = StatusStrip(maxBuckets: 16)
        for i in 0..<10_000 {
            let code: UInt16 = i % 10 == 0 ? 500 : (i % 25 == 0 ? 0 : 200)
            s.add(x: Int64(i) * 1_000_000, code: code)
        }
        #expect(s.bucketCount <= 16)
        #expect(s.total(statusClass: 5) == 1000)
        #expect(s.total(statusClass: 0) == 200)
        #expect(s.total(statusClass: 2) == 8800)
        var other = StatusStrip(maxBuckets: 16)
        other.add(x: 0, code: 404)
        other.add(x: -5, code: 999)
        s.merge(other)
        #expect(s.total(statusClass: 4) == 1 && s.total(statusClass: 6) == 1)
    }
}
