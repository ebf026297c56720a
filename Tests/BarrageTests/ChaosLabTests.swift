import BarrageCore
import ChaosGlue
import Foundation
import TestSupport
import Testing

/// The seed labs on one machine (examples/lab): real front/middle/back processes, the built-in `vegeta attack`,
/// and for lab4 a real Prometheus scraping the services. Each test runs a copy of the lab folder with free ports
/// and short pauses/durations from the experiments' configuration.
@Suite("local lab (examples/lab)")
struct LabTests {
    static let prometheus = "/usr/bin/prometheus"

    /// A copy of examples/lab in a temp dir, started with `labctl.py start`; `stop()` ends every process it started.
    struct Lab {
        static let source = Paths.directory(of: #filePath) + "/../../examples/lab"
        let dir: String

        init(prometheus: Bool) throws {
            dir = Chaos.tempDir()
            for file in ["service.py", "labctl.py", "tolerances.py", "lab1.json", "lab1-slo.json", "lab4.json"] {
                try FileManager.default.copyItem(atPath: "\(Self.source)/\(file)", toPath: "\(dir)/\(file)")
            }
            let started = try ctl(["start"] + (prometheus ? ["--prometheus"] : []))
            if started.status != 0 {
                stop()
                throw LabError("labctl.py start failed: \(started.stderr) \(started.stdoutText)")
            }
        }

        @discardableResult
        func ctl(_ arguments: [String]) throws -> ProcessOutput {
            try Run.process("/usr/bin/env", ["python3", "labctl.py"] + arguments, currentDirectory: dir)
        }

        func stop() { _ = try? ctl(["stop"]) }

        /// state/lab.env: FRONT_URL, ATTACK_METRICS_ADDR, PROMETHEUS_URL.
        var env: [String: String] {
            var values: [String: String] = [:]
            for line in (Chaos.read(dir + "/state/lab.env") ?? "").split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
            return values
        }

        /// `barrage chaos run` from inside the lab folder, with `settings` added to the environment.
        func run(_ file: String, journal: String, options: [String] = [], settings: [String: String]) -> (
            Chaos.Outcome, JSON?
        ) {
            var environment = ProcessInfo.processInfo.environment
            environment.merge(settings) { $1 }
            environment["PYTHONPATH"] = dir
            environment["PATH"] = "/usr/bin:/bin"
            let args = ["chaos", "--log-file", journal + ".log", "run", "--journal-path", journal] + options
            // Run.process collects the outputs in files: no wait for a pipe's end that a process spawned at the
            // same moment by a parallel test may have inherited.
            let out: Chaos.Outcome
            do {
                let done = try Run.process(
                    Paths.barrage, args + ["--var-file", "state/lab.env", file], environment: environment,
                    currentDirectory: dir)
                out = Chaos.Outcome(code: done.status, stdout: done.stdoutText, stderr: done.stderr)
            } catch {
                out = Chaos.Outcome(code: -1, stdout: "", stderr: "\(error)")
            }
            return (out, try? ExperimentLoader.loadFile(dir + "/" + journal))
        }

        /// One GET with python's urllib (what the tests read back from the lab's services and Prometheus).
        func get(_ url: String) -> String {
            let script =
                "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"
            return (try? Run.process("/usr/bin/env", ["python3", "-c", script, url]))?.stdoutText ?? ""
        }

        /// Polls `condition` every 100 ms for at most `seconds`.
        func poll(_ seconds: Double, _ condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                usleep(100_000)
            }
            return condition()
        }
    }

    struct LabError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func names(_ records: JSON?) -> [String] {
        (records?.array ?? []).map { $0["activity"]?["name"]?.string ?? "?" }
    }

    static func traces(_ path: String) -> [String] {
        (Chaos.read(path) ?? "").split(separator: "\n").map(String.init)
    }

