import BarrageCore
import Foundation
import TestSupport
import Testing

/// `barrage chaos` and the real `chaos` (chaostoolkit 1.19, from `scripts/ensure-chaostoolkit`) on the same files:
/// exit status, standard output and the console lines (timestamps aside) must be the same.
@Suite(
    "barrage chaos against the real chaos", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: RealChaos.path != nil, "run scripts/ensure-chaostoolkit"))
struct ChaosAgainstRealCLITests {
    /// (name, files in the directory, arguments after `chaos`)
    static let cases: [(String, [String: String], [String])] = [
        (
            "vault secret with a key and no path",
            [
                "e.json":
                    #"{"title": "t", "description": "d", "secrets": {"s": {"tok": {"type": "vault", "key": "k"}}}, "method": []}"#
            ],
            ["validate", "e.json"]
        ),
        (
            "vault secret with a path",
            [
                "e.json":
                    #"{"title": "t", "description": "d", "secrets": {"s": {"tok": {"type": "vault", "path": "p"}}}, "method": []}"#
            ],
            ["validate", "e.json"]
        ),
        (
            "vault secrets, dict arguments, run",
            [
                "e.json": #"""
                {"title": "t", "description": "d",
                 "secrets": {"s": {"tok": {"type": "vault", "key": "k"}, "t2": {"type": "vault"}, "other": "x"}},
                 "method": [{"type": "action", "name": "a", "provider": {"type": "process", "path": "echo", "arguments": {"-n": "zz"}}},
                   {"type": "action", "name": "b", "provider": {"type": "process", "path": "echo", "arguments": "hello"}}]}
                """#
            ],
            ["--verbose", "run", "e.json"]
        ),
        (
            "deprecated continously strategy",
            ["e.json": #"{"title": "t", "description": "d", "method": []}"#],
            ["run", "--hypothesis-strategy=continously", "e.json"]
        ),
    ]

    static let mergeKeys = """
        title: merge keys
        description: d
        x-defaults: &proc
          type: process
          path: echo
        x-more: &more
          timeout: 5
          path: printf
          arguments: "more"
        method:
          - type: action
            name: one mapping
            provider:
              <<: *proc
              arguments: "one"
          - type: action
            name: a list, the first listed wins
            provider:
              <<: [*more, *proc]
          - type: action
            name: own keys win
            provider:
              path: "true"
              <<: *proc
          - &act
            type: action
            name: nested
            provider: {<<: {<<: *proc, arguments: "deep"}}
          - <<: *act
            name: merged activity
        """

    /// Experiments of the wrong shape: the same validation message, or the exception the real CLI crashes with.
    static let shapes: [(String, String)] = [
        ("controls: \"abc\"\n", "method: []\n"), ("controls: {a: 1}\n", "method: []\n"),
        ("secrets: 5\n", "method: []\n"), ("secrets: {s: 5}\n", "method: []\n"),
        ("configuration: [1, 2]\n", "method: []\n"), ("", "method: {type: action, name: a}\n"),
        ("", "method: \"abc\"\n"), ("rollbacks: {a: 1}\n", "method: []\n"),
        ("steady-state-hypothesis: {title: h, probes: {a: 1}}\n", "method: []\n"), ("", "method: [5]\n"),
        ("", "method: [\"\"]\n"), ("x: &a 5\nrollbacks:\n  - <<: *a\n    name: x\n", "method: []\n"),
        ("rollbacks:\n  - <<: [1]\n", "method: []\n"), ("controls: [5]\n", "method: []\n"),
    ]

    @Test("wrong shapes", arguments: shapes.indices)
    func shape(_ index: Int) throws {
        let (extra, method) = Self.shapes[index]
        let files = ["e.yaml": "title: t\ndescription: d\n" + extra + method]
        let chaos = try #require(RealChaos.path)
        let real = try RealChaos.run(
            chaos, ["--no-version-check", "--no-log-file", "validate", "e.yaml"], files: files)
        let mine = try RealChaos.run(Paths.barrage, ["chaos", "--no-log-file", "validate", "e.yaml"], files: files)
        #expect(mine.status == real.status)
        let last = mine.lines.last { !$0.isEmpty } ?? ""
        if let exception = real.lines.last(where: { !$0.isEmpty }),
            real.lines.contains(where: { $0.hasPrefix("Traceback") })
        {
            // A crash: one ERROR line with the exception the traceback ends with.
            #expect(last.hasSuffix("ERROR] " + exception) || last.contains("ERROR] " + exception + " ("), "\(files)")
        } else if let problem = real.lines.first(where: { $0.hasPrefix("    expected a mapping") }) {
            #expect(last.contains(problem.trimmingCharacters(in: .whitespaces)), "\(files)")
        } else {
            #expect(mine.lines == real.lines, "\(files)")
        }
    }

    @Test func yamlMergeKeysAsPyYAML() throws {
        let files = ["e.yaml": Self.mergeKeys]
        let chaos = try #require(RealChaos.path)
        let real = try RealChaos.run(chaos, ["--no-version-check", "--no-log-file", "run", "e.yaml"], files: files)
        let mine = try RealChaos.run(Paths.barrage, ["chaos", "--no-log-file", "run", "e.yaml"], files: files)
        #expect(mine.status == real.status)
        #expect(mine.lines == real.lines)
        #expect(mine.activities == real.activities)
        #expect(real.activities?.contains("printf") == true)
    }

    static let settingsFile = """
        runtime:
          rollbacks:
            strategy: always
        auths:
          example.com:
            type: bearer
            value: abc
          "host:8443": {type: basic, value: "x y"}
        controls:
          c1:
            provider:
              type: python
              module: m
              arguments: {n: 3, ratio: 0.5, flag: yes, none: null, list: [1, "two", true], empty: {}, none2: []}
        notes: ["true", "1.5", "", " lead", "a: b", "#x", "-", "- x", "x #y", "it's", "héllo", "2024-01-02", "~", "yes"]
        """

    /// `chaos info` and `chaos settings` with a settings file `s.yaml`: (arguments after the global options).
    static let settingsCases: [[String]] = [
        ["info", "core"], ["info", "settings"], ["info", "nope"], ["info"], ["settings", "show"],
        ["settings", "show", "--format", "json"], ["settings", "show", "--format", "toml"],
        ["settings", "get", "runtime"], ["settings", "get", "runtime.rollbacks.strategy"],
        ["settings", "get", "--format", "json", "controls"], ["settings", "get", "--format", "string", "controls.c1"],
        ["settings", "get", "auths.example\\.com.value"], ["settings", "get", "notes"],
        ["settings", "get", "notes[2]"],
        ["settings", "get", "missing"], ["settings", "get", "notes[99]"],
        ["settings", "set", "runtime.rollbacks.strategy", "\"never\""],
        ["settings", "set", "auths.example\\.com", "{\"type\": \"bearer\", \"value\": \"zz\"}"],
        ["settings", "set", "notes[0]", "42"], ["settings", "set", "nope.x", "1"], ["settings", "remove", "auths"],
        ["settings", "remove", "notes[1]"], ["settings", "remove", "controls.c1.provider.arguments.list"],
        ["settings", "get"], ["settings", "frob"],
    ]

    @Test func settingsSetWithABareFileNameFailsAsChaoslibDoes() throws {
        let files = ["s.yaml": Self.settingsFile]
        let args = ["--settings", "s.yaml", "settings", "set", "runtime.rollbacks.strategy", "\"never\""]
        let chaos = try #require(RealChaos.path)
        let real = try RealChaos.run(chaos, ["--no-version-check", "--no-log-file"] + args, files: files)
        let mine = try RealChaos.run(Paths.barrage, ["chaos", "--no-log-file"] + args, files: files)
        #expect(mine.status == real.status)
        #expect(mine.settings == real.settings)
        #expect(mine.lines.last == real.lines.last)
    }

    @Test("info and settings", arguments: settingsCases)
    func settings(_ args: [String]) throws {
        let files = ["s.yaml": Self.settingsFile]
        let chaos = try #require(RealChaos.path)
        // An absolute path, as chaoslib can only save a settings file whose path names a directory.
        let real = try RealChaos.run(
            chaos, ["--no-version-check", "--no-log-file", "--settings", "{dir}/s.yaml"] + args, files: files)
        let mine = try RealChaos.run(
            Paths.barrage, ["chaos", "--no-log-file", "--settings", "{dir}/s.yaml"] + args, files: files)
        #expect(mine.status == real.status)
        #expect(mine.stdout == real.stdout)
        #expect(mine.settings == real.settings)
        if real.status == 2 { #expect(mine.lines.last == real.lines.last) }
    }

    @Test("same outcome", arguments: cases.indices)
    func same(_ index: Int) throws {
        let (name, files, args) = Self.cases[index]
        let chaos = try #require(RealChaos.path)
        let real = try RealChaos.run(chaos, ["--no-version-check", "--no-log-file"] + args, files: files)
        let mine = try RealChaos.run(Paths.barrage, ["chaos", "--no-log-file"] + args, files: files)
        #expect(mine.status == real.status, "\(name)")
        #expect(mine.stdout == real.stdout, "\(name)")
        #expect(mine.lines == real.lines, "\(name)")
        #expect(mine.journal == real.journal, "\(name)")
    }
}

/// The real Chaos Toolkit CLI, where installed.
enum RealChaos {
    static var path: String? {
        guard let python = Paths.chaostoolkitPython else { return nil }
        return Paths.directory(of: python) + "/chaos"
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        /// stderr without timestamps and DEBUG lines (their texts are each tool's own).
        var lines: [String]
        /// The journal's run outputs and statuses (times, platform and node aside).
        var journal: String?
        /// The journal's method activities as run.
        var activities: String?
        /// The settings file `s.yaml` afterwards.
        var settings: String?
    }

    /// Runs `executable` with `args` in a fresh directory holding `files`.
    static func run(_ executable: String, _ args: [String], files: [String: String]) throws -> Outcome {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8))
        }
        let out = try Run.process(
            executable, args.map { $0.replacingOccurrences(of: "{dir}", with: dir) }, currentDirectory: dir)
        let lines = out.stderr.split(separator: "\n", omittingEmptySubsequences: false).compactMap {
            line -> String? in
            let l = String(line)
            if l.contains(" DEBUG] ") { return nil }
            guard let open = l.range(of: "[20")?.lowerBound, let close = l[open...].firstIndex(of: "]") else {
                return l
            }
            let inside = l[l.index(after: open)..<close].split(separator: " ")
            return String(l[..<open]) + "[" + (inside.last.map(String.init) ?? "") + String(l[close...])
        }
        var journal: String?
        var activities: String?
        if let data = FileManager.default.contents(atPath: dir + "/journal.json"),
            let j = try? JSONParser.parse(Array(data))
        {
            let runs = (j["run"]?.array ?? []).map { r in
                JSON.object([.init("output", r["output"] ?? .null), .init("status", r["status"] ?? .null)])
            }
            journal = JSON.object([
                .init("status", j["status"] ?? .null), .init("deviated", j["deviated"] ?? .null),
                .init("run", .array(runs)),
            ]).pythonDumps()
            activities = JSON.array(j["experiment"]?["method"]?.array ?? []).pythonDumps()
        }
        let settings = FileManager.default.contents(atPath: dir + "/s.yaml").map { String(decoding: $0, as: UTF8.self) }
        return Outcome(
            status: out.status, stdout: out.stdoutText, lines: lines, journal: journal, activities: activities,
            settings: settings)
    }
}
