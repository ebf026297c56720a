import BarrageCore
import ChaosGlue
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A signal reaches an http probe while its request waits on a slow server.
@Suite("chaos run signals during http", .timeLimit(.minutes(3)))
struct HTTPSignalTests {
    @Test func sigintInterruptsASlowRequest() throws {
        let dir = Chaos.tempDir()
        Chaos.write(
            """
            {"title": "t", "description": "d", "method": [
              {"type": "probe", "name": "slow", "provider": {"type": "http", "url": "\(Chaos.server.url)/slow"}}]}
            """, to: dir + "/e.json")
        // The run logs the probe just before its request starts; a signal before the request still interrupts it.
        let out = try signalDuring(dir, options: [], signal: SIGINT, after: "Probe: slow")
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
