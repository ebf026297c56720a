import BarrageCore
import ChaosGlue
import Foundation
import TestSupport
import Testing

/// Runs `barrage chaos run [options] e.json` in `dir`, sends `signal` once the run has written `line` to stderr,
/// and returns the outcome with everything the run wrote to stderr. The default line is the 60 s pause the signal
/// tests' experiment has.
func signalDuring(
    _ dir: String, options: [String], signal: Int32, after line: String = "Pausing before next activity for 60s..."
) throws -> Chaos.Outcome {
    let process = try #require(
        ChildProcess(
            [Paths.barrage, "chaos", "--no-log-file", "run"] + options + ["e.json"], currentDirectory: dir,
            stdin: .file("/dev/null"), stdout: .file("/dev/null")))
    var text = ""
    while !text.contains(line) {
        let chunk = process.readStderrChunk()
        if chunk.isEmpty { break }
        text += String(decoding: chunk, as: UTF8.self)
    }
    process.signal(signal)
    let (status, _, rest) = process.finish()
    text += String(decoding: rest, as: UTF8.self)
    return Chaos.Outcome(code: status, stdout: "", stderr: text)
}

/// Signals reach a running experiment while it pauses (the run reports that line first, so no sleeps are needed).
@Suite("chaos run signals")
struct SignalTests {
    struct Case: Sendable, CustomStringConvertible {
        var signal: Int32
        var options: [String]
        var expected: [String]
        var rollbacksPlayed: Bool
        var description: String { "signal \(signal) \(options)" }
    }

    static let cases: [Case] = [
        Case(
            signal: SIGTERM, options: [],
            expected: [
                "WARNING Caught SIGTERM signal, interrupting experiment now", "CRITICAL SIGTERM signal received",
            ],
            rollbacksPlayed: false),
        Case(
            signal: SIGINT, options: [], expected: ["WARNING Received a termination signal (Ctrl-C)..."],
            rollbacksPlayed: false),
        Case(
            signal: SIGUSR1, options: ["--rollback-strategy", "always"],
            expected: [
                "WARNING Received the exit signal: 20", "WARNING Rollbacks were explicitly requested to be played",
                "INFO Let's rollback...",
            ],
            rollbacksPlayed: true),
        Case(
            signal: SIGUSR2, options: ["--rollback-strategy", "always"],
            expected: ["WARNING Received the exit signal: 30", "WARNING Ignoring rollbacks as per signal"],
            rollbacksPlayed: false),
    ]

    @Test("signal statuses", arguments: cases)
    func signal(c: Case) throws {
        let dir = Chaos.tempDir()
        Chaos.write(
            """
            {"title": "t", "description": "d", "method": [
              {"type": "action", "name": "bg", "background": true, "provider": {"type": "process", "path": "sleep", "arguments": ["\(c.signal == SIGUSR2 ? "30" : "0.2")"]}},
              {"type": "action", "name": "waits", "pauses": {"before": 60}, "provider": {"type": "process", "path": "true"}}],
             "rollbacks": [{"type": "action", "name": "r", "provider": {"type": "process", "path": "true"}}]}
            """, to: dir + "/e.json")
        let out = try signalDuring(dir, options: c.options, signal: c.signal)
        #expect(out.code == 1)
        for line in c.expected { #expect(out.lines.contains(line), "\(line) in \(out.lines)") }
        #expect(out.lines.last == "INFO Experiment ended with status: interrupted")
        let journal = try #require(try? ExperimentLoader.loadFile(dir + "/journal.json"))
        #expect(journal["status"] == .string("interrupted"))
        #expect((journal["rollbacks"]?.array?.count ?? 0) == (c.rollbacksPlayed ? 1 : 0))
        let bg = journal["run"]?.array?.first
        #expect(bg?["activity"]?["name"] == .string("bg"))
        // SIGUSR2: the background activity is stopped and its record keeps no status (as chaostoolkit's).
        #expect(bg?["status"] == (c.signal == SIGUSR2 ? nil : .string("succeeded")))
        #expect(bg?["duration"] != nil)
    }
}

@Suite("signal during rollbacks")
struct RollbackSignalTests {
    @Test func aSignalStopsTheRemainingRollbacks() throws {
        let dir = Chaos.tempDir()
        Chaos.write(
            """
            {"title": "t", "description": "d", "method": [],
             "rollbacks": [
               {"type": "action", "name": "r1", "pauses": {"before": 60}, "provider": {"type": "process", "path": "true"}},
               {"type": "action", "name": "r2", "provider": {"type": "process", "path": "true"}}]}
            """, to: dir + "/e.json")
        let out = try signalDuring(dir, options: [], signal: SIGINT)
        #expect(out.code == 1)
        #expect(
            Array(out.lines.suffix(3)) == [
                "INFO Pausing before next activity for 60s...",
                "WARNING Received an exit signal.Terminating now without running the remaining rollbacks.",
                "INFO Experiment ended with status: interrupted",
            ])
        let journal = try ExperimentLoader.loadFile(dir + "/journal.json")
        #expect(journal["status"] == .string("interrupted"))
        #expect(journal["rollbacks"] == .array([]))
    }
}
