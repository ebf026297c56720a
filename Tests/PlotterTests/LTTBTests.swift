import Plotter
import Testing

/// A small deterministic generator, so property tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("LTTB")
struct LTTBTests {
    static func series(_ n: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
        var rng = SplitMix64(seed: seed)
        var x: [Double] = []
        var y: [Double] = []
        var t = 0.0
        for _ in 0..<n {
            t += Double.random(in: 0.001...0.01, using: &rng)
            x.append(t)
            y.append(Double.random(in: 0.1...50, using: &rng) * (Double.random(in: 0...1, using: &rng) < 0.01 ? 20 : 1))
        }
        return (x, y)
    }

    @Test("keeps every point when the series is not longer than the threshold", arguments: [1, 2, 3, 10, 4000])
    func underThreshold(n: Int) throws {
        let (x, y) = Self.series(n, seed: 1)
        #expect(try LTTB.select(x: x, y: y, threshold: 4000) == Array(0..<n))
        #expect(try LTTB.select(x: x, y: y, threshold: n) == Array(0..<n))
    }

    @Test("threshold 0 keeps every point")
    func zeroKeepsAll() throws {
        let (x, y) = Self.series(10_000, seed: 2)
        #expect(try LTTB.select(x: x, y: y, threshold: 0) == Array(0..<10_000))
    }

    @Test(
        "keeps exactly threshold points, first and last included, in increasing order",
        arguments: [(5, 3), (100, 3), (100, 99), (5000, 4000), (5000, 100), (12_345, 777), (3, 3), (4, 3)])
    func exactCount(n: Int, threshold: Int) throws {
        let (x, y) = Self.series(n, seed: UInt64(n * 31 + threshold))
        let kept = try LTTB.select(x: x, y: y, threshold: threshold)
        #expect(kept.count == min(n, threshold))
        #expect(kept.first == 0)
        #expect(kept.last == n - 1)
        #expect(zip(kept, kept.dropFirst()).allSatisfy { $0 < $1 })
        let xs = kept.map { x[$0] }
        #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("random sizes and thresholds keep the contract")
    func randomized() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let n = Int.random(in: 0...3000, using: &rng)
            let threshold = Int.random(in: 3...400, using: &rng)
            let (x, y) = Self.series(n, seed: rng.next())
            let kept = try LTTB.select(x: x, y: y, threshold: threshold)
            #expect(kept.count == min(n, threshold))
            if n > 0 {
                #expect(kept.first == 0 && kept.last == n - 1)
            }
            #expect(zip(kept, kept.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test("picks the spike: a lone peak survives downsampling")
    func keepsSpike() throws {
        var y = [Double](repeating: 1, count: 1000)
        y[537] = 1000
        let x = (0..<1000).map(Double.init)
        let kept = try LTTB.select(x: x, y: y, threshold: 20)
        #expect(kept.contains(537))
    }

    @Test("thresholds 1 and 2 fail only when a series is longer", arguments: [1, 2, -1])
    func tooSmall(threshold: Int) throws {
        let (x, y) = Self.series(10, seed: 3)
        #expect(throws: PlotError.thresholdTooSmall) { try LTTB.select(x: x, y: y, threshold: threshold) }
        #expect(PlotError.thresholdTooSmall.description == "lttb: min threshold is 3")
        if threshold > 0 {
            let short = Array(x.prefix(threshold))
            #expect(try LTTB.select(x: short, y: Array(y.prefix(threshold)), threshold: threshold).count == threshold)
        }
    }
}
