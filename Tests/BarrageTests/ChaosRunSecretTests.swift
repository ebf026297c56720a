import BarrageCore
import ChaosGlue
import Foundation
import Testing

/// Secret masking (docs/chaos.md, "Secrets"): real runs of the binary against the loopback server, with the journal,
/// the console and the log file each checked for every form of the secret the runner produced.
@Suite("chaos run masks secrets", .timeLimit(.minutes(3)))
struct ChaosRunSecretTests {
    static var base: String { Chaos.server.url }

    static func activity(_ type: String, _ name: String, _ provider: String, extra: String = "") -> String {
        RunTests.activity(type, name, provider, extra: extra)
    }

    static func http(_ url: String, method: String = "GET", headers: String = "{}", arguments: String) -> String {
        #"{"type": "http", "url": "\#(url)", "method": "\#(method)", "headers": \#(headers), "arguments": \#(arguments), "timeout": 5}"#
    }

    /// One run with a log file; the journal, its text, the console and the log file.
    struct Run {
        var out: Chaos.Outcome
        var journal: JSON
        var journalText: String
        var logText: String

        /// Every place a secret could be written to.
        var everywhere: [String] { [journalText, out.stderr, out.stdout, logText] }

        func output(_ i: Int) -> JSON? { journal["run"]?.array?[i]["output"] }
    }

    static func run(_ experiment: String, env: [String: String] = [:]) throws -> Run {
        let (out, journal, dir) = Chaos.runExperiment(experiment, env: env, global: ["--log-file", "chaos.log"])
        let j = try #require(journal, "\(out.stderr)")
        return Run(
            out: out, journal: j, journalText: Chaos.read(dir + "/journal.json") ?? "",
            logText: Chaos.read(dir + "/chaos.log") ?? "")
    }

