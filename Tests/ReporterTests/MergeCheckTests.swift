import Encoder
import Reporter
import Testing

/// A record of attack `attack` with seq `seq`, started `at` ms after a fixed instant, 1 ms long.
private func record(_ seq: UInt64, at ms: Int64, attack: String = "") -> ResultStats {
    ResultStats(
        Result(
            attack: attack, seq: seq, code: 200,
            timestamp: Timestamp(unixNanoseconds: 1_796_320_800_000_000_000 + ms * 1_000_000), latency: 1_000_000))
}

/// The check after feeding each file's seqs, one record per seq, `spacing` ms apart from `startMs`.
private func check(_ files: [(name: String, seqs: [UInt64], startMs: Int64)], attack: String = "") -> [String] {
    var c = MergeCheck(names: files.map(\.name))
    for (i, f) in files.enumerated() {
        for (j, seq) in f.seqs.enumerated() {
            c.add(record(seq, at: f.startMs + Int64(j) * 10, attack: attack), input: i)
        }
    }
    return c.warnings()
}

/// A shard's seqs: k, k+n, ... below `total`.
private func shard(_ k: UInt64, _ n: UInt64, of total: UInt64) -> [UInt64] {
    Array(stride(from: k, to: total, by: Int(n)))
}

@Suite("Several result files as one attack")
struct MergeCheckTests {
    @Test("the shards of one attack raise no warning", arguments: 1...5)
    func shardsAreClean(n: UInt64) {
        let files = (0..<n).map { k in (name: "s\(k).bin", seqs: shard(k, n, of: 300), startMs: Int64(k)) }
        #expect(check(files).isEmpty)
    }

    @Test("a shard run twice is named: its seqs collide with its first run's")
    func shardTwice() {
        let files = [
            (name: "s0.bin", seqs: shard(0, 3, of: 300), startMs: Int64(0)),
            (name: "s1.bin", seqs: shard(1, 3, of: 300), startMs: 0),
            (name: "s2.bin", seqs: shard(2, 3, of: 300), startMs: 0),
            (name: "s1-again.bin", seqs: shard(1, 3, of: 300), startMs: 5),
        ]
        #expect(
            check(files) == [
                "report: warning: seqs collide: s1.bin and s1-again.bin "
                    + "(the same shard run twice, or unsharded attacks merged)"
            ])
    }

    @Test("files that do not overlap in time are named")
    func apartInTime() {
        let files = [
            (name: "a.bin", seqs: shard(0, 2, of: 100), startMs: Int64(0)),
            (name: "b.bin", seqs: shard(1, 2, of: 100), startMs: 10),
            (name: "late.bin", seqs: shard(1, 2, of: 100), startMs: 3_600_000),
        ]
        let warnings = check(files)
        #expect(
            warnings.first
                == "report: warning: time ranges do not overlap: a.bin and late.bin; b.bin and late.bin "
                + "(not one attack started together; see -start-at)")
        // late.bin is also the same shard as b.bin.
        #expect(warnings.dropFirst().first?.contains("b.bin and late.bin") == true)
    }

    @Test("files of different attack names are not compared")
    func namedAttacksApart() {
        var c = MergeCheck(names: ["r50.bin", "r100.bin"])
        for i in 0..<50 { c.add(record(UInt64(i), at: Int64(i), attack: "50qps"), input: 0) }
        for i in 0..<50 { c.add(record(UInt64(i), at: 1_000_000 + Int64(i), attack: "100qps"), input: 1) }
        #expect(c.warnings().isEmpty)
    }

    @Test("long lists of pairs are cut after eight")
    func longLists() {
        let files = (0..<6).map { k in (name: "f\(k)", seqs: Array(UInt64(0)..<10), startMs: Int64(0)) }
        let line = check(files).first ?? ""
        #expect(line.contains("f0 and f1; f0 and f2"))
        #expect(line.contains("; and 7 more pairs ("))  // 15 pairs in all
    }

    @Test("seq collisions agree with brute force on progressions of every step and offset")
    func collisionsAreExact() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            func progression() -> [UInt64] {
                let first = UInt64.random(in: 0..<60, using: &generator)
                let step = UInt64.random(in: 0..<9, using: &generator)
                let count = step == 0 ? 1 : Int.random(in: 1..<12, using: &generator)
                return (0..<count).map { first + UInt64($0) * step }
            }
            let (a, b) = (progression(), progression())
            let expected = !Set(a).isDisjoint(with: b)
            let warned = check([("a", a, 0), ("b", b, 0)]).contains { $0.contains("seqs collide") }
            #expect(warned == expected, "\(a) vs \(b)")
        }
    }

    @Test("seqs near the top of the range do not overflow the arithmetic")
    func hugeSeqs() {
        let top = UInt64.max - 10
        let a: [UInt64] = [top - 2 * 999_999_937, top - 999_999_937, top]
        let b: [UInt64] = [top - 3 * 1_000_000_007, top - 2 * 1_000_000_007, top - 1_000_000_007, top]
        #expect(check([("a", a, 0), ("b", b, 0)]).count == 1)
        let c: [UInt64] = b.map { $0 - 1 }
        #expect(check([("a", a, 0), ("c", c, 0)]).isEmpty)
    }
}
