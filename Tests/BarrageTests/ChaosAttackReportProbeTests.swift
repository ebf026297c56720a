import BarrageCore
import ChaosGlue
import Foundation
import TestSupport
import Testing

/// The native `barrage.probes.attack_report` probe: its output is what `barrage report -type=json` prints for the
/// same files, so tolerances over it state SLOs.
@Suite("attack_report probe", .serialized, .timeLimit(.minutes(2)))
struct ChaosAttackReportProbeTests {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"

    /// `barrage report -type=json` of `files` (in the fixtures directory), parsed.
    static func report(_ files: [String], in dir: String) throws -> JSON {
        let out = try Run.barrage(["report", "-type=json"] + files, currentDirectory: dir)
        try #require(out.status == 0, "\(out.stderr)")
        return try JSONParser.parse(out.stdout)
    }

    static func probe(_ name: String, _ arguments: String) -> String {
        #"{"type": "probe", "name": "\#(name)", "provider": {"type": "python", "module": "barrage.probes", "func": "attack_report", "arguments": \#(arguments)}}"#
    }

    @Test func reportsAsBarrageReportAndFeedsTolerances() throws {
        let dir = Chaos.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json = try #require(Chaos.read(Self.fixtures + "/small.json"))
        Chaos.write(json, to: dir + "/small.json")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/small.bin", toPath: dir + "/small.bin")
        // The fixture's results are 100 ms apart: a window of 0.45 s before the newest holds its last five.
        let lines = json.split(separator: "\n")
        Chaos.write(lines.suffix(5).joined(separator: "\n") + "\n", to: dir + "/tail.json")

        let whole = try Self.report(["small.bin"], in: dir)
        let both = try Self.report(["small.bin", "small.json"], in: dir)
        let tail = try Self.report(["tail.json"], in: dir)
        let requests = try #require(whole["requests"])
        let success = try #require(whole["success"])
        let experiment = """
            {"title": "slo", "description": "d",
             "steady-state-hypothesis": {"title": "the attack met its SLO", "probes": [
               \(Self.probe("requests", #"{"results": "small.bin"}"#).dropLast()),
                 "tolerance": {"type": "jsonpath", "path": "$.requests", "expect": \(requests.pythonDumps())}},
               \(Self.probe("success", #"{"results": ["small.bin"]}"#).dropLast()),
                 "tolerance": {"type": "jsonpath", "path": "$.success", "expect": \(success.pythonDumps())}}]},
             "method": [\(Self.probe("both", #"{"results": ["small.bin", "small.json"]}"#)),
               \(Self.probe("window", #"{"results": "small.json", "window": "0.45s"}"#)),
               \(Self.probe("missing", #"{"results": "nope.bin"}"#)),
               \(Self.probe("bad", #"{"results": 5}"#))]}
            """
        Chaos.write(experiment, to: dir + "/e.json")
        let out = Chaos.run(["chaos", "--no-log-file", "run", "e.json"], cwd: dir)
        #expect(out.code == 0, "\(out.stderr)")
        let journal = try ExperimentLoader.loadFile(dir + "/journal.json")
        let before = try #require(journal["steady_states"]?["before"])
        #expect(before["steady_state_met"] == .bool(true))
        #expect(before["probes"]?.array?.first?["output"] == whole)
        let run = try #require(journal["run"]?.array)
        try #require(run.count == 4)
        #expect(run[0]["output"] == both)
        #expect(run[1]["output"] == tail)
        #expect(run[2]["status"] == .string("failed"))
        #expect(run[2]["exception"]?.array?.last?.string?.contains("nope.bin") == true)
        #expect(run[3]["status"] == .string("failed"))
    }

    @Test func aMissedSLODeviates() throws {
        let dir = Chaos.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Self.fixtures + "/small.bin", toPath: dir + "/small.bin")
        let success = try #require(try Self.report(["small.bin"], in: dir)["success"]?.number)
        try #require(success < 1)
        let experiment = """
            {"title": "slo", "description": "d", "method": [],
             "steady-state-hypothesis": {"title": "every request succeeded", "probes": [
               \(Self.probe("success", #"{"results": "small.bin"}"#).dropLast()),
                 "tolerance": {"type": "jsonpath", "path": "$.success", "expect": 1}}]}}
            """
        Chaos.write(experiment, to: dir + "/e.json")
        let out = Chaos.run(["chaos", "--no-log-file", "run", "e.json"], cwd: dir)
        #expect(
            out.lines.contains(
                "CRITICAL Steady state probe 'success' is not in the given tolerance so failing this experiment"))
    }

    @Test(arguments: [
        (
            #"{"results": "a.bin", "step": 1}"#,
            "argument 'step' is not part of the function signature in activity 'attack_report'"
        ),
        (#"{"window": "1s"}"#, "required argument 'results' is missing from activity 'attack_report'"),
    ])
    func validation(arguments: String, message: String) throws {
        let dir = Chaos.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Chaos.write(
            #"{"title": "t", "description": "d", "method": [\#(Self.probe("p", arguments))]}"#, to: dir + "/e.json")
        let out = Chaos.run(["chaos", "--no-log-file", "validate", "e.json"], cwd: dir)
        #expect(out.code == 1)
        #expect(out.lines.last == "ERROR " + message)
    }

    @Test func anUnknownFunctionIsNamed() throws {
        let dir = Chaos.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let activity = Self.probe("p", "{}").replacingOccurrences(of: "attack_report", with: "nope")
        Chaos.write(#"{"title": "t", "description": "d", "method": [\#(activity)]}"#, to: dir + "/e.json")
        let out = Chaos.run(["chaos", "--no-log-file", "validate", "e.json"], cwd: dir)
        #expect(
            out.lines.last
                == "ERROR The python module 'barrage.probes' does not expose a function called 'nope' in probe 'p'")
    }
}
