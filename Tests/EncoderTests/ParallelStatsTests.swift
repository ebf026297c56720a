import Dispatch
import Encoder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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

    @Test("from a pipe still being written, every record already sent is handed out")
    func liveFromPipe() throws {
        let dir = try Run.temporaryDirectory()
        let file = try gobFile(300, seed: 9, in: dir)
        let bytes = try Run.read(file)
        let fifo = dir + "/live.pipe"
        try #require(mkfifo(fifo, 0o600) == 0)
        let release = DispatchSemaphore(value: 0)
        // The writer sends every record, then holds the pipe open until told to close it.
        DispatchQueue.global().async {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            release.wait()
            close(fd)
        }
        /// The reader's side, on its own thread: a reader that waits for more input instead of handing out what
        /// it has would block there; closing the pipe then ends it, so the test fails instead of hanging.
        final class Reading: @unchecked Sendable {
            var seen = 0
            var failures: [DecodeError] = []
            let done = DispatchSemaphore(value: 0)
        }
        let reading = Reading()
        DispatchQueue.global().async {
            defer { reading.done.signal() }
            guard var reader = try? ResultReader(paths: [fifo], fields: .metrics) else { return }
            reader.parallelStats = true
            while reading.seen < 300, reader.nextStats() != nil { reading.seen += 1 }
            reading.done.signal()  // every record sent is in: now the end
            while reader.nextStats() != nil { reading.seen += 1 }
            reading.failures = reader.failures
        }
        let inTime = reading.done.wait(timeout: .now() + 30) == .success
        #expect(inTime, "the reader waited for more input with records in hand")
        release.signal()
        if !inTime { reading.done.wait() }  // the reader signals twice: all records in, then the end
        reading.done.wait()
        #expect(reading.seen == 300)
        #expect(reading.failures.isEmpty)
    }
}
