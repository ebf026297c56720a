import BarrageCore
import ChaosGlue
import Foundation
import Testing

/// End-to-end runs of real experiment files through the built binary, against a loopback server and real processes.
@Suite("chaos run end to end")
struct RunTests {
    static var base: String { Chaos.server.url }

    static func activity(_ type: String, _ name: String, _ provider: String, extra: String = "") -> String {
        #"{"type": "\#(type)", "name": "\#(name)"\#(extra.isEmpty ? "" : ", " + extra), "provider": \#(provider)}"#
    }
    static func process(_ path: String, _ args: String) -> String {
        #"{"type": "process", "path": "\#(path)", "arguments": \#(args)}"#
    }

    static func status(_ j: JSON?) -> String? { j?["status"]?.string }

    @Test func completedRunWritesTheJournalAndTheConsoleLines() throws {
        let experiment = """
            {"title": "Serving ${what}", "description": "d", "version": "1.0.0",
             "configuration": {"base_url": "\(Self.base)", "what": "markers", "count": {"type": "env", "key": "CHAOS_TEST_COUNT_UNSET", "default": "4", "env_var_type": "int"}},
             "secrets": {"api": {"token": "s3cr3t-token"}},
             "steady-state-hypothesis": {"title": "The marker is served", "probes": [
                {"type": "probe", "name": "marker-must-be-200", "tolerance": 200, "provider": {"type": "http", "url": "${base_url}/marker.txt", "timeout": 3}},
                {"type": "probe", "name": "json-has-two-items", "tolerance": {"type": "jsonpath", "path": "$.items[*]", "target": "body", "count": 2},
                 "provider": {"type": "http", "url": "${base_url}/json"}}]},
             "method": [
                \(Self.activity("action", "background-sleep", Self.process("sleep", #"["0.2"]"#), extra: #""background": true"#)),
                \(Self.activity("action", "echo-count", Self.process("echo", #"["n=${count}", "$$HOME"]"#), extra: #""pauses": {"after": 0.1}"#)),
                \(Self.activity("probe", "python-add", #"{"type": "python", "module": "chaostests", "func": "add", "arguments": {"a": "${count}", "b": 2}}"#)),
                \(Self.activity("action", "python-config", #"{"type": "python", "module": "chaostests", "func": "needs_config", "arguments": {"name": "x"}, "secrets": ["api"]}"#)),
                \(Self.activity("action", "exit-3", Self.process("sh", #"["-c", "exit 3"]"#)))],
             "rollbacks": [\(Self.activity("action", "say-rollback", Self.process("echo", #"["rolled", "", null, 5]"#)))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0, "\(out.stderr)")
        let j = try #require(journal)
        #expect(
            j.members?.map(\.key) == [
                "chaoslib-version", "platform", "node", "experiment", "start", "status", "deviated", "steady_states",
                "run",
                "rollbacks", "end", "duration",
            ])
        #expect(j["status"] == .string("completed"))
        #expect(j["deviated"] == .bool(false))
        #expect(j["experiment"]?["title"] == .string("Serving markers"))
        #expect(j["experiment"]?["dry"] == .null)
        #expect(j["experiment"]?["version"] == .string("1.0.0"))
        #expect(j["start"]?.string?.hasSuffix("+00:00") == true)
        #expect(j["start"]?.string?.count == 32)
        let before = try #require(j["steady_states"]?["before"])
        #expect(before["steady_state_met"] == .bool(true))
        let probe = try #require(before["probes"]?.array?.first)
        #expect(
            probe.members?.map(\.key) == ["activity", "output", "start", "status", "end", "duration", "tolerance_met"])
        #expect(probe["output"]?["status"] == .int(200))
        #expect(probe["output"]?["body"] == .string("hello chaos\n"))
        #expect(probe["activity"]?["provider"]?["url"] == .string("${base_url}/marker.txt"))
        let run = try #require(j["run"]?.array)
        #expect(
            run.map { $0["activity"]?["name"]?.string ?? "" } == [
                "background-sleep", "echo-count", "python-add", "python-config", "exit-3",
            ])
        #expect(run[1]["output"]?["stdout"] == .string("n=4 $HOME\n"))
        #expect(run[2]["output"] == .int(6))
        #expect(run[3]["output"]?["config"]?["what"] == .string("markers"))
        #expect(run[3]["output"]?["secrets"]?["token"] == .string("***"), "secrets are masked in the journal")
        #expect(run[4]["output"]?["status"] == .int(3))
        #expect(run[4]["status"] == .string("succeeded"))
        #expect(j["rollbacks"]?.array?.first?["output"]?["stdout"] == .string("rolled 5\n"))
        #expect(!out.stderr.contains("s3cr3t"))
        #expect(
            out.lines == [
                "INFO Validating the experiment's syntax",
                "INFO Experiment looks valid",
                "INFO Running experiment: Serving markers",
                "INFO Steady-state strategy: default",
                "INFO Rollbacks strategy: default",
                "INFO Steady state hypothesis: The marker is served",
                "INFO Probe: marker-must-be-200",
                "INFO Probe: json-has-two-items",
                "INFO Steady state hypothesis is met!",
                "INFO Playing your experiment's method now...",
                "INFO Action: background-sleep [in background]",
                "INFO Action: echo-count",
                "INFO Pausing after activity for 0.1s...",
                "INFO Probe: python-add",
                "INFO Action: python-config",
                "INFO Action: exit-3",
                "WARNING This process returned a non-zero exit code. This may indicate some error and not what you expected. Please have a look at the logs.",
                "INFO Steady state hypothesis: The marker is served",
                "INFO Probe: marker-must-be-200",
                "INFO Probe: json-has-two-items",
                "INFO Steady state hypothesis is met!",
                "INFO Let's rollback...",
                "INFO Rollback: say-rollback",
                "INFO Action: say-rollback",
                "INFO Experiment ended with status: completed",
            ])
        #expect(out.stderr.hasPrefix("\u{1B}[32m["))
    }

    static func markerExperiment(_ url: String, method: String, rollbacks: String = "[]") -> String {
        """
        {"title": "Removing the marker", "description": "d",
         "steady-state-hypothesis": {"title": "The marker is served", "probes": [
            {"type": "probe", "name": "marker-must-be-200", "tolerance": 200, "provider": {"type": "http", "url": "\(url)", "timeout": 3}}]},
         "method": \(method), "rollbacks": \(rollbacks)}
        """
    }

    @Test func deviatedRunPlaysRollbacksAndExitsOne() throws {
        let dir = Chaos.tempDir()
        Chaos.write("marker\n", to: dir + "/m.txt")
        let url = "\(Self.base)/dev-\(UUID().uuidString).txt"
        let name = String(url.split(separator: "/").last ?? "")
        let served = Chaos.server.root + "/" + name
        Chaos.write("x\n", to: served)
        let method = "[\(Self.activity("action", "delete-the-marker", Self.process("rm", "[\"\(served)\"]")))]"
        let rollbacks =
            "[\(Self.activity("action", "restore-the-marker", Self.process("sh", "[\"-c\", \"echo x > \(served)\"]")))]"
        let (out, journal, _) = Chaos.runExperiment(Self.markerExperiment(url, method: method, rollbacks: rollbacks))
        #expect(out.code == 1)
        #expect(Self.status(journal) == "completed")
        #expect(journal?["deviated"] == .bool(true))
        #expect(journal?["steady_states"]?["after"]?["steady_state_met"] == .bool(false))
        #expect(journal?["steady_states"]?["after"]?["probes"]?.array?.first?["output"]?["status"] == .int(404))
        #expect(journal?["steady_states"]?["after"]?["probes"]?.array?.first?["tolerance_met"] == .bool(false))
        #expect(
            Array(out.lines.suffix(6)) == [
                "INFO Probe: marker-must-be-200",
                "CRITICAL Steady state probe 'marker-must-be-200' is not in the given tolerance so failing this experiment",
                "INFO Let's rollback...",
                "INFO Rollback: restore-the-marker",
                "INFO Action: restore-the-marker",
                "INFO Experiment ended with status: deviated",
            ] || out.lines.last == "INFO The steady-state has deviated, a weakness may have been discovered")
        #expect(out.lines.last == "INFO The steady-state has deviated, a weakness may have been discovered")
        #expect(FileManager.default.fileExists(atPath: served), "the rollback restored the marker")
    }

    @Test func beforeHypothesisProbeErrorFailsAndSkipsMethodAndRollbacks() throws {
        let method = "[\(Self.activity("action", "never", Self.process("true", "[]")))]"
        let rollbacks = "[\(Self.activity("action", "never-rollback", Self.process("true", "[]")))]"
        let (out, journal, _) = Chaos.runExperiment(
            Self.markerExperiment("http://127.0.0.1:1/marker.txt", method: method, rollbacks: rollbacks))
        #expect(out.code == 1)
        #expect(Self.status(journal) == "failed")
        #expect(journal?["deviated"] == .bool(false))
        #expect(journal?["run"] == .array([]))
        #expect(journal?["rollbacks"] == .array([]))
        let probe = journal?["steady_states"]?["before"]?["probes"]?.array?.first
        #expect(probe?["status"] == .string("failed"))
        #expect(
            probe?.members?.map(\.key) == [
                "activity", "output", "start", "status", "exception", "end", "duration", "tolerance_met",
            ])
        #expect(
            probe?["exception"]?.array?.last?.string?.hasPrefix(
                "chaoslib.exceptions.ActivityFailed: failed to connect to http://127.0.0.1:1/marker.txt") == true)
        let lines = out.lines
        #expect(
            lines.contains { $0.hasPrefix("ERROR   => failed: failed to connect to http://127.0.0.1:1/marker.txt: ") })
        #expect(
            Array(lines.suffix(3)) == [
                "WARNING Probe terminated unexpectedly, so its tolerance could not be validated",
                "CRITICAL Steady state probe 'marker-must-be-200' is not in the given tolerance so failing this experiment",
                "INFO Experiment ended with status: failed",
            ])
    }

    @Test func beforeHypothesisToleranceMissCompletesAndPlaysRollbacks() throws {
        let method = "[\(Self.activity("action", "never", Self.process("true", "[]")))]"
        let rollbacks = "[\(Self.activity("action", "say-rollback", Self.process("true", "[]")))]"
        let (out, journal, _) = Chaos.runExperiment(
            Self.markerExperiment("\(Self.base)/missing-\(UUID().uuidString)", method: method, rollbacks: rollbacks))
        #expect(out.code == 0)
        #expect(Self.status(journal) == "completed")
        #expect(journal?["run"] == .array([]))
        #expect(journal?["rollbacks"]?.array?.count == 1)
        #expect(!out.lines.contains("INFO Playing your experiment's method now..."))
        #expect(out.lines.contains("INFO Let's rollback..."))
    }

    static let strategies: [(String, [String], Bool)] = [
        ("never", ["WARNING Rollbacks were explicitly requested to not be played"], false),
        ("always", ["WARNING Rollbacks were explicitly requested to be played", "INFO Let's rollback..."], true),
        (
            "deviated",
            [
                "WARNING Rollbacks were explicitely requested to be played only if the experiment deviated. Since this is not the case, we will not play them."
            ], false
        ),
        ("default", ["INFO Let's rollback..."], true),
    ]

    @Test("rollback strategies", arguments: strategies)
    func rollbackStrategy(strategy: String, expected: [String], played: Bool) throws {
        let experiment = """
            {"title": "t", "description": "d", "method": [\(Self.activity("action", "a", Self.process("true", "[]")))],
             "rollbacks": [\(Self.activity("action", "r", Self.process("true", "[]")))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment, options: ["--rollback-strategy=\(strategy)"])
        #expect(out.code == 0)
        #expect(out.lines.contains("INFO Rollbacks strategy: \(strategy)"))
        #expect(out.lines.contains("INFO No steady state hypothesis defined. That's ok, just exploring."))
        for line in expected { #expect(out.lines.contains(line), "\(line)") }
        #expect((journal?["rollbacks"]?.array?.count ?? 0) == (played ? 1 : 0))
    }

    @Test func dryActivitiesRunsNothingButLogsEverything() throws {
        let dir = Chaos.tempDir()
        let experiment = """
            {"title": "t", "description": "d",
             "steady-state-hypothesis": {"title": "h", "probes": [\(Self.activity("probe", "p", Self.process("false", "[]"), extra: #""tolerance": 0"#))]},
             "method": [\(Self.activity("action", "touch", Self.process("touch", "[\"\(dir)/touched\"]"), extra: #""pauses": {"before": 30}"#)),
                        \(Self.activity("action", "own-dry", Self.process("touch", "[\"\(dir)/own\"]"), extra: #""dry": "activities""#))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment, options: ["--dry", "activities"])
        #expect(out.code == 0)
        #expect(journal?["experiment"]?["dry"] == .string("activities"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/touched"))
        #expect(
            FileManager.default.fileExists(atPath: dir + "/own"),
            "an activity-level dry string never matches, so it runs")
        #expect(out.lines.contains("WARNING Running experiment with dry activities"))
        #expect(out.lines.contains("INFO Pausing before next activity for 30s..."))
        #expect(journal?["run"]?.array?.first?["output"] == .null)
        #expect(journal?["run"]?.array?.first?["status"] == .string("succeeded"))
    }

    @Test func processTimeoutKillsTheGroupAndFailsTheActivity() throws {
        let experiment = """
            {"title": "t", "description": "d", "method": [
              \(Self.activity("action", "hang", #"{"type": "process", "path": "sh", "arguments": "-c 'sleep 30 & sleep 30'", "timeout": 0.3}"#)),
              \(Self.activity("action", "after", Self.process("echo", #"["next"]"#)))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0)
        let run = journal?["run"]?.array ?? []
        #expect(run.first?["status"] == .string("failed"))
        #expect(
            run.first?["exception"]?.array?.last
                == .string("chaoslib.exceptions.ActivityFailed: process activity took too long to complete\n"))
        #expect((run.first?["duration"]?.number ?? 99) < 5)
        #expect(run.last?["output"]?["stdout"] == .string("next\n"))
        #expect(out.lines.contains("ERROR   => failed: process activity took too long to complete"))
    }

    @Test func stringArgumentsGoThroughTheShell() throws {
        let dir = Chaos.tempDir()
        Chaos.write("from-file\n", to: dir + "/in.txt")
        let experiment = """
            {"title": "t", "description": "d", "method": [
              \(Self.activity("action", "redirect", Self.process("cat", "\"< \(dir)/in.txt > \(dir)/out.txt\""))),
              \(Self.activity("action", "self", Self.process("vegeta", "\"-version\"")))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0)
        #expect(Chaos.read(dir + "/out.txt") == "from-file\n")
        #expect(journal?["run"]?.array?.last?["output"]?["stdout"]?.string?.contains("Version") == true)
    }

    @Test func pythonFailuresLogsAndProbeTolerances() throws {
        let experiment = """
            {"title": "t", "description": "d",
             "steady-state-hypothesis": {"title": "h", "probes": [
               {"type": "probe", "name": "exit-zero", "provider": {"type": "process", "path": "true"},
                "tolerance": {"type": "probe", "name": "status-check", "provider": {"type": "python", "module": "chaostests", "func": "status_is_zero", "arguments": {}}}},
               {"type": "probe", "name": "python-logs", "tolerance": false, "provider": {"type": "python", "module": "chaostests", "func": "shout", "arguments": {"message": "ConnectTimeout"}}}]},
             "method": [
               \(Self.activity("action", "kaboom", #"{"type": "python", "module": "chaostests", "func": "kaboom"}"#)),
               \(Self.activity("action", "fails", #"{"type": "python", "module": "chaostests", "func": "fail_plain"}"#))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0, "\(out.stderr)")
        #expect(out.lines.contains("ERROR Found an error in traces: ConnectTimeout"))
        #expect(out.lines.contains("INFO an info line"))
        #expect(!out.lines.contains("DEBUG a debug line"))
        #expect(out.lines.contains("ERROR   => failed: RuntimeError: kaboom"))
        #expect(out.lines.contains("ERROR   => failed: chaoslib.exceptions.ActivityFailed: nope"))
        let run = journal?["run"]?.array ?? []
        #expect(run.first?["status"] == .string("failed"))
        #expect(
            run.first?["exception"]?.array?.last
                == .string("chaoslib.exceptions.ActivityFailed: RuntimeError: kaboom\n"))
        let tolerance = journal?["experiment"]?["steady-state-hypothesis"]?["probes"]?.array?.first?["tolerance"]
        #expect(
            tolerance?["provider"]?["arguments"]?["value"]?["status"] == .int(0),
            "the injected value shows in the journal")
    }

    @Test func validationErrorExitsOneWithoutJournal() throws {
        let (out, journal, _) = Chaos.runExperiment(#"{"title": "t", "method": []}"#)
        #expect(out.code == 1)
        #expect(journal == nil)
        #expect(out.lines == ["INFO Validating the experiment's syntax", "ERROR experiment requires a description"])
        let (bad, _, _) = Chaos.runExperiment("{\n  \"title\": \n}", name: "broken.json")
        #expect(bad.code == 1)
        #expect(bad.lines == ["ERROR broken.json:3:1: invalid JSON: expecting a value"])
    }

    @Test func toleranceCrashGivesAClearErrorAndNoJournal() throws {
        let experiment = """
            {"title": "t", "description": "d",
             "steady-state-hypothesis": {"title": "h", "probes": [
               {"type": "probe", "name": "p", "tolerance": {"type": "regex", "pattern": "x"}, "provider": {"type": "process", "path": "true"}}]},
             "method": [], "rollbacks": [\(Self.activity("action", "r", Self.process("true", "[]")))]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 1)
        #expect(journal == nil)
        #expect(out.lines.last?.hasPrefix("ERROR TypeError: expected string or bytes-like object") == true)
        #expect(!out.lines.contains("INFO Let's rollback..."))
    }

    @Test func varsVarFilesAndYAML() throws {
        let yaml = """
            title: Vars ${count}
            description: d
            configuration:
              count: 1
              greeting: hello
              port:
                type: env
                key: CHAOS_TEST_PORT_VAR
                default: 80
                env_var_type: int
            method:
              - type: action
                name: echo
                provider:
                  type: process
                  path: echo
                  arguments: ["${count}", "${greeting}", "${port}", "${undeclared}"]
            """
        let (out, journal, _) = Chaos.runExperiment(
            yaml, name: "e.yaml",
            options: [
                "--var", "count:int=7", "--var=undeclared=zzz", "--var-file", "vars.json", "--var-file", "x.env",
            ],
            files: [
                "vars.json": #"{"configuration": {"greeting": "bonjour"}}"#,
                "x.env": "# comment\nCHAOS_TEST_PORT_VAR=8080\n",
            ])
        #expect(out.code == 0, "\(out.stderr)")
        #expect(journal?["experiment"]?["title"] == .string("Vars 7"))
        #expect(journal?["run"]?.array?.first?["output"]?["stdout"] == .string("7 bonjour 8080 ${undeclared}\n"))
    }

    @Test func usageErrorsExitTwo() {
        let dir = Chaos.tempDir()
        let out = Chaos.run(["chaos", "run", "--dry", "everything", "x.json"], cwd: dir)
        #expect(out.code == 2)
        #expect(
            out.stderr.contains(
                "Error: Invalid value for '--dry': 'everything' is not one of 'probes', 'actions', 'activities', 'pause'."
            ))
        let missing = Chaos.run(["chaos", "run"], cwd: dir)
        #expect(missing.code == 2)
        #expect(missing.stderr.contains("Error: Missing argument 'SOURCE'."))
        let unknown = Chaos.run(["chaos", "--no-log-file", "run", "--nope", "x.json"], cwd: dir)
        #expect(unknown.stderr.contains("Error: No such option: --nope"))
    }

    @Test func validateCommandAndLogFile() throws {
        let dir = Chaos.tempDir()
        Chaos.write(#"{"title": "t", "description": "d", "method": []}"#, to: dir + "/ok.json")
        let out = Chaos.run(["chaos", "--log-file", "my.log", "validate", "ok.json"], cwd: dir)
        #expect(out.code == 0)
        #expect(
            out.lines == [
                "INFO Validating the experiment's syntax", "INFO Experiment looks valid",
                "INFO experiment syntax and semantic look valid",
            ])
        let log = Chaos.read(dir + "/my.log") ?? ""
        #expect(log.contains("INFO] [experiment:59] Validating the experiment's syntax\n"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/journal.json"))
    }
}
