import ChaosGlue
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The two seed labs, adapted to local services (examples/lab1-local, examples/lab4-local): they deviate, then
/// pass after the fix the seeds describe.
@Suite("seed labs, locally")
struct SeedTests {
    static let examples = Paths.directory(of: #filePath) + "/../../examples"

    static func copy(_ lab: String, _ files: [String], into dir: String) {
        for f in files {
            try? FileManager.default.copyItem(atPath: "\(examples)/\(lab)/\(f)", toPath: "\(dir)/\(f)")
        }
    }

    static func run(_ dir: String, _ file: String, options: [String] = [], env: [String: String]) -> (Chaos.Outcome, JSON?) {
        var environment = env
        environment["PYTHONPATH"] = dir
        let out = Chaos.run(["chaos", "--no-log-file", "run"] + options + [file], cwd: dir, env: environment)
        return (out, try? ExperimentLoader.loadFile(dir + "/journal.json"))
    }

    @Test func lab1DeviatesWithOneReplicaAndPassesWithTwo() throws {
        let front = Chaos.server.url + "/json"
        let files = ["experiment-offline.json", "tolerances.py", "traffic.py"]
        let first = Chaos.tempDir()
        Self.copy("lab1-local", files, into: first)
        let (out, journal) = Self.run(first, "experiment-offline.json", env: ["FRONT_URL": front, "REPLICAS": "1"])
        #expect(out.code == 1, "\(out.stderr)")
        #expect(journal?["status"] == .string("completed"))
        #expect(journal?["deviated"] == .bool(true))
        let run = journal?["run"]?.array ?? []
        #expect(run.map { $0["output"]?["status"] ?? .null } == [.int(0), .int(0), .int(0), .int(0)], "built-in vegeta encode ran")
        #expect(FileManager.default.fileExists(atPath: first + "/vegeta_results.bin"))
        #expect(Array(out.lines.suffix(7)) == [
            "INFO Probe: front-service-does-not-return-an-error",
            "ERROR Found an error in traces: ConnectTimeout",
            "CRITICAL Steady state probe 'front-service-does-not-return-an-error' is not in the given tolerance so failing this experiment",
            "INFO Let's rollback...",
            "INFO No declared rollbacks, let's move on.",
            "INFO Experiment ended with status: deviated",
            "INFO The steady-state has deviated, a weakness may have been discovered",
        ])

