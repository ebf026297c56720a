import Encoder
import Plotter
import Testing

/// Shard `k` of `n` of one attack of `total` hits 1 ms apart: seqs k, k+n, ..., each shard's results in its order.
private func shardResults(_ k: Int, _ n: Int, total: Int, attack: String = "", errorSeqs: Set<Int> = []) -> [Result] {
    makeResults(attack: attack, count: total).filter { Int($0.seq) % n == k }.map { r in
        var r = r
        if errorSeqs.contains(Int(r.seq)) {
            r.code = 500
            r.error = "500 Internal Server Error"
        }
        return r
    }
}

/// Feeds the shards' results round-robin, as the reader does with several files.
private func feed(_ plot: inout Plot, _ shards: [[Result]]) {
    var i = 0
    while shards.contains(where: { i < $0.count }) {
        for (k, shard) in shards.enumerated() where i < shard.count { plot.add(ResultStats(shard[i]), input: k) }
        i += 1
    }
}

@Suite("plot -by=file: one series pair per input file")
struct PlotByFileTests {
    @Test("the shards of one attack plot as that one attack by default")
    func shardsAreOneAttack() throws {
        var plot = Plot()
        let shards = (0..<3).map { shardResults($0, 3, total: 300) }
        for k in 0..<3 { for r in shards[k] { plot.add(ResultStats(r), input: k) } }
        let page = try plot.page()
        #expect(page.series.map(\.label) == [": OK"])
        #expect(page.series.first?.summary.requests == 300)
        #expect(page.resultsWaiting == 0)
    }

    @Test("with input names, each file is a series pair, on the attack's one time axis and in seq order")
    func seriesPerFile() throws {
        let names = ["shard-0.bin", "shard-1.bin", "shard-2.bin"]
        var plot = Plot(threshold: 0, inputNames: names)
        let shards = (0..<3).map { shardResults($0, 3, total: 300, errorSeqs: [4, 7]) }
        feed(&plot, shards)
        let page = try plot.page()
        #expect(
            page.series.map(\.label) == [
                "shard-0.bin: OK", "shard-1.bin: ERROR", "shard-1.bin: OK", "shard-2.bin: OK",
            ])
        #expect(page.series.map(\.summary.requests) == [100, 2, 98, 100])
        // One origin (the attack's seq 0, in shard 0's file) for every series: shard k's first point is at k ms.
        let start = makeResults(count: 1)[0].timestamp.unixNanoseconds
        #expect(page.series.allSatisfy { $0.origin == start })
        let okOf = { (k: Int) in page.series.first { $0.label == "shard-\(k).bin: OK" } }
        #expect(okOf(0)?.x.first == 0)
        #expect(okOf(1)?.x.first == 1_000_000)
        #expect(okOf(2)?.x.first == 2_000_000)
        #expect(okOf(2)?.x == (0..<100).map { Int64(3 * $0 + 2) * 1_000_000 })
        #expect(page.attackTotals.map(\.attack) == names)
        #expect(page.attackTotals.map(\.summary.requests) == [100, 100, 100])
    }

    @Test("a named attack's file series are labelled with the attack and the file")
    func namedAttack() throws {
        var plot = Plot(inputNames: ["a.bin", "b.bin"])
        feed(&plot, (0..<2).map { shardResults($0, 2, total: 10, attack: "checkout") })
        let page = try plot.page()
        #expect(page.series.map(\.label) == ["checkout a.bin: OK", "checkout b.bin: OK"])
    }
}
