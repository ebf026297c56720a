import ChaosGlue
import Foundation
import TestSupport
import Testing

/// A signal reaches an http probe while its request waits on a slow server.
@Suite("chaos run signals during http", .timeLimit(.minutes(1)))
struct HTTPSignalTests {
    @Test func sigintInterruptsASlowRequest() throws {
        let dir = Chaos.tempDir()
        Chaos.write(
            """
            {"title": "t", "description": "d", "method": [
              {"type": "probe", "name": "slow", "provider": {"type": "http", "url": "\(Chaos.server.url)/slow"}}]}
            """, to: dir + "/e.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.barrage)
        process.arguments = ["chaos", "--no-log-file", "run", "e.json"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The run logs the probe just before its request starts; a signal before the request still interrupts it.
        var text = ""
        while !text.contains("Probe: slow") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        text += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let out = Chaos.Outcome(code: process.terminationStatus, stdout: "", stderr: text)
        #expect(out.code == 1)
        #expect(out.lines.contains("WARNING Received a termination signal (Ctrl-C)..."), "\(out.lines)")
        #expect(out.lines.last == "INFO Experiment ended with status: interrupted")
        let journal = try #require(try? ExperimentLoader.loadFile(dir + "/journal.json"))
        #expect(journal["status"] == .string("interrupted"))
        // The slow answer never arrived: no record holds it.
        let outputs = (journal["run"]?.array ?? []).compactMap { $0["output"]?["body"] }
        #expect(!outputs.contains(.string("slow\n")))
    }
}
