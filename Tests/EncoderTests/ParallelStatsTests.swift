import Encoder
import Testing
import TestSupport

/// The two-thread statistics path (`ResultReader.parallelStats`) must hand out exactly what the serial decoder
/// does: the same records in the same order, and the same failure at the same byte offset.
@Suite("parallel statistics decoding")
struct ParallelStatsTests {
    /// Every statistics record and failure line of `paths`, decoded serially or on two threads.
    func readStats(_ paths: [String], parallel: Bool) throws -> (stats: [ResultStats], failures: [String]) {
        var reader = try ResultReader(paths: paths, fields: .metrics)
        reader.parallelStats = parallel
        var out: [ResultStats] = []
        while let s = reader.nextStats() { out.append(s) }
        return (out, reader.failures.map(\.description))
    }

    /// A gob file of `count` random results: several blocks, so both threads decode.
    func gobFile(_ count: Int, seed: UInt64, in dir: String, name: String = "r.bin") throws -> String {
        let path = dir + "/" + name
        try writeAll(randomResults(count, seed: seed), .gob, to: path)
        return path
    }

    @Test("many blocks: the same records in the same order")
    func sameRecords() throws {
        let dir = try Run.temporaryDirectory()
        let path = try gobFile(12_000, seed: 5, in: dir)
        let serial = try readStats([path], parallel: false)
        let parallel = try readStats([path], parallel: true)
        #expect(serial.stats.count == 12_000)
        #expect(parallel.stats == serial.stats)
        #expect(parallel.failures.isEmpty && serial.failures.isEmpty)
    }

    @Test("gzip input and several inputs round-robin")
    func gzipAndRoundRobin() throws {
        let dir = try Run.temporaryDirectory()
        let a = try gobFile(9_000, seed: 6, in: dir, name: "a.bin")
        try writeAll(randomResults(5_000, seed: 7), .gob, to: dir + "/b.bin.gz")
        let serial = try readStats([a, dir + "/b.bin.gz"], parallel: false)
        let parallel = try readStats([a, dir + "/b.bin.gz"], parallel: true)
        #expect(serial.stats.count == 14_000)
        #expect(parallel.stats == serial.stats)
    }

    @Test("a cut or a damaged byte anywhere: the same prefix and the same failure line")
    func sameDamage() throws {
        let dir = try Run.temporaryDirectory()
        let path = try gobFile(9_000, seed: 8, in: dir)
        let full = try Run.read(path)
        var g = SeededGenerator(state: 17)
        var failuresSeen = 0
        for round in 0..<10 {
            var bytes = full
            let at = Int.random(in: 300..<bytes.count, using: &g)
            if round % 2 == 0 {
                bytes.removeLast(bytes.count - at)
            } else {
                bytes[at] = UInt8.random(in: 0...255, using: &g)
            }
            try Run.write(bytes, to: dir + "/x.bin")
            let serial = try readStats([dir + "/x.bin"], parallel: false)
            let parallel = try readStats([dir + "/x.bin"], parallel: true)
            #expect(parallel.stats == serial.stats, "round \(round), byte \(at)")
            #expect(parallel.failures == serial.failures, "round \(round), byte \(at)")
            failuresSeen += serial.failures.count
        }
        #expect(failuresSeen >= 5)  // every cut fails; the flips may or may not
    }
}
