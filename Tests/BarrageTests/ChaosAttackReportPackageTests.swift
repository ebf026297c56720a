import BarrageCore
import Foundation
import TestSupport
import Testing

/// The `barrage-probes` Python package (`python/`) under the real `chaos run` against barrage's native
/// `barrage.probes.attack_report` under `barrage chaos run`: over one result file from a real `barrage attack`, the
/// same run status, the same probe outputs and the same tolerance verdicts.
@Suite(
    "barrage.probes package under the real chaos", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: RealChaos.path != nil, "run scripts/ensure-chaostoolkit"))
struct ChaosAttackReportPackageTests {
    static func probe(_ name: String, _ arguments: String, tolerance: String? = nil) -> String {
        let provider =
            #""provider": {"type": "python", "module": "barrage.probes", "func": "attack_report", "arguments": \#(arguments)}"#
        return
            #"{"type": "probe", "name": "\#(name)", \#(provider)\#(tolerance.map { ", \"tolerance\": " + $0 } ?? "")}"#
    }

    /// (name, steady-state probes, method, texts the journal summary holds) over the result file `{results}`. A
    /// steady state not met before the method ends the run "completed" with the method skipped (chaoslib 1.44).
    static let cases: [(String, [String], [String], [String])] = [
        (
            "SLO met",
            [
                probe(
                    "success", #"{"results": "{results}"}"#,
                    tolerance: #"{"type": "jsonpath", "path": "$.success", "expect": 1}"#),
                probe(
                    "p99", #"{"results": ["{results}"]}"#,
                    tolerance: #"{"type": "jsonpath", "path": "$.latencies[?(@[\"99th\"] < 60000000000)]", "count": 1}"#
                ),
            ],
            [
                probe("window", #"{"results": "{results}", "window": "0.3s"}"#),
                probe("seconds", #"{"results": "{results}", "window": 0.45}"#),
                probe("hour", #"{"results": ["{results}", "{results}"], "window": "1h"}"#),
            ],
            [#""status": "completed""#, #""requests": 20,"#, #""requests": 40,"#, #""tolerance_met": true"#]
        ),
        (
            "SLO not met",
            [
                probe(
                    "success", #"{"results": "{results}"}"#,
                    tolerance: #"{"type": "jsonpath", "path": "$.success", "expect": 1}"#),
                probe(
                    "requests", #"{"results": "{results}"}"#,
                    tolerance: #"{"type": "jsonpath", "path": "$.requests", "expect": 7}"#),
            ],
            [],
            [#""status": "completed""#, #""before_met": false"#, #""tolerance_met": false"#]
        ),
        (
            "missing file and bad window",
            [],
            [
                probe("missing", #"{"results": "{results}.nope"}"#),
                probe("bad window", #"{"results": "{results}", "window": "soon"}"#),
            ],
            [#""status": "completed""#, #""name": "missing", "status": "failed", "output": null"#]
        ),
    ]

    /// A fresh directory holding `r.bin`, made by `barrage attack` at 20/s for 1 s against the loopback server.
    static func attack() throws -> String {
        let dir = try Run.temporaryDirectory()
        let targets = dir + "/targets.txt"
        Chaos.write("GET \(Chaos.server.url)/marker.txt\n", to: targets)
        let out = try Run.barrage(
            ["attack", "-rate=20", "-duration=1s", "-targets=" + targets, "-output=" + dir + "/r.bin"])
        try #require(out.status == 0, "\(out.stderr)")
        return dir
    }

    /// The package installed (`pip install --target`) into a fresh directory, for PYTHONPATH.
    static func install(python: String) throws -> String {
        let target = try Run.temporaryDirectory()
        let out = try Run.process(
            python,
            [
                "-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check", "--target", target,
                Paths.packageRoot + "/python",
            ])
        try #require(out.status == 0, "\(out.stderr)")
        return target
    }

    /// The journal's statuses, probe outputs and tolerance verdicts (times and exceptions aside).
    static func summary(_ dir: String) -> String? {
        guard let data = FileManager.default.contents(atPath: dir + "/journal.json"),
            let j = try? JSONParser.parse(Array(data))
        else { return nil }
        func records(_ list: JSON?) -> JSON {
            .array(
                (list?.array ?? []).map { r in
                    .object([
                        .init("name", r["activity"]?["name"] ?? .null), .init("status", r["status"] ?? .null),
                        .init("output", r["output"] ?? .null), .init("tolerance_met", r["tolerance_met"] ?? .null),
                    ])
                })
        }
        let states = j["steady_states"]
        return JSON.object([
            .init("status", j["status"] ?? .null), .init("deviated", j["deviated"] ?? .null),
            .init("before_met", states?["before"]?["steady_state_met"] ?? .null),
            .init("before", records(states?["before"]?["probes"])),
            .init("after", records(states?["after"]?["probes"])), .init("run", records(j["run"])),
        ]).pythonDumps()
    }

    @Test("same outcome", arguments: cases.indices)
    func same(_ index: Int) throws {
        let (name, probes, method, texts) = Self.cases[index]
        let chaos = try #require(RealChaos.path)
        let python = try #require(Paths.chaostoolkitPython)
        let site = try Self.install(python: python)
        let attack = try Self.attack()
        defer {
            try? FileManager.default.removeItem(atPath: site)
            try? FileManager.default.removeItem(atPath: attack)
        }
        let hypothesis =
            probes.isEmpty
            ? "" : #""steady-state-hypothesis": {"title": "h", "probes": [\#(probes.joined(separator: ", "))]},"#
        let experiment =
            #"{"title": "t", "description": "d", \#(hypothesis) "method": [\#(method.joined(separator: ", "))]}"#
            .replacingOccurrences(of: "{results}", with: attack + "/r.bin")

        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = site
        environment["BARRAGE"] = Paths.barrage
        var summaries: [String?] = []
        var statuses: [Int32] = []
        for argv in [[chaos, "--no-version-check"], [Paths.barrage, "chaos"]] {
            let dir = try Run.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            Chaos.write(experiment, to: dir + "/e.json")
            let out = try Run.process(
                argv[0], Array(argv.dropFirst()) + ["--no-log-file", "run", "e.json"], environment: environment,
                currentDirectory: dir)
            statuses.append(out.status)
            summaries.append(Self.summary(dir))
        }
        #expect(statuses[1] == statuses[0], "\(name)")
        #expect(summaries[0] != nil, "\(name)")
        #expect(summaries[1] == summaries[0], "\(name)")
        for text in texts { #expect(summaries[0]?.contains(text) == true, "\(name): \(text) in \(summaries[0] ?? "")") }
    }
}
