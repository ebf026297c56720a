import Attacker
import BarrageCore
import Encoder
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Why the ssh/pdsh test cannot run here, or nil when it can: it needs root, network namespaces, sshd and pdsh.
let netnsUnavailable: String? = {
    guard getuid() == 0 else { return "not root: network namespaces need root" }
    // A namespace made and removed at once: listing them works even where making one is not permitted.
    let probe = "bshprobe\(getpid())"
    guard let made = try? Run.process("/usr/sbin/ip", ["netns", "add", probe]), made.status == 0 else {
        return "`ip netns add` is unavailable (iproute2 missing, or network namespaces not permitted here)"
    }
    _ = try? Run.process("/usr/sbin/ip", ["netns", "del", probe])
    for tool in ["/usr/sbin/sshd", "/usr/bin/pdsh", "/usr/bin/ssh-keygen", "/usr/bin/scp", "/usr/bin/curl"]
    where access(tool, X_OK) != 0 {
        return "\(tool) is missing (make deps-test installs openssh-server, pdsh and curl)"
    }
    return nil
}()

@Suite(
    "Sharded attack over ssh and pdsh, hosts as network namespaces", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: netnsUnavailable == nil, Comment(rawValue: netnsUnavailable ?? "")))
struct ShardNetnsTests {
    @Test("pdsh starts three shards over ssh; scp brings their files back; they report as one attack")
    func pdshOverSSH() throws {
        let dir = makeTempDirectory()
        let script = Paths.directory(of: #filePath) + "/Fixtures/netns-shards.sh"
        let tag = String(getpid() % 100_000)
        let (hosts, rate, seconds) = (3, 100, 2)
        // Torn down however the test ends (the script also tears down on its own exit).
        defer { _ = try? Run.process("/bin/bash", [script, "down", tag, dir]) }
        let run = try Run.process(
            "/bin/bash", [script, "run", tag, dir, Paths.barrage, String(hosts), String(rate), "\(seconds)s"])
        #expect(run.status == 0, "\(run.stderr)")
        guard run.status == 0 else { return }

        let total = rate * seconds
        let served = Int(String(decoding: try Run.read(dir + "/count"), as: UTF8.self))
        #expect(served == total)
        let report = String(decoding: try Run.read(dir + "/report.json"), as: UTF8.self)
        #expect(report.contains("\"requests\":\(total),"))
        #expect(report.contains("\"status_codes\":{\"200\":\(total)}"))
        #expect(try Run.read(dir + "/report.stderr").isEmpty)

        let startText = String(decoding: try Run.read(dir + "/start-at"), as: UTF8.self)
        let startAt = try #require(StartTime.parse(startText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let interval = Int64(1_000_000_000 / rate)
        let addresses = String(decoding: try Run.read(dir + "/hosts"), as: UTF8.self).split(separator: "\n")
        #expect(addresses.count == hosts)
        var seqs: [UInt64] = []
        var shards: Set<UInt64> = []
        var firstLate: [Int64] = []
        for address in addresses {
            let results = try readResults(dir + "/collected/\(address).bin")
            let shard = try #require(results.first).seq % UInt64(hosts)
            shards.insert(shard)
            #expect(results.allSatisfy { $0.seq % UInt64(hosts) == shard })
            seqs += results.map(\.seq)
            // The shard's first hit is global hit `shard`, due (shard+1) intervals after the instant.
            let first = try #require(results.min { $0.seq < $1.seq })
            #expect(first.seq == shard)
            firstLate.append(
                first.timestamp.unixNanoseconds - (startAt.unixNanoseconds + (Int64(shard) + 1) * interval))
        }
        #expect(shards == Set((0..<UInt64(hosts)).map { $0 }))
        #expect(seqs.sorted() == (0..<UInt64(total)).map { $0 })
        // Started together: every host's first hit left on its due time, none early, within a few ms.
        print("netns shards: first hit after its due time, per host (ms):", firstLate.map { Double($0) / 1e6 })
        #expect(firstLate.allSatisfy { $0 >= 0 && $0 < 25_000_000 }, "\(firstLate)")
    }
}
