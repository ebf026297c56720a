import BarrageCore
import ChaosGlue
import Foundation
import TestSupport
import Testing

/// The http provider against the loopback server, strategies, and the console formats.
@Suite("providers and options end to end")
struct ProviderTests {
    static var base: String { Chaos.server.url }

    static func method(_ activities: [String], configuration: String = "{}") -> String {
        #"{"title": "t", "description": "d", "configuration": \#(configuration), "method": [\#(activities.joined(separator: ", "))]}"#
    }

    static func http(_ name: String, _ provider: String) -> String {
        #"{"type": "probe", "name": "\#(name)", "provider": \#(provider)}"#
    }

    @Test func httpArgumentsBodiesHeadersRedirectsAndTimeouts() throws {
        let experiment = Self.method(
            [
                Self.http("get-query", #"{"type": "http", "url": "${base}/echo", "arguments": {"q": "a b", "n": 2}}"#),
                Self.http(
                    "post-json",
                    #"{"type": "http", "url": "${base}/echo", "method": "post", "headers": {"Content-Type": "application/json", "X-Token": "${token}"}, "arguments": {"count": "${n}"}}"#
                ),
                Self.http(
                    "post-form",
                    #"{"type": "http", "url": "${base}/echo", "method": "POST", "arguments": {"a": "1", "b": "x&y"}}"#),
                Self.http("redirect", #"{"type": "http", "url": "${base}/redirect"}"#),
                Self.http("text", #"{"type": "http", "url": "${base}/marker.txt"}"#),
                Self.http("server-error", #"{"type": "http", "url": "${base}/status/503"}"#),
                Self.http("slow", #"{"type": "http", "url": "${base}/slow", "timeout": [1, 0.2]}"#),
                Self.http("chunked", #"{"type": "http", "url": "${base}/chunked"}"#),
            ], configuration: #"{"base": "\#(Self.base)", "n": 3, "token": "tok"}"#)
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0, "\(out.stderr)")
        let run = journal?["run"]?.array ?? []
        #expect(run.count == 8)
        #expect(run[7]["output"]?["body"]?["parts"] == .array([.int(1), .int(2), .int(3)]))
        #expect(run[0]["output"]?["body"]?["query"] == .string("q=a+b&n=2"))
        #expect(run[0]["output"]?["headers"]?["Content-Type"] == .string("application/json"))
        #expect(run[1]["output"]?["body"]?["method"] == .string("POST"))
        #expect(run[1]["output"]?["body"]?["body"] == .string(#"{"count": 3}"#))
        #expect(run[1]["output"]?["body"]?["token"] == .string("tok"))
        #expect(run[2]["output"]?["body"]?["body"] == .string("a=1&b=x%26y"))
        #expect(run[2]["output"]?["body"]?["content_type"] == .string("application/x-www-form-urlencoded"))
        #expect(run[3]["output"]?["status"] == .int(200))
        #expect(run[3]["output"]?["body"]?["name"] == .string("barrage"))
        #expect(run[4]["output"]?["body"] == .string("hello chaos\n"))
        #expect(run[5]["output"]?["status"] == .int(503))
        #expect(run[6]["status"] == .string("failed"))
        #expect(out.lines.contains("ERROR   => failed: activity took too long to complete"))
        #expect(
            out.lines.filter {
                $0.hasPrefix("WARNING This HTTP call returned a response with a HTTP status code above 400.")
            }.count == 1)
    }

    @Test func duringMethodFailFastFailsTheRun() throws {
        let dir = Chaos.tempDir()
        let experiment = """
            {"title": "t", "description": "d",
             "steady-state-hypothesis": {"title": "h", "probes": [
               {"type": "probe", "name": "flag-absent", "tolerance": 1, "provider": {"type": "process", "path": "test", "arguments": ["-e", "\(dir)/flag"]}}]},
             "method": [
               {"type": "action", "name": "set-flag", "provider": {"type": "process", "path": "touch", "arguments": ["\(dir)/flag"]}},
               {"type": "action", "name": "wait-for-it", "provider": {"type": "process", "path": "sh", "arguments": ["-c", "sleep 3"]}}],
             "rollbacks": [{"type": "action", "name": "r", "provider": {"type": "process", "path": "true"}}]}
            """
        let (out, journal, _) = Chaos.runExperiment(
            experiment,
            options: ["--hypothesis-strategy", "during-method-only", "--hypothesis-frequency", "0.05", "--fail-fast"])
        #expect(out.code == 1)
        #expect(journal?["status"] == .string("failed"))
        #expect(journal?["deviated"] == .bool(false))
        #expect((journal?["steady_states"]?["during"]?.array?.count ?? 0) >= 1)
        #expect(journal?["steady_states"]?["before"] == .null)
        #expect(journal?["rollbacks"] == .array([]))
        #expect(out.lines.contains("INFO Steady-state strategy: during-method-only"))
        #expect(out.lines.contains("INFO Executing the steady-state hypothesis continuously every 0.05 seconds"))
        #expect(out.lines.contains("WARNING Continuous steady state probe 'flag-absent' is not in the given tolerance"))
        #expect(out.lines.contains { $0.hasPrefix("INFO Terminating immediately the experiment after ") })
        #expect(out.lines.contains("INFO Continuous steady state hypothesis terminated"))
    }

    @Test func runtimeBlockSkipStrategyAndRefs() throws {
        let experiment = """
            {"title": "t", "description": "d", "runtime": {"hypothesis": {"strategy": "skip"}},
             "steady-state-hypothesis": {"title": "h", "probes": [
               {"type": "probe", "name": "p", "tolerance": 0, "provider": {"type": "process", "path": "true"}}]},
             "method": [{"ref": "p"}],
             "rollbacks": [{"ref": "p"}]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0, "\(out.stderr)")
        #expect(out.lines.contains("INFO Steady-state strategy: skip"))
        #expect(out.lines.contains("INFO Skipping Steady-State Hypothesis as requested"))
        #expect(out.lines.contains("INFO Rollback: None"))
        #expect(journal?["run"]?.array?.first?["activity"]?["name"] == .string("p"))
        #expect(journal?["steady_states"]?["after"] == .null)
    }

    @Test func verboseJSONLogFormatAndChangeDir() throws {
        let dir = Chaos.tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        Chaos.write(
            Self.method([#"{"type": "action", "name": "a", "provider": {"type": "process", "path": "true"}}"#]),
            to: dir + "/sub/e.json")
        let verbose = Chaos.run(
            ["chaos", "--verbose", "--no-log-file", "--change-dir", "sub", "run", "e.json"], cwd: dir)
        #expect(verbose.code == 0)
        #expect(verbose.lines.first == "WARNING [__init__:112] Moving to sub", "chaostoolkit's module:lineno")
        #expect(verbose.lines.contains("INFO [run:440] Running experiment: t"))
        #expect(verbose.lines.contains("INFO [activity:232] Action: a"))
        #expect(FileManager.default.fileExists(atPath: dir + "/sub/journal.json"))
        let json = Chaos.run(
            ["chaos", "--log-format", "json", "--no-log-file", "run", "--journal-path=j2.json", "sub/e.json"], cwd: dir)
        #expect(json.code == 0)
        let first = json.stderr.split(separator: "\n").first.map(String.init) ?? ""
        let record = try ExperimentLoader.parse(first, name: "log")
        #expect(
            record.members?.map(\.key) == [
                "process", "asctime", "levelname", "module", "lineno", "message", "context_id", "timestamp",
            ])
        #expect(record["levelname"] == .string("INFO"))
        #expect(record["module"] == .string("experiment"))
        #expect(record["message"] == .string("Validating the experiment's syntax"))
        #expect(FileManager.default.fileExists(atPath: dir + "/j2.json"))
    }

    @Test func chaosLinkBehavesAsBarrageChaos() throws {
        let dir = Chaos.tempDir()
        let link = dir + "/chaos"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Paths.barrage)
        Chaos.write(Self.method([]), to: dir + "/e.json")
        let process = try Run.process(link, ["--no-log-file", "validate", "e.json"], currentDirectory: dir)
        #expect(process.status == 0)
    }
}

@Suite("https provider")
struct HTTPSTests {
    @Test(.enabled(if: TestCertificates.hasOpenSSL)) func selfSignedCertificatesAreRejectedUnlessVerifyTLSIsFalse()
        throws
    {
        let dir = Chaos.tempDir()
        let certs = try #require(TestCertificates.shared)
        let server = try #require(
            TestServer(extra: ["--tls", certs.selfSignedCert, certs.selfSignedKey, "--root", dir]))
        defer { withExtendedLifetime(server) {} }
        let port = String(server.port)
        let experiment = """
            {"title": "t", "description": "d", "method": [
              {"type": "probe", "name": "tls", "provider": {"type": "http", "url": "https://127.0.0.1:\(port)/", "timeout": 3}},
              {"type": "probe", "name": "tls-unverified", "provider": {"type": "http", "url": "https://127.0.0.1:\(port)/", "timeout": 3, "verify_tls": false}}]}
            """
        let (result, journal, _) = Chaos.runExperiment(experiment)
        #expect(result.code == 0)
        let record = journal?["run"]?.array?.first
        #expect(record?["status"] == .string("failed"))
        let unverified = journal?["run"]?.array?.last
        #expect(unverified?["status"] == .string("succeeded"), "verify_tls: false accepts the self-signed certificate")
        #expect(unverified?["output"]?["status"] == .int(200))

        // The experiment itself from https: refused by default, loaded with --no-verify-tls.
        Chaos.write(#"{"title": "remote", "description": "d", "method": []}"#, to: dir + "/remote.json")
        let source = "https://127.0.0.1:\(port)/remote.json"
        let refused = Chaos.run(["chaos", "--no-log-file", "run", source], cwd: Chaos.tempDir())
        #expect(refused.code == 1)
        #expect(refused.lines.first?.hasPrefix("ERROR failed to fetch the experiment from \(source): ") == true)
        let loaded = Chaos.run(["chaos", "--no-log-file", "run", "--no-verify-tls", source], cwd: Chaos.tempDir())
        #expect(loaded.code == 0, "\(loaded.stderr)")
        #expect(loaded.lines.contains("INFO Running experiment: remote"))
        #expect(
            result.lines.contains(
                "ERROR   => failed: failed to connect to https://127.0.0.1:\(port)/: HTTPSConnectionPool(host='127.0.0.1', "
                    + "port=\(port)): Max retries exceeded with url: / (Caused by SSLError(SSLCertVerificationError(1, '[SSL: "
                    + "CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')))")
        )
    }
}

@Suite("configuration and sources end to end")
struct ConfigurationRunTests {
    @Test func dynamicConfigurationProbesRunOnceInKeyOrder() throws {
        let experiment = """
            {"title": "Dynamic ${from_process}", "description": "d",
             "configuration": {
               "base": "\(Chaos.server.url)",
               "from_process": {"type": "probe", "name": "p1", "provider": {"type": "process", "path": "echo", "arguments": ["  seven  "]}},
               "from_http": {"type": "probe", "name": "p2", "provider": {"type": "http", "url": "${base}/json"}},
               "from_python": {"type": "probe", "name": "p3", "provider": {"type": "python", "module": "chaostests", "func": "add", "arguments": {"a": 40}}},
               "broken": {"type": "probe", "name": "p4", "provider": {"type": "process", "path": "sh", "arguments": ["-c", "exit 2"]}}},
             "method": [{"type": "action", "name": "show", "provider": {"type": "process", "path": "echo", "arguments": ["${from_process}", "${from_python}", "${broken}"]}}]}
            """
        let (out, journal, _) = Chaos.runExperiment(experiment)
        #expect(out.code == 0, "\(out.stderr)")
        #expect(journal?["experiment"]?["title"] == .string("Dynamic seven"))
        #expect(journal?["run"]?.array?.first?["output"]?["stdout"] == .string("seven 41 ${broken}\n"))
        #expect(
            out.lines.contains {
                $0.hasPrefix("WARNING Some of the dynamic configuration failed to be loaded.")
            })
        #expect(!out.lines.contains("INFO Probe: p1"), "dynamic configuration probes print no Probe: line")
    }

    @Test func experimentFromAnHTTPSourceAndAbortedMethod() throws {
        let name = "remote-\(UUID().uuidString).json"
        Chaos.write(
            """
            {"title": "remote", "description": "d", "method": [
              {"type": "action", "name": "bad-url", "provider": {"type": "http", "url": "not a url"}},
              {"type": "action", "name": "never", "provider": {"type": "process", "path": "true"}}],
             "rollbacks": [{"type": "action", "name": "r", "provider": {"type": "process", "path": "true"}}]}
            """, to: Chaos.server.root + "/" + name)
        let dir = Chaos.tempDir()
        let out = Chaos.run(["chaos", "--no-log-file", "run", Chaos.server.url + "/" + name], cwd: dir)
        #expect(out.code == 1)
        let journal = try ExperimentLoader.loadFile(dir + "/journal.json")
        #expect(journal["status"] == .string("aborted"))
        #expect(journal["run"]?.array?.count == 1)
        #expect(journal["run"]?.array?.first?["status"] == nil, "an aborted activity's record has no status")
        #expect(journal["rollbacks"]?.array?.count == 1, "default plays rollbacks after an abort")
        #expect(out.lines.contains("CRITICAL Experiment ran into an un expected fatal error, aborting now."))
        #expect(out.lines.last == "INFO Experiment ended with status: aborted")
    }
}
