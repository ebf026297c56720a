import BarrageCore
import Foundation
import TestSupport
import Testing

/// `barrage chaos` and the real `chaos` (chaostoolkit 1.19, from `scripts/ensure-chaostoolkit`) on the same files:
/// exit status, standard output and the console lines (timestamps aside) must be the same.
@Suite(
    "barrage chaos against the real chaos", .timeLimit(.minutes(3)),
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
    }

    /// Runs `executable` with `args` in a fresh directory holding `files`.
    static func run(_ executable: String, _ args: [String], files: [String: String]) throws -> Outcome {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8))
        }
        let out = try Run.process(executable, args, currentDirectory: dir)
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
        }
        return Outcome(status: out.status, stdout: out.stdoutText, lines: lines, journal: journal)
    }
}
