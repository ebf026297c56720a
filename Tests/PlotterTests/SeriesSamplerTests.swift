import Plotter
import Testing

@Suite("Streaming downsampler")
struct SeriesSamplerTests {
    static func fill(_ sampler: inout SeriesSampler, _ n: Int, seed: UInt64) -> (x: [Int64], y: [Int64]) {
        var rng = SplitMix64(seed: seed)
        var xs: [Int64] = []
        var ys: [Int64] = []
        for i in 0..<n {
            let x = Int64(i) * 50_000
            let y = Int64.random(in: 100_000...5_000_000, using: &rng) * (i % 997 == 0 ? 40 : 1)
            sampler.add(x: x, y: y)
            xs.append(x)
            ys.append(y)
        }
        return (xs, ys)
    }

    @Test("below capacity it is exactly LTTB over every point")
    func exactWhenSmall() throws {
        var s = SeriesSampler(threshold: 400, capacity: 16_384)
        let (xs, ys) = Self.fill(&s, 10_000, seed: 1)
        let (dx, dy) = try s.downsampled()
        let kept = try LTTB.select(x: xs.map(Double.init), y: ys.map(Double.init), threshold: 400)
        #expect(dx == kept.map { xs[$0] })
        #expect(dy == kept.map { ys[$0] })
    }

    @Test("past capacity: exact count, endpoints, increasing x, bounded candidates", arguments: [3, 100, 4000])
    func streaming(threshold: Int) throws {
        var s = SeriesSampler(threshold: threshold, capacity: 1024)
        let n = 300_000
        let (xs, ys) = Self.fill(&s, n, seed: UInt64(threshold))
        let candidates = s.candidates()
        #expect(candidates.x.count <= 4 * max(1024, 2 * threshold) + 4)
        let (dx, dy) = try s.downsampled()
        #expect(dx.count == threshold)
        #expect(dx.first == xs.first && dy.first == ys.first)
        #expect(dx.last == xs.last && dy.last == ys.last)
        #expect(zip(dx, dx.dropFirst()).allSatisfy { $0 < $1 })
        // Every kept point is a real input point.
        for (x, y) in zip(dx, dy) { #expect(ys[Int(x / 50_000)] == y) }
    }

    @Test("the M4 stage keeps every run's extremes, so the global peak is a candidate")
    func keepsPeak() {
        var s = SeriesSampler(threshold: 50, capacity: 256)
        for i in 0..<100_000 { s.add(x: Int64(i), y: i == 77_777 ? 1_000_000 : Int64(i % 13)) }
        #expect(s.candidates().y.contains(1_000_000))
    }

    @Test("threshold 0 keeps every point")
    func keepsAll() throws {
        var s = SeriesSampler(threshold: 0)
        let (xs, ys) = Self.fill(&s, 50_000, seed: 9)
        let (dx, dy) = try s.downsampled()
        #expect(dx == xs && dy == ys)
    }

    @Test("threshold 2 fails only on a longer series")
    func tooSmall() throws {
        var short = SeriesSampler(threshold: 2)
        short.add(x: 0, y: 1)
        short.add(x: 1, y: 1)
        #expect(try short.downsampled().x.count == 2)
        var long = short
        long.add(x: 2, y: 1)
        #expect(throws: PlotError.thresholdTooSmall) { try long.downsampled() }
    }
}