    /// The error class names the front's bodies carry in the traces (base64 `body` of each JSON result line).
    static func errors(_ traces: [String]) -> [String] {
        traces.compactMap { line -> String? in
            guard let record = try? ExperimentLoader.parse(line, name: "trace.json"), let body = record["body"]?.string,
                let decoded = Data(base64Encoded: body),
                let answer = try? ExperimentLoader.parse(String(decoding: decoded, as: UTF8.self), name: "body.json")
            else { return "unreadable" }
            return answer["error"]?.string
        }
    }

    /// lab1-slo: the steady state is `attack_report` tolerances over a short strict attack on front; one middle
    /// replica breaks the SLO after the kill (deviated), two keep it (completed).
    @Test(.timeLimit(.minutes(3)))
    func lab1SLODeviatesWithOneMiddleAndCompletesWithTwo() throws {
        let lab = try Lab(prometheus: false)
        defer { lab.stop() }
        var settings = lab.env
        let short = [
            "ATTACK_RATE": "5", "ATTACK_DURATION": "3s", "PAUSE_BEFORE_KILL": "1", "PAUSE_AFTER_KILL": "1",
            "SLO_ATTACK_DURATION": "1s",
        ]
        settings.merge(short) { $1 }

        let (out, journal) = lab.run("lab1-slo.json", journal: "journal-1.json", settings: settings)
        #expect(out.code == 1, "\(out.stderr)")
        #expect(journal?["deviated"] == .bool(true))
        let before = journal?["steady_states"]?["before"]?["probes"]?.array ?? []
        #expect(before.count == 4 && before.allSatisfy { $0["tolerance_met"] == .bool(true) }, "\(out.stderr)")
        #expect(before.dropFirst(2).first?["output"]?["status_codes"]?["200"] == .int(5))
        let after = journal?["steady_states"]?["after"]?["probes"]?.array ?? []
        #expect(after.last?["activity"]?["name"] == .string("every-request-succeeded"))
        #expect(after.last?["tolerance_met"] == .bool(false))
        #expect(after.last?["output"]?["status_codes"]?["502"] == .int(5), "front answers 502 to ?strict=1")
        #expect(
            out.lines.contains(
                "CRITICAL Steady state probe 'every-request-succeeded' is not in the given tolerance so failing this experiment"
            ))