        let second = Chaos.tempDir()
        Self.copy("lab1-local", files, into: second)
        let (fixed, fixedJournal) = Self.run(second, "experiment-offline.json", env: ["FRONT_URL": front, "REPLICAS": "2"])
        #expect(fixed.code == 0, "\(fixed.stderr)")
        #expect(fixedJournal?["status"] == .string("completed"))
        #expect(fixedJournal?["deviated"] == .bool(false))
        #expect(Array(fixed.lines.suffix(4)) == [
            "INFO Steady state hypothesis is met!", "INFO Let's rollback...", "INFO No declared rollbacks, let's move on.",
            "INFO Experiment ended with status: completed",
        ])
    }

    /// lab1 as the seed runs it: the background load is `vegeta attack` (the built-in attacker) against a live
    /// front service, the traces are encoded with `vegeta encode ... < bin`, and the tolerance reads them.
    @Test(.timeLimit(.minutes(2)))
    func lab1WithTheBuiltInAttacker() throws {
        for (replicas, deviated) in [("1", true), ("2", false)] {
            let dir = Chaos.tempDir()
            Self.copy("lab1-local", ["experiment.json", "tolerances.py", "front.py"], into: dir)
            let port = try Self.freePort()
            let front = Process()
            front.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            front.arguments = ["python3", dir + "/front.py", String(port)]
            front.currentDirectoryURL = URL(fileURLWithPath: dir)
            try front.run()
            defer {
                // SIGKILL: the test process may ignore SIGTERM (signal tests), and children inherit that.
                kill(front.processIdentifier, SIGKILL)
                front.waitUntilExit()
            }
            try Self.waitForPort(port)
            let env = ["FRONT_URL": "http://127.0.0.1:\(port)/", "REPLICAS": replicas, "PATH": "/usr/bin:/bin"]
            let (out, journal) = Self.run(dir, "experiment.json", env: env)
            #expect(out.code == (deviated ? 1 : 0), "\(out.stderr)")
            #expect(journal?["status"] == .string("completed"))
            #expect(journal?["deviated"] == .bool(deviated))
            #expect(out.lines.contains("ERROR Found an error in traces: ConnectTimeout") == deviated, "\(out.stderr)")
            // The attack really ran: 5/s for 4 s (the last hit falls on the boundary), every hit recorded and encoded.
            let traces = (Chaos.read(dir + "/vegeta_results.json") ?? "").split(separator: "\n")
            #expect((18...20).contains(traces.count), "\(traces.count) traces")
        }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Waits (bounded) until something accepts connections on the port.
    static func waitForPort(_ port: Int) throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(port).bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if ok == 0 { return }
            usleep(25_000)
        }
        throw CocoaError(.fileReadUnknown)
    }

    @Test func lab4ProbeToleranceDeviatesAndAlwaysRollsBack() throws {
        let name = "lab4-\(UUID().uuidString)"
        let dir = Chaos.server.root + "/" + name
        try FileManager.default.createDirectory(atPath: dir + "/api/v1", withIntermediateDirectories: true)
        Self.copy("lab4-local", ["experiment.json", "tolerances.py", "query_range.flat", "query_range.errors"], into: dir)
        try FileManager.default.copyItem(atPath: dir + "/query_range.flat", toPath: dir + "/api/v1/query_range")
        let env = ["FRONT_URL": Chaos.server.url + "/json", "PROMETHEUS_URL": Chaos.server.url + "/" + name]
        let (out, journal) = Self.run(dir, "experiment.json", options: ["--rollback-strategy=always"], env: env)
        #expect(out.code == 1, "\(out.stderr)")
        #expect(journal?["deviated"] == .bool(true))
        #expect(Array(out.lines.suffix(7)) == [
            "CRITICAL Steady state probe 'fetch-number-of-failed-calls-from-front-to-middle' is not in the given tolerance so failing this experiment",
            "WARNING Rollbacks were explicitly requested to be played",
            "INFO Let's rollback...",
            "INFO Rollback: remove-deny-all-ingress-traffic",
            "INFO Action: remove-deny-all-ingress-traffic",
            "INFO Experiment ended with status: deviated",
            "INFO The steady-state has deviated, a weakness may have been discovered",
        ])
        let tolerance = journal?["experiment"]?["steady-state-hypothesis"]?["probes"]?.array?.last?["tolerance"]
        #expect(tolerance?["provider"]?["arguments"]?["value"]?["status"] == .string("success"))
        #expect(Chaos.read(dir + "/api/v1/query_range") == Chaos.read(dir + "/query_range.flat"), "rolled back")

        // The fix: nothing denies ingress any more, so the counter stays flat.
        var fixedExperiment = try ExperimentLoader.loadFile(dir + "/experiment.json")
        fixedExperiment["method"] = .array([])
        try Journal.write(fixedExperiment, to: dir + "/fixed.json")
        let (fixed, fixedJournal) = Self.run(dir, "fixed.json", env: env)
        #expect(fixed.code == 0, "\(fixed.stderr)")
        #expect(fixedJournal?["deviated"] == .bool(false))
    }
}

@Suite("built-in vegeta commands from experiments")
struct BuiltInVegetaTests {
    @Test func plotAndReportStepsRunThisBinary() throws {
        let dir = Chaos.tempDir()
        try FileManager.default.copyItem(atPath: Chaos.fixtures + "/small.bin", toPath: dir + "/vegeta.bin")
        let experiment = """
            {"title": "t", "description": "d", "method": [
              {"type": "action", "name": "plot-traffic", "provider": {"type": "process", "path": "vegeta", "arguments": "plot vegeta.bin > vegeta.html"}},
              {"type": "action", "name": "report", "provider": {"type": "process", "path": "vegeta", "arguments": ["report", "vegeta.bin"]}},
              {"type": "action", "name": "encode", "provider": {"type": "process", "path": "barrage", "arguments": "encode --to csv < vegeta.bin"}}]}
            """
        Chaos.write(experiment, to: dir + "/e.json")
        let out = Chaos.run(["chaos", "--no-log-file", "run", "e.json"], cwd: dir, env: ["PATH": "/usr/bin:/bin"])
        #expect(out.code == 0, "\(out.stderr)")
        let journal = try ExperimentLoader.loadFile(dir + "/journal.json")
        let run = journal["run"]?.array ?? []
        #expect(run.map { $0["output"]?["status"] ?? .null } == [.int(0), .int(0), .int(0)])
        #expect((Chaos.read(dir + "/vegeta.html") ?? "").contains("<html"))
        #expect(run[1]["output"]?["stdout"]?.string?.hasPrefix("Requests      [total, rate, throughput]") == true)
        #expect(run[2]["output"]?["stdout"]?.string?.split(separator: "\n").count == 20)
    }
}
