import BarrageCore
import ChaosGlue
import Foundation
import TestSupport
import Testing

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
