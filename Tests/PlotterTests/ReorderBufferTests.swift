import Plotter
import Testing

/// Collects released points.
struct Collect: HeldPointSink {
    var points: [HeldPoint] = []
    var latencies: [Int64] { points.map(\.latency) }
    mutating func take(_ point: HeldPoint) { points.append(point) }
}

@Suite("Reorder buffer")
struct ReorderBufferTests {
    static func point(_ seq: UInt64) -> HeldPoint {
        HeldPoint(
            timestamp: Int64(truncatingIfNeeded: seq) &* 1000, latency: Int64(truncatingIfNeeded: seq), code: 200,
            isError: false)
    }

    static func run(_ seqs: [UInt64], window: Int = 1 << 18) -> (released: [Int64], buffer: ReorderBuffer) {
        var buffer = ReorderBuffer(window: window)
        var released = Collect()
        for s in seqs { buffer.insert(seq: s, point(s), into: &released) }
        return (released.latencies, buffer)
    }

    @Test("in-order results pass straight through")
    func inOrder() {
        let (out, buffer) = Self.run(Array(0..<1000))
        #expect(out == (0..<1000).map(Int64.init))
        #expect(buffer.held == 0)
    }

    @Test("shuffled results come out in seq order")
    func shuffled() {
        var rng = SplitMix64(seed: 7)
        var seqs = Array(UInt64(0)..<20_000)
        // Shuffle within blocks of 500 so every seq is late by less than the window.
        for start in stride(from: 0, to: seqs.count, by: 500) {
            seqs[start..<min(start + 500, seqs.count)].shuffle(using: &rng)
        }
        let (out, buffer) = Self.run(seqs, window: 1024)
        #expect(out == (0..<20_000).map(Int64.init))
        #expect(buffer.held == 0 && buffer.dropped == 0)
    }

    @Test("a point waits until every lower seq has arrived")
    func waits() {
        var buffer = ReorderBuffer()
        var released = Collect()
        for s: UInt64 in [2, 1, 4] { buffer.insert(seq: s, Self.point(s), into: &released) }
        #expect(released.points.isEmpty)
        #expect(buffer.held == 3)
        buffer.insert(seq: 0, Self.point(0), into: &released)
        #expect(released.latencies == [0, 1, 2])
        buffer.insert(seq: 3, Self.point(3), into: &released)
        #expect(released.latencies == [0, 1, 2, 3, 4])
    }

    @Test("an attack without seq 0 plots nothing (as vegeta)")
    func missingZero() {
        let (out, buffer) = Self.run(Array(1..<500))
        #expect(out.isEmpty)
        #expect(buffer.held == 499)
    }

    @Test("a duplicate of a waiting seq overwrites it; a duplicate of a released seq is dropped")
    func duplicates() {
        var buffer = ReorderBuffer()
        var released = Collect()
        buffer.insert(seq: 1, HeldPoint(timestamp: 1, latency: 10, code: 200, isError: false), into: &released)
        buffer.insert(seq: 1, HeldPoint(timestamp: 1, latency: 11, code: 500, isError: true), into: &released)
        buffer.insert(seq: 0, HeldPoint(timestamp: 0, latency: 1, code: 200, isError: false), into: &released)
        buffer.insert(seq: 0, HeldPoint(timestamp: 0, latency: 2, code: 200, isError: false), into: &released)
        #expect(released.latencies == [1, 11])
        #expect(buffer.dropped == 1)
    }

    @Test("memory is bounded by the window: a gap older than the window is given up on")
    func windowBound() {
        // seq 0 never arrives; with a window of 64, seq 64 forces the buffer to give up on it.
        let (out, buffer) = Self.run(Array(1..<200), window: 64)
        // Everything from 1 up is released once the gap is skipped, since 1..<200 is contiguous.
        #expect(out == (1..<200).map(Int64.init))
        #expect(buffer.held == 0)
    }

    @Test("random seqs (duplicates, gaps, jumps) never trap; released seqs strictly increase")
    func randomSeqs() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<50 {
            var seqs: [UInt64] = []
            var base: UInt64 = 0
            for _ in 0..<2000 {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: base &+= UInt64.random(in: 0..<1_000_000, using: &rng)
                case 1: seqs.append(seqs.randomElement(using: &rng) ?? 0)
                default: seqs.append(base &+ UInt64.random(in: 0..<300, using: &rng))
                }
                base &+= 1
            }
            let (out, buffer) = Self.run(seqs, window: 256)
            #expect(zip(out, out.dropFirst()).allSatisfy { $0 < $1 })
            #expect(out.count + buffer.held + buffer.dropped <= seqs.count)
            #expect(buffer.held <= 256)
        }
    }

    @Test("the largest seq does not overflow")
    func largestSeq() {
        // With a window of 2, seq max skips the gap below max - 1; then max - 1 releases both, and the next
        // expected seq passes UInt64.max.
        var buffer = ReorderBuffer(window: 2)
        var released = Collect()
        for s in [UInt64.max, UInt64.max - 1] { buffer.insert(seq: s, Self.point(s), into: &released) }
        #expect(released.points.count == 2 && buffer.held == 0)
    }

    @Test("a huge seq jump does not loop over the gap")
    func hugeJump() {
        let (out, buffer) = Self.run([0, 1, UInt64.max / 2, 2], window: 64)
        // The far seq waits at the top of a fresh window; the late seq 2 was given up on and is dropped.
        #expect(out == [0, 1])
        #expect(buffer.held == 1)
        #expect(buffer.dropped == 1)
    }
}