    static func expectAbsent(_ forms: [String], in run: Run, sourceLocation: SourceLocation = #_sourceLocation) {
        for form in forms {
            for (place, text) in zip(["journal", "stderr", "stdout", "log file"], run.everywhere) {
                #expect(!text.contains(form), "\(form) in the \(place)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func numbersAreMaskedAsTheirTextLongOnesInsideText() throws {
        let experiment = """
            {"title": "numbers", "description": "d",
             "secrets": {"vault": {"pin": 7, "code": 86421}},
             "method": [
                \(Self.activity("probe", "query", Self.http("\(Self.base)/echo", arguments: #"{"pin": "${pin}", "code": "${code}", "q": "x"}"#))),
                \(Self.activity("probe", "python-echo", #"{"type": "python", "module": "chaostests", "func": "add", "arguments": {"a": "${pin}", "b": 0}}"#)),
                \(Self.activity("action", "process-echo", RunTests.process("echo", #"["code:${code}", "pin=${pin}"]"#)))]}
            """
        let r = try Self.run(experiment)
        #expect(r.out.code == 0, "\(r.out.stderr)")
        #expect(r.output(0)?["body"]?["query"] == .string("pin=***&code=***&q=x"))
        #expect(r.output(1) == .string("***"))
        #expect(r.output(2)?["stdout"] == .string("code:*** pin=***\n"))
        #expect(r.journal["experiment"]?["secrets"]?["vault"]?["pin"] == .string("***"))
        #expect(r.journal["experiment"]?["secrets"]?["vault"]?["code"] == .string("***"))
        Self.expectAbsent(["86421", "pin=7", "\"a\": 7"], in: r)
    }

    @Test func booleansAreMaskedAsPythonAndJSONSpellThem() throws {
        let experiment = """
            {"title": "booleans", "description": "d",
             "secrets": {"flags": {"debug": true}},
             "steady-state-hypothesis": {"title": "up", "probes": [
                \(Self.activity("probe", "up", #"{"type": "http", "url": "\#(Self.base)/json"}"#, extra: #""tolerance": 200"#))]},
             "method": [
                \(Self.activity("probe", "query", Self.http("\(Self.base)/echo", arguments: #"{"debug": "${debug}", "n": 1}"#))),
                \(Self.activity("probe", "json-body", Self.http("\(Self.base)/echo", method: "POST", headers: #"{"Content-Type": "application/json"}"#, arguments: #"{"debug": "${debug}", "n": 1}"#))),
                \(Self.activity("probe", "python-echo", #"{"type": "python", "module": "chaostests", "func": "needs_config", "arguments": {"name": "${debug}"}}"#))]}
            """
        let r = try Self.run(experiment)
        #expect(r.out.code == 0, "\(r.out.stderr)")
        #expect(r.output(0)?["body"]?["query"] == .string("debug=***&n=1"))
        #expect(r.output(1)?["body"]?["body"] == .string(#"{"debug": ***, "n": 1}"#))
        #expect(r.output(2)?["name"] == .string("***"))
        #expect(r.journal["experiment"]?["secrets"]?["flags"]?["debug"] == .string("***"))
        // The runner's own booleans stay booleans.
        #expect(r.journal["deviated"] == .bool(false))
        #expect(r.journal["steady_states"]?["before"]?["steady_state_met"] == .bool(true))
        #expect(r.journal["steady_states"]?["before"]?["probes"]?.array?.first?["tolerance_met"] == .bool(true))
        Self.expectAbsent(["debug=True", "\"debug\": true"], in: r)
    }

    @Test func shortSecretsAreMaskedWhereTheyStandAsAWholeValue() throws {
        let experiment = """
            {"title": "Short ${k}", "description": "d",
             "secrets": {"s": {"k": "ab"}},
             "method": [
                \(Self.activity("probe", "query-and-header", Self.http("\(Self.base)/echo", headers: #"{"X-Token": "${k}"}"#, arguments: #"{"key": "${k}", "tab": "about"}"#))),
                \(Self.activity("action", "echo-secret", RunTests.process("echo", #"["${k}"]"#))),
                \(Self.activity("action", "echo-in-a-sentence", RunTests.process("echo", #"["about a tab: ${k}"]"#))),
                \(Self.activity("action", "echo-words", RunTests.process("echo", #"["about", "tab", "crab"]"#)))]}
            """
        let r = try Self.run(experiment)
        #expect(r.out.code == 0, "\(r.out.stderr)")
        #expect(r.journal["experiment"]?["title"] == .string("Short ***"), "a substituted place, whatever the length")
        #expect(r.out.lines.contains("INFO Running experiment: Short ***"))
        #expect(r.logText.contains("Running experiment: Short ***"))
        #expect(r.journal["experiment"]?["secrets"]?["s"]?["k"] == .string("***"))
        #expect(r.output(0)?["body"]?["query"] == .string("key=***&tab=about"))
        #expect(r.output(0)?["body"]?["token"] == .string("***"))
        #expect(r.output(1)?["stdout"] == .string("***\n"))
        #expect(r.output(2)?["stdout"] == .string("***\n"), "the substituted argument is a value of its own")
        // Inside free text a short secret is left alone: masking every "ab" would hide the output, not the secret.
        #expect(r.output(3)?["stdout"] == .string("about tab crab\n"))
        #expect(r.journal["run"]?.array?[3]["activity"]?["name"] == .string("echo-words"))
        Self.expectAbsent(["key=ab", "\"ab\"", "Short ab", "tab: ab"], in: r)
    }

    @Test func encodingsTheHTTPProviderProducesAreMasked() throws {
        let password = #"p@ss w0rd/é"x"#
        let experiment = #"""
            {"title": "encodings", "description": "d",
             "configuration": {"user": "admin"},
             "secrets": {"api": {"pw": {"type": "env", "key": "CHAOS_SECRET_TEST_PW"}, "pass": "S3cret-Pass"}},
             "method": [
                \#(Self.activity("probe", "query", Self.http("\(Self.base)/echo", arguments: #"{"pw": "${pw}"}"#))),
                \#(Self.activity("probe", "form", Self.http("\(Self.base)/echo", method: "POST", arguments: #"{"pw": "${pw}"}"#))),
                \#(Self.activity("probe", "json", Self.http("\(Self.base)/echo", method: "POST", headers: #"{"Content-Type": "application/json"}"#, arguments: #"{"pw": "${pw}"}"#))),
                \#(Self.activity("probe", "basic-auth", #"{"type": "http", "url": "http://${user}:${pass}@127.0.0.1:\#(Chaos.server.port)/echo/auth", "timeout": 5}"#)),
                \#(Self.activity("probe", "refused", Self.http("http://127.0.0.1:1/x", arguments: #"{"pw": "${pw}"}"#))),
                \#(Self.activity("action", "python-logs", #"{"type": "python", "module": "chaostests", "func": "shout", "arguments": {"message": "${pw}"}}"#))]}
            """#
        let r = try Self.run(experiment, env: ["CHAOS_SECRET_TEST_PW": password])
        #expect(r.out.code == 0, "\(r.out.stderr)")
        #expect(r.output(0)?["body"]?["query"] == .string("pw=***"))
        #expect(r.output(1)?["body"]?["body"] == .string("pw=***"))
        #expect(r.output(1)?["body"]?["content_type"] == .string("application/x-www-form-urlencoded"))
        #expect(r.output(2)?["body"]?["body"] == .string(#"{"pw": "***"}"#))
        let echoed = try #require(r.output(3)?["body"]?.string)
        #expect(echoed.contains("Authorization: Basic ***\n"), "\(echoed)")
        let refused = try #require(r.journal["run"]?.array?[4])
        #expect(refused["status"] == .string("failed"))
        #expect(refused["exception"]?.array?.last?.string?.contains("pw=***") == true)
        #expect(
            r.out.lines.contains { $0.hasPrefix("ERROR   => failed: failed to connect to") && $0.contains("pw=***") })
        #expect(r.out.lines.contains("ERROR Found an error in traces: ***"))
        // An env declaration names where the value comes from; it stays.
        #expect(r.journal["experiment"]?["secrets"]?["api"]?["pw"]?["key"] == .string("CHAOS_SECRET_TEST_PW"))
        #expect(r.journal["experiment"]?["secrets"]?["api"]?["pass"] == .string("***"))
        let basic = Data("admin:S3cret-Pass".utf8).base64EncodedString()
        Self.expectAbsent(
            [
                password, "p%40ss+w0rd%2F%C3%A9%22x", "p%40ss%20w0rd", #"p@ss w0rd/é\"x"#, "S3cret-Pass", basic,
            ], in: r)
    }

    @Test func theRunnersOwnFieldsAndLinesAreNeverMasked() throws {
        let experiment = """
            {"title": "Serving markers", "description": "d",
             "secrets": {"s": {"status": "completed", "os": "Linux", "word": "Serving"}},
             "method": [
                \(Self.activity("probe", "Linux-kernel", RunTests.process("uname", #"["-s"]"#))),
                \(Self.activity("action", "completed-Serving", RunTests.process("echo", #"["Serving"]"#)))]}
            """
        let r = try Self.run(experiment)
        #expect(r.out.code == 0, "\(r.out.stderr)")
        #expect(r.journal["status"] == .string("completed"))
        #expect(r.journal["platform"]?.string?.hasPrefix("Linux-") == true)
        #expect(r.journal["experiment"]?["title"] == .string("Serving markers"))
        #expect(
            r.journal["run"]?.array?.map { $0["activity"]?["name"]?.string ?? "" } == [
                "Linux-kernel", "completed-Serving",
            ])
        #expect(r.journal["run"]?.array?.map { $0["status"]?.string ?? "" } == ["succeeded", "succeeded"])
        #expect(r.journal["run"]?.array?.map { $0["activity"]?["type"]?.string ?? "" } == ["probe", "action"])
        // What came from outside is masked, even when it reads like the runner's words.
        #expect(r.output(0)?["stdout"] == .string("***\n"))
        #expect(r.output(1)?["stdout"] == .string("***\n"))
        #expect(r.journal["experiment"]?["secrets"]?["s"]?["status"] == .string("***"))
        for lines in [r.out.lines, r.logText.split(separator: "\n").map(String.init)] {
            let text = lines.joined(separator: "\n")
            #expect(text.contains("Running experiment: Serving markers"))
            #expect(text.contains("Probe: Linux-kernel"))
            #expect(text.contains("Action: completed-Serving"))
            #expect(text.contains("Experiment ended with status: completed"))
        }
    }

    @Test func secretsChaoslibCopiesIntoTheExperimentEchoAreMasked() throws {
        let tolerance =
            #"{"type": "probe", "name": "tol", "provider": {"type": "python", "module": "chaostests", "func": "status_is_zero", "arguments": {}}}"#
        let experiment = """
            {"title": "echo", "description": "d",
             "configuration": {"dyn": {"type": "probe", "name": "d", "provider": {"type": "process", "path": "echo", "arguments": ["x"]}}},
             "secrets": {"s": {"tok": "zz-secret-99"}},
             "steady-state-hypothesis": {"title": "h", "probes": [
                \(Self.activity("probe", "echo-token", RunTests.process("echo", #"["${tok}"]"#), extra: #""tolerance": \#(tolerance)"#))]},
             "method": []}
            """
        let r = try Self.run(experiment)
        #expect(r.out.code == 0, "\(r.out.stderr)")
        let e = try #require(r.journal["experiment"])
        #expect(e["configuration"]?["dyn"]?["provider"]?["secrets"]?["s"]?["tok"] == .string("***"))
        let injected = e["steady-state-hypothesis"]?["probes"]?.array?.first?["tolerance"]?["provider"]?["arguments"]?[
            "value"]
        #expect(injected?["stdout"] == .string("***\n"))
        #expect(injected?["status"] == .int(0))
        let record = r.journal["steady_states"]?["before"]?["probes"]?.array?.first
        #expect(record?["output"]?["stdout"] == .string("***\n"))
        #expect(record?["activity"]?["tolerance"]?["provider"]?["arguments"]?["value"]?["stdout"] == .string("***\n"))
        Self.expectAbsent(["zz-secret-99"], in: r)
    }
}
