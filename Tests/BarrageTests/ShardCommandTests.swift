import BarrageCore
import Encoder
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Starts `barrage attack` as shard `k` of `n` with `targets` on stdin, results to `output`.
func startShard(
    _ k: Int, of n: Int, _ arguments: [String], targets: String, output: String, global: [String] = ["-cpus=2"]
) throws -> ChildProcess {
    let p = try #require(
        ChildProcess(
            [Paths.barrage] + global + ["attack", "-shard=\(k)/\(n)", "-output=" + output] + arguments))
    p.writeStdin(Array(targets.utf8))
    p.closeStdin()
    return p
}

/// Every result of a results file.
func readResults(_ path: String) throws -> [Result] {
    var reader = try ResultReader(paths: [path])
    var results: [Result] = []
    while let r = reader.next() { results.append(r) }
    #expect(reader.failures.isEmpty)
    return results
}

/// Whether process `pid` blocks `signal` in its main thread (how a `SignalWatcher` shows it is in place).
func blocksSignal(_ pid: pid_t, _ signal: Int32) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
        let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
    else { return false }
    return mask & (1 << UInt64(signal - 1)) != 0
}

@Suite("attack -shard and -start-at (built binary)", .serialized, .timeLimit(.minutes(3)))
struct ShardCommandTests {
    @Test("three shards on loopback started at one instant add up to one attack")
    func threeShardsAreOneAttack() throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        let (n, rate, seconds) = (3, 150, 1)
        let interval = Int64(1_000_000_000 / rate)
        let targets = "GET \(server.base)/t0\n\nGET \(server.base)/t1\n"
        // Far enough ahead for three processes to start on a loaded machine (a late one would refuse to run).
        let startAt = Timestamp.now().adding(nanoseconds: 3_000_000_000)
        let files = (0..<n).map { dir + "/shard-\($0).bin" }
        let shards = try (0..<n).map { k in
            try startShard(
                k, of: n, ["-rate=\(rate)", "-duration=\(seconds)s", "-start-at=" + startAt.rfc3339Nano],
                targets: targets, output: files[k])
        }
        for (k, p) in shards.enumerated() {
            let (status, _, err) = p.finish()
            #expect(status == 0, "shard \(k): \(String(decoding: err, as: UTF8.self))")
        }
        var all: [Result] = []
        for (k, file) in files.enumerated() {
            let mine = try readResults(file)
            // Shard k sends hits k, k+n, ...: its share of the schedule and nothing else.
            #expect(mine.allSatisfy { $0.seq % UInt64(n) == UInt64(k) })
            #expect(mine.count == rate * seconds / n)
            all += mine
        }
        // One attack: the server saw rate x duration requests, the seqs are 0 ..< total once each.
        #expect(server.hits == rate * seconds)
        #expect(all.count == rate * seconds)
        #expect(all.map(\.seq).sorted() == (0..<UInt64(rate * seconds)).map { $0 })
        #expect(all.allSatisfy { $0.code == 200 && $0.error.isEmpty })
        // Targets are round-robin over the global hit number.
        #expect(all.allSatisfy { $0.url.hasSuffix("/t\($0.seq % 2)") })
        // No hit left before it was due on the shared schedule.
        let origin = startAt.unixNanoseconds
        for r in all {
            let due = origin + (Int64(r.seq) + 1) * interval
            #expect(r.timestamp.unixNanoseconds >= due, "seq \(r.seq) left early")
        }
        // The merged files report as one attack: no warning, every request counted.
        let report = try Run.barrage(["report", "-type=json"] + files)
        #expect(report.status == 0)
        #expect(report.stderr.isEmpty)
        #expect(report.stdoutText.contains("\"requests\":\(rate * seconds),"))
        // A shard's file given twice (the same shard run twice) is named in a warning; the report still counts it.
        let again = dir + "/shard-1-again.bin"
        try Run.write(try Run.read(files[1]), to: again)
        let twice = try Run.barrage(["report", "-type=json"] + files + [again])
        #expect(twice.status == 0)
        #expect(twice.stdoutText.contains("\"requests\":\(rate * seconds + rate * seconds / n),"))
        #expect(
            twice.stderr
                == "report: warning: seqs collide: \(files[1]) and \(again) "
                + "(the same shard run twice, or unsharded attacks merged)\n")
    }

    @Test("lazy targets: each shard skips the other shards' targets, and each ends when the stream does")
    func lazyShardsSkipTheOthersTargets() throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        let count = 7
        let targets = (0..<count).map { "GET \(server.base)/l\($0)\n" }.joined(separator: "\n")
        let files = (0..<3).map { dir + "/lazy-\($0).bin" }
        let shards = try (0..<3).map { k in
            try startShard(
                k, of: 3, ["-lazy", "-rate=200", "-duration=5s"], targets: targets, output: files[k],
                global: ["-cpus=1"])
        }
        for p in shards { #expect(p.finish().status == 0) }
        let all = try files.flatMap(readResults)
        let sent = all.filter { $0.error.isEmpty }
        #expect(sent.map(\.seq).sorted() == (0..<UInt64(count)).map { $0 })
        #expect(sent.allSatisfy { $0.url == "\(server.base)/l\($0.seq)" })
        #expect(server.hits == count)
        // The stream ends at hit 7; each shard's next hit after its last target says so (seqs 7, 8, 9).
        let ended = all.filter { !$0.error.isEmpty }
        #expect(ended.map(\.seq).sorted() == [7, 8, 9])
        #expect(ended.allSatisfy { $0.error == "no targets to attack" })
    }

    @Test("-shard=N takes K from JOB_COMPLETION_INDEX")
    func indexFromEnvironment() throws {
        let server = try #require(TestServer())
        var environment = ChildProcess.currentEnvironment().filter { !$0.hasPrefix("JOB_COMPLETION_INDEX=") }
        environment.append("JOB_COMPLETION_INDEX=2")
        let run = try runAttack(
            ["-shard=4", "-rate=100", "-duration=400ms"], targets: "GET \(server.base)/\n", environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.results.map(\.seq).sorted() == [2, 6, 10, 14, 18, 22, 26, 30, 34, 38])
    }

    @Test(
        "bad -shard and -start-at values are one-line usage errors",
        arguments: [
            (["-shard=3"], nil, "invalid value \"3\" for flag -shard: JOB_COMPLETION_INDEX is not set"),
            (["-shard=3"], "x", "invalid value \"3\" for flag -shard: JOB_COMPLETION_INDEX=\"x\" is not an index"),
            (["-shard=3"], "3", "invalid value \"3\" for flag -shard: JOB_COMPLETION_INDEX=\"3\" is not an index"),
            (["-shard=2/2"], nil, "invalid value \"2/2\" for flag -shard: want K/N with K from 0 to N-1"),
            (["-start-at=soon"], nil, "invalid value \"soon\" for flag -start-at: not an RFC 3339 time"),
            (
                ["-start-at=2020-01-01T00:00:00Z"], nil,
                "invalid value \"2020-01-01T00:00:00Z\" for flag -start-at: 2020-01-01T00:00:00Z passed "
            ),
        ] as [([String], String?, String)])
    func usageErrors(arguments: [String], index: String?, message: String) throws {
        var environment = ChildProcess.currentEnvironment().filter { !$0.hasPrefix("JOB_COMPLETION_INDEX=") }
        if let index { environment.append("JOB_COMPLETION_INDEX=" + index) }
        let run = try runAttack(
            arguments + ["-duration=1s"], targets: "GET http://127.0.0.1:1/\n", environment: environment)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").dropFirst().first == "Usage: barrage attack [flags]")
        #expect(run.results.isEmpty)
    }

    @Test("SIGINT while waiting for -start-at exits 0 at once, having sent nothing")
    func interruptWhileWaiting() throws {
        let server = try #require(TestServer())
        let dir = makeTempDirectory()
        let startAt = Timestamp.now().adding(nanoseconds: 40_000_000_000)
        let p = try startShard(
            0, of: 2, ["-rate=50", "-duration=1s", "-start-at=" + startAt.rfc3339Nano],
            targets: "GET \(server.base)/\n", output: dir + "/waiting.bin")
        // Ready once its signal watcher is in place (SIGINT blocked in favour of the signalfd).
        var polls = 0
        while !blocksSignal(p.pid, SIGINT) && polls < 2000 {
            usleep(10_000)
            polls += 1
        }
        #expect(blocksSignal(p.pid, SIGINT))
        p.signal(SIGINT)
        let (status, _, err) = p.finish()
        #expect(status == 0, "\(String(decoding: err, as: UTF8.self))")
        #expect(server.hits == 0)
        #expect(Timestamp.now() < startAt)
    }
}
