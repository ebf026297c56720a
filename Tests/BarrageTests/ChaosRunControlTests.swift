import BarrageCore
import ChaosGlue
import Foundation
import Testing

/// Python controls through the bridge: every hook level, state kept across hooks, InterruptExecution and SystemExit.
@Suite("controls end to end")
struct ControlTests {
    static func experiment(_ arguments: String, controlsKey: Bool = true) -> String {
        """
        {"title": "controlled", "description": "d",
         \(controlsKey ? #""controls": [{"name": "recorder", "provider": {"type": "python", "module": "chaoscontrols", "arguments": \#(arguments)}}],"# : "")
         "steady-state-hypothesis": {"title": "h", "probes": [{"type": "probe", "name": "p", "tolerance": 0, "provider": {"type": "process", "path": "true"}}]},
         "method": [{"type": "action", "name": "a1", "provider": {"type": "process", "path": "true"}},
                    {"type": "action", "name": "a2", "provider": {"type": "process", "path": "true"}}],
         "rollbacks": [{"type": "action", "name": "r1", "provider": {"type": "process", "path": "true"}}]}
        """
    }

    @Test func everyLevelIsCalledInOrderOnOneModuleInstance() throws {
        let dir = Chaos.tempDir()
        let (out, journal, _) = Chaos.runExperiment(Self.experiment(#"{"path": "\#(dir)/hooks.txt"}"#))
        #expect(out.code == 0, "\(out.stderr)")
        #expect(journal?["status"] == .string("completed"))
        let hooks = (Chaos.read(dir + "/hooks.txt") ?? "").split(separator: "\n").map(String.init)
        #expect(
            hooks == [
                "configure:controlled", "before_experiment", "before_hypothesis", "before_activity:p",
                "after_activity:p:succeeded",
                "after_hypothesis:True", "before_method", "before_activity:a1", "after_activity:a1:succeeded",
                "before_activity:a2",
                "after_activity:a2:succeeded", "after_method:2", "before_hypothesis", "before_activity:p",
                "after_activity:p:succeeded",
                "after_hypothesis:True", "before_rollback", "before_activity:r1", "after_activity:r1:succeeded",
                "after_rollback:1",
                "after_experiment:completed", "cleanup:21:[]",
            ])
    }

    @Test func interruptExecutionFromAControlInterruptsTheRun() throws {
        let dir = Chaos.tempDir()
        let (out, journal, _) = Chaos.runExperiment(
            Self.experiment(#"{"path": "\#(dir)/hooks.txt", "interrupt_at": "a2"}"#),
            options: ["--rollback-strategy", "always"])
        #expect(out.code == 1)
        #expect(journal?["status"] == .string("interrupted"))
        #expect(out.lines.contains("CRITICAL Safeguard 'test' triggered the end of the experiment"))
        #expect(journal?["run"]?.array?.count == 1)
        #expect(journal?["rollbacks"]?.array?.count == 1)
        #expect(out.lines.last == "INFO Experiment ended with status: interrupted")
    }

    @Test func controlFileAndSystemExit() throws {
        let dir = Chaos.tempDir()
        let control =
            #"{"guard": {"provider": {"type": "python", "module": "chaoscontrols", "arguments": {"path": "\#(dir)/hooks.txt", "exit_at": "a1"}}}}"#
        let (out, journal, _) = Chaos.runExperiment(
            Self.experiment("{}", controlsKey: false), options: ["--control-file", "controls.json"],
            files: ["controls.json": control])
        #expect(out.code == 1)
        #expect(journal?["status"] == .string("interrupted"))
        #expect(out.lines.contains("WARNING Received the exit signal: 20"))
        #expect(journal?["rollbacks"] == .array([]))
    }
}

@Suite("safeguard-like control")
struct SafeguardTests {
    @Test func aControlThreadEndsTheRunGracefully() throws {
        let dir = Chaos.tempDir()
        let experiment = """
            {"title": "lab5-like", "description": "d",
             "controls": [{"name": "safeguards", "provider": {"type": "python", "module": "chaosguard", "arguments": {"trigger": "\(dir)/alert"}}}],
             "method": [
               {"type": "action", "name": "crash-loop", "provider": {"type": "process", "path": "touch", "arguments": ["\(dir)/alert"]}},
               {"type": "action", "name": "wait", "pauses": {"before": 30}, "provider": {"type": "process", "path": "true"}}],
             "rollbacks": [{"type": "action", "name": "undo", "provider": {"type": "process", "path": "true"}}]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment, options: ["--rollback-strategy=always"])
        #expect(out.code == 1)
        #expect(journal?["status"] == .string("interrupted"))
        let lines = out.lines
        let critical = lines.firstIndex(
            of: "CRITICAL Safeguard 'no-crashloop-alerted' triggered the end of the experiment")
        let exit = lines.firstIndex(of: "WARNING Received the exit signal: 20")
        #expect(critical != nil && exit != nil && (critical ?? 0) < (exit ?? 0), "\(lines)")
        #expect(lines.contains("INFO Let's rollback..."))
        #expect(lines.last == "INFO Experiment ended with status: interrupted")
    }
}

@Suite("settings file")
struct SettingsTests {
    @Test func settingsGiveStrategiesAndGlobalControlsButTheCLIWins() throws {
        let dir = Chaos.tempDir()
        let settings = """
            runtime:
              rollbacks:
                strategy: never
              hypothesis:
                strategy: after-method-only
            controls:
              recorder:
                provider:
                  type: python
                  module: chaoscontrols
                  arguments:
                    path: \(dir)/hooks.txt
            """
        let experiment = """
            {"title": "t", "description": "d",
             "steady-state-hypothesis": {"title": "h", "probes": [{"type": "probe", "name": "p", "tolerance": 0, "provider": {"type": "process", "path": "true"}}]},
             "method": [], "rollbacks": [{"type": "action", "name": "r", "provider": {"type": "process", "path": "true"}}]}
            """
        let (out, journal, _) = Chaos.runExperiment(
            experiment, files: ["settings.yaml": settings], global: ["--no-log-file", "--settings", "settings.yaml"])
        #expect(out.code == 0, "\(out.stderr)")
        #expect(out.lines.contains("INFO Steady-state strategy: after-method-only"))
        #expect(out.lines.contains("INFO Rollbacks strategy: never"))
        #expect(journal?["steady_states"]?["before"] == .null)
        #expect(journal?["rollbacks"] == .array([]))
        #expect((Chaos.read(dir + "/hooks.txt") ?? "").hasPrefix("configure:t\nbefore_experiment\n"))

        let (cli, cliJournal, _) = Chaos.runExperiment(
            experiment, options: ["--rollback-strategy", "always"], files: ["settings.yaml": settings],
            global: ["--no-log-file", "--settings", "settings.yaml"])
        #expect(cli.lines.contains("INFO Rollbacks strategy: always"))
        #expect(cliJournal?["rollbacks"]?.array?.count == 1)
    }
}