        #expect((try lab.ctl(["scale", "2"])).status == 0)
        let (fixed, fixedJournal) = lab.run("lab1-slo.json", journal: "journal-2.json", settings: settings)
        #expect(fixed.code == 0, "\(fixed.stderr)")
        #expect(fixedJournal?["status"] == .string("completed"))
        #expect(fixedJournal?["deviated"] == .bool(false))
        let fixedAfter = fixedJournal?["steady_states"]?["after"]?["probes"]?.array ?? []
        #expect(fixedAfter.count == 4 && fixedAfter.allSatisfy { $0["tolerance_met"] == .bool(true) })
    }

    /// lab1 as the seed runs it twice: one middle replica (deviated), then scaled to two (completed).
    @Test(.timeLimit(.minutes(3)))
    func lab1DeviatesWithOneMiddleAndCompletesWithTwo() throws {
        let lab = try Lab(prometheus: false)
        defer { lab.stop() }
        var settings = lab.env
        let short = ["ATTACK_RATE": "5", "ATTACK_DURATION": "3s", "PAUSE_BEFORE_KILL": "1", "PAUSE_AFTER_KILL": "2.5"]
        settings.merge(short) { $1 }

        let (out, journal) = lab.run("lab1.json", journal: "journal-1.json", settings: settings)
        #expect(out.code == 1, "\(out.stderr)")
        #expect(journal?["status"] == .string("completed"))
        #expect(journal?["deviated"] == .bool(true))
        #expect(
            Self.names(journal?["run"])
                == [
                    "simulate-some-traffic", "terminate-middle-process", "transform-http-traces",
                    "fetch-application-logs",
                ])
        #expect((journal?["run"]?.array ?? []).allSatisfy { $0["output"]?["status"] == .int(0) }, "\(out.stderr)")
        // The tolerance names the first error the front answered: the killed middle refuses connections
        // (ConnectError); a call in flight at the kill sees its connection reset or closed.
        let found = out.lines.filter { $0.hasPrefix("ERROR Found an error in traces: ") }
        #expect(found.count == 1, "\(out.stderr)")
        let name = found.first?.split(separator: " ").last ?? ""
        #expect(["ConnectError", "ReadError", "RemoteProtocolError"].contains(name))
        #expect(
            Array(out.lines.suffix(6)) == [
                "CRITICAL Steady state probe 'front-service-does-not-return-an-error' is not in the given tolerance so failing this experiment",
                "INFO Let's rollback...",
                "INFO Rollback: restart-middle-process",
                "INFO Action: restart-middle-process",
                "INFO Experiment ended with status: deviated",
                "INFO The steady-state has deviated, a weakness may have been discovered",
            ])
        let rollback = journal?["rollbacks"]?.array?.first
        #expect(rollback?["status"] == .string("succeeded"))
        #expect(rollback?["output"]?["stdout"]?.string?.hasPrefix("started middle-1: pid ") == true)
        // 5/s for 3 s; every hit after the kill carries an error body, all answered 200.
        let first = Self.traces(lab.dir + "/vegeta_results.json")
        #expect((14...16).contains(first.count), "\(first.count) traces")
        #expect(Self.errors(first).contains("ConnectError"))
        #expect(first.allSatisfy { $0.contains("\"code\":200") })
        #expect((try lab.ctl(["status"])).stdoutText.contains("middle-1   up"), "rolled back: middle-1 runs again")

        // The chaos report of this run (results found from the journal): the front's error bodies are the errors,
        // and every one of them comes after the middle was killed.
        let page = try Run.process(Paths.barrage, ["chaos", "report", "journal-1.json"], currentDirectory: lab.dir)
        #expect(page.status == 0, "\(page.stderr)")
        let bodyErrors = Self.errors(first).filter { $0 != "unreadable" }.count
        #expect(page.stdoutText.contains("\(bodyErrors) of them answered 200 with an <code>error</code> member"))
        let marker = "<script id=\"report-data\" type=\"application/json\">"
        let data = try page.stdoutText.components(separatedBy: marker).dropFirst().first
            .map { try ExperimentLoader.parse(String($0.prefix { $0 != "<" }), name: "report-data") }
        let kill = data?["activities"]?.array?.first { $0["name"]?.string == "terminate-middle-process" }
        let killStart = try #require(kill?["start"]?.number)
        let errorSeries = (data?["series"]?.array ?? []).filter { $0["kind"]?.string == "ERROR" }
        #expect(errorSeries.reduce(0) { $0 + Int($1["count"]?.number ?? 0) } == bodyErrors)
        #expect(errorSeries.flatMap { $0["x"]?.array ?? [] }.allSatisfy { ($0.number ?? 0) >= killStart - 0.002 })

        // The fix: a second middle replica the front fails over to.
        #expect((try lab.ctl(["scale", "2"])).status == 0)
        try FileManager.default.moveItem(atPath: lab.dir + "/vegeta_results.json", toPath: lab.dir + "/run-1.json")
        let (fixed, fixedJournal) = lab.run("lab1.json", journal: "journal-2.json", settings: settings)
        #expect(fixed.code == 0, "\(fixed.stderr)")
        #expect(fixedJournal?["status"] == .string("completed"))
        #expect(fixedJournal?["deviated"] == .bool(false))
        #expect(!fixed.lines.contains { $0.hasPrefix("ERROR") }, "\(fixed.stderr)")
        #expect(
            Array(fixed.lines.suffix(5)) == [
                "INFO Steady state hypothesis is met!", "INFO Let's rollback...",
                "INFO Rollback: restart-middle-process",
                "INFO Action: restart-middle-process", "INFO Experiment ended with status: completed",
            ])
        let second = Self.traces(lab.dir + "/vegeta_results.json")
        #expect((14...16).contains(second.count), "\(second.count) traces")
        #expect(Self.errors(second).isEmpty)

        // stop ends every process the lab started (both middles, front, back).
        let pids = ["back", "middle-1", "middle-2", "front"].compactMap {
            Chaos.read(lab.dir + "/state/\($0).pid").flatMap { Int32($0.trimmingCharacters(in: .newlines)) }
        }
        #expect(pids.count == 4)
        lab.stop()
        let status = try lab.ctl(["status"]).stdoutText
        #expect(status.split(separator: "\n").count == 4 && !status.contains(" up "), "\(status)")
        // Gone, or a zombie waiting for its reaper (empty command line).
        #expect(lab.poll(10) { pids.allSatisfy { (Chaos.read("/proc/\($0)/cmdline") ?? "").isEmpty } })
    }

    /// lab4 against a real Prometheus: the seed's own tolerance (the real tool's outcome: the before-hypothesis
    /// tolerance fails on "unhashable type: 'list'", status completed, method skipped, exit 0), then the corrected
    /// tolerance (back frozen: the front's failed-call counter grows, deviated, the always-rollback thaws back).
    @Test(
        .timeLimit(.minutes(3)),
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: LabTests.prometheus),
            "needs /usr/bin/prometheus (Debian package prometheus, in the Makefile's DEB_TEST)"))
    func lab4WithARealPrometheus() throws {
        let lab = try Lab(prometheus: true)
        defer { lab.stop() }
        let wait = try lab.ctl(["wait-samples", "2"])
        try #require(wait.status == 0, "\(wait.stderr)")
        var settings = lab.env
        settings.merge(["PAUSE_BEFORE_QUERY": "0.5"]) { $1 }

        // The seed's tolerance, unchanged.
        var seed = try ExperimentLoader.loadFile(lab.dir + "/lab4.json")
        var probes = seed["steady-state-hypothesis"]?["probes"]?.array ?? []
        try #require(probes.count == 2)
        probes[1]["tolerance"]?["provider"]?["func"] = .string("error_count_should_not_grow")
        seed["steady-state-hypothesis"]?["probes"] = .array(probes)
        try JournalFile.write(seed, to: lab.dir + "/lab4-seed.json")
        let (out, journal) = lab.run(
            "lab4-seed.json", journal: "journal-seed.json", options: ["--rollback-strategy=always"], settings: settings)
        #expect(out.code == 0, "\(out.stderr)")
        #expect(journal?["status"] == .string("completed"))
        #expect(journal?["deviated"] == .bool(false))
        #expect(journal?["run"] == .array([]), "method skipped")
        let before = journal?["steady_states"]?["before"]
        #expect(before?["steady_state_met"] == .bool(false))
        #expect(before?["probes"]?.array?.last?["tolerance_met"] == .bool(false))
        #expect(before?["probes"]?.array?.last?["output"]?["data"]?["result"]?.array?.isEmpty == false)
        #expect(
            Array(out.lines.suffix(6)) == [
                "CRITICAL Steady state probe 'fetch-number-of-failed-calls-from-front-to-middle' is not in the given tolerance so failing this experiment",
                "WARNING Rollbacks were explicitly requested to be played",
                "INFO Let's rollback...",
                "INFO Rollback: thaw-back-service",
                "INFO Action: thaw-back-service",
                "INFO Experiment ended with status: completed",
            ])
        let seedLog = Chaos.read(lab.dir + "/journal-seed.json.log") ?? ""
        #expect(seedLog.contains("DEBUG] [activity:317] Activity failed"))
        #expect(seedLog.contains("TypeError: unhashable type: 'list'"))

        // The corrected tolerance: freezing back makes the front's calls time out and its counter grow.
        settings.merge([
            "ATTACK_DURATION": "3s", "PAUSE_BEFORE_FREEZE": "1", "PAUSE_AFTER_FREEZE": "2", "PAUSE_BEFORE_QUERY": "3",
        ]) { $1 }
        let (deviated, deviatedJournal) = lab.run(
            "lab4.json", journal: "journal.json", options: ["--rollback-strategy=always"], settings: settings)
        #expect(deviated.code == 1, "\(deviated.stderr)")
        #expect(deviatedJournal?["status"] == .string("completed"))
        #expect(deviatedJournal?["deviated"] == .bool(true))
        #expect(
            Self.names(deviatedJournal?["run"])
                == ["simulate-some-traffic", "freeze-back-service", "plot-traffic", "fetch-application-logs"])
        #expect(deviatedJournal?["steady_states"]?["before"]?["steady_state_met"] == .bool(true))
        #expect(
            Array(deviated.lines.suffix(7)) == [
                "CRITICAL Steady state probe 'fetch-number-of-failed-calls-from-front-to-middle' is not in the given tolerance so failing this experiment",
                "WARNING Rollbacks were explicitly requested to be played",
                "INFO Let's rollback...",
                "INFO Rollback: thaw-back-service",
                "INFO Action: thaw-back-service",
                "INFO Experiment ended with status: deviated",
                "INFO The steady-state has deviated, a weakness may have been discovered",
            ])
        let log = Chaos.read(lab.dir + "/journal.json.log") ?? ""
        #expect(log.contains("chaoslib.exceptions.ActivityFailed: Error counts: ['0', "), "\(log)")
        let after = deviatedJournal?["steady_states"]?["after"]?["probes"]?.array?.last
        #expect(after?["tolerance_met"] == .bool(false))
        let series = after?["output"]?["data"]?["result"]?.array?.first
        #expect(series?["metric"]?["to"] == .string("middle"))
        #expect(deviatedJournal?["rollbacks"]?.array?.first?["status"] == .string("succeeded"))
        #expect((Chaos.read(lab.dir + "/vegeta.html") ?? "").contains("<html"))
        #expect((Chaos.read(lab.dir + "/state/front.log") ?? "").contains("Failed to talk with the middle service"))

        // Thawed: the front answers values again.
        let front = lab.env["FRONT_URL"] ?? ""
        #expect(lab.poll(30) { !lab.get(front).contains("error") && lab.get(front).contains("value") })
        // Prometheus also scraped the attack's own exporter (barrage attack -prometheus-addr) while it ran.
        let prometheus = lab.env["PROMETHEUS_URL"] ?? ""
        let up = lab.get(prometheus + "api/v1/query?query=max_over_time(up%7Bjob%3D%22barrage-attack%22%7D%5B5m%5D)")
        #expect(up.contains("\"1\"]"), "\(up)")
    }

    /// The native query_interval sends its times as chaosprometheus does (maya's rfc3339: UTC, tenths of a second
    /// cut, `Z`), so a real Prometheus evaluates the range at the same instants; `timeout` goes along as a query
    /// parameter. The test server's Prometheus stand-in echoes the query string back as the probe's output.
    @Test func prometheusRangeQueryParameters() throws {
        let server = try #require(TestServer())
        defer { withExtendedLifetime(server) {} }
        let port = String(server.port)
        let experiment = """
            {"title": "t", "description": "d", "configuration": {"prometheus_base_url": "http://127.0.0.1:\(port)/"},
             "method": [{"type": "probe", "name": "range", "provider": {"type": "python", "module": "chaosprometheus.probes",
               "func": "query_interval", "arguments": {"query": "failed_call_total{to='middle'}", "start": "30 seconds ago",
               "end": "now", "step": 3, "timeout": 5}}}]}
            """
        let (outcome, journal, _) = Chaos.runExperiment(experiment)
        #expect(outcome.code == 0, "\(outcome.stderr)")
        let answer = journal?["run"]?.array?.first?["output"]
        #expect(answer?["path"] == .string("/api/v1/query_range"))
        let query = answer?["query"]
        #expect(query?["query"] == .array([.string("failed_call_total{to='middle'}")]))
        #expect(query?["step"] == .array([.string("3")]))
        #expect(query?["timeout"] == .array([.string("5")]))
        for key in ["start", "end"] {
            let value = query?[key]?.array?.first?.string ?? ""
            // 2026-11-22T05:07:51.4Z
            let shape = value.map { $0.isNumber ? "9" : String($0) }.joined()
            #expect(shape == "9999-99-99T99:99:99.9Z", "\(key)=\(value)")
        }
    }
}
