import BarrageCore
import Foundation
import TestSupport
import Testing

/// `barrage chaos discover`: barrage's native extensions described as their Python packages would be, and any
/// other package discovered by chaoslib through Python, compared with the real `chaos discover`.
@Suite("chaos discover", .timeLimit(.minutes(2)))
struct ChaosDiscoverTests {
    /// A package installed nowhere but in `dir/pp`: a `fakeext` distribution whose `discover()` uses chaoslib.
    static func writeFakeExtension(in dir: String) throws {
        let root = dir + "/pp"
        try FileManager.default.createDirectory(atPath: root + "/fakeext", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: root + "/fakeext-0.1.dist-info", withIntermediateDirectories: true)
        let files = [
            "fakeext-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: fakeext\nVersion: 0.1\n",
            "fakeext-0.1.dist-info/top_level.txt": "fakeext\n",
            "fakeext/__init__.py": """
            from chaoslib.discovery.discover import discover_actions, discover_probes, initialize_discovery_result


            def discover(discover_system: bool = True):
                d = initialize_discovery_result("fakeext", "0.1", "fake")
                d["activities"].extend(discover_probes("fakeext.probes"))
                d["activities"].extend(discover_actions("fakeext.actions"))
                return d

            """,
            "fakeext/probes.py": """
            from typing import Any, Dict, List

            __all__ = ["count_things", "read_state"]


            def count_things(where: str, limit: int = 10, ratio: float = 0.5,
                             configuration: Dict[str, Any] = None, secrets: Dict[str, Any] = None) -> int:
                \"\"\"Count things somewhere.

                Another line; \u{FC}n\u{EF}code.\"\"\"
                return 0


            def read_state(names: List[str], strict: bool = False):
                \"\"\"Read the state.\"\"\"
                return {}

            """,
            "fakeext/actions.py": """
            __all__ = ["break_it"]


            def break_it(target: str, delay: float = None, mode: str = "hard") -> None:
                \"\"\"Break the target.\"\"\"

            """,
        ]
        for (name, text) in files {
            _ = FileManager.default.createFile(atPath: root + "/" + name, contents: Data(text.utf8))
        }
    }

    /// The document without the two fields that differ on every run.
    static func stable(_ text: String?) -> String? {
        guard let text else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.hasPrefix("  \"id\": ") && !$0.hasPrefix("  \"date\": ")
        }.joined(separator: "\n")
    }

    @Test(
        "a Python package: the same document and lines as the real chaos discover",
        .enabled(if: RealChaos.path != nil, "run scripts/ensure-chaostoolkit"))
    func pythonPackageLikeRealCLI() throws {
        let real = try #require(RealChaos.path)
        let python = try #require(Paths.chaostoolkitPython)
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeFakeExtension(in: dir)
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = dir + "/pp"
        env["BARRAGE_PYTHON"] = python
        for system in [[], ["--no-system-info"]] {
            let args = ["--no-log-file", "discover", "--no-install"] + system + ["--discovery-path"]
            let r = try Run.process(real, args + ["r.json", "fakeext"], environment: env, currentDirectory: dir)
            let b = try Run.process(
                Paths.barrage, ["chaos"] + args + ["b.json", "fakeext"], environment: env, currentDirectory: dir)
            #expect(r.status == 0)
            #expect(b.status == 0)
            let expected = Self.stable(Chaos.read(dir + "/r.json"))
            #expect(expected != nil)
            #expect(Self.stable(Chaos.read(dir + "/b.json")) == expected)
            #expect(
                Chaos.Outcome(code: 0, stdout: "", stderr: r.stderr).lines == ["INFO Discovery outcome saved in r.json"]
            )
            #expect(
                Chaos.Outcome(code: 0, stdout: "", stderr: b.stderr).lines == ["INFO Discovery outcome saved in b.json"]
            )
        }
    }

    @Test(
        "a package that is not installed: the real tool's CRITICAL line and exit 0",
        .enabled(if: RealChaos.path != nil, "run scripts/ensure-chaostoolkit"))
    func missingPackageLikeRealCLI() throws {
        let real = try #require(RealChaos.path)
        let python = try #require(Paths.chaostoolkitPython)
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var env = ProcessInfo.processInfo.environment
        env["BARRAGE_PYTHON"] = python
        let args = ["--no-log-file", "discover", "--no-install", "no-such-package-xyz"]
        let r = try Run.process(real, args, environment: env, currentDirectory: dir)
        let b = try Run.process(Paths.barrage, ["chaos"] + args, environment: env, currentDirectory: dir)
        #expect(b.status == r.status)
        #expect(b.stdout == r.stdout)
        let lines = Chaos.Outcome(code: 0, stdout: "", stderr: b.stderr).lines
        #expect(lines == Chaos.Outcome(code: 0, stdout: "", stderr: r.stderr).lines)
        #expect(lines == ["CRITICAL Package no-such-package-xyz not found"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/discovery.json"))
    }

    @Test("the same options and arguments as the real chaos discover --help")
    func helpOptions() throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let b = Chaos.run(["chaos", "discover", "--help"], cwd: dir)
        #expect(b.code == 0)
        #expect(
            b.stdout.hasPrefix("Usage: chaos discover [OPTIONS] PACKAGE\n\n  Discover capabilities and experiments."))
        for option in ["--no-system-info", "--no-install", "--discovery-path TEXT", "--help"] {
            #expect(b.stdout.contains("  " + option + " "))
        }
        let missing = Chaos.run(["chaos", "--no-log-file", "discover"], cwd: dir)
        #expect(missing.code == 2)
        #expect(missing.stderr.hasSuffix("Error: Missing argument 'PACKAGE'.\n"))
    }

    /// (package given, module, functions with their parameters as the native providers accept them)
    static let natives: [(String, String, [String: [String]])] = [
        ("barrage", "barrage.probes", ["attack_report": ["results", "window"]]),
        ("barrage.probes", "barrage.probes", ["attack_report": ["results", "window"]]),
        (
            "chaostoolkit-prometheus", "chaosprometheus.probes",
            [
                "query": ["query", "when", "timeout", "configuration", "secrets"],
                "query_interval": ["query", "start", "end", "step", "timeout", "configuration", "secrets"],
            ]
        ),
    ]

    @Test(
        "a native extension: chaoslib's fields, and each function's arguments as barrage binds them", arguments: natives
    )
    func nativeExtension(package: String, module: String, functions: [String: [String]]) throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let b = Chaos.run(
            ["chaos", "--no-log-file", "discover", package], cwd: dir, env: ["BARRAGE_PYTHON": "/nonexistent"])
        #expect(b.code == 0)
        #expect(
            b.lines == [
                "INFO barrage does not install packages: discovering '\(package)' as already installed (as --no-install)",
                "INFO Discovery outcome saved in ./discovery.json",
            ])
        let text = try #require(Chaos.read(dir + "/discovery.json"))
        let doc = try #require(JSON.parse(Array(text.utf8)))
        #expect(
            doc.members?.map(\.key) == [
                "chaoslib_version", "id", "target", "date", "platform", "extension", "activities", "system",
            ])
        #expect(
            doc["platform"]?.members?.map(\.key) == [
                "system", "node", "release", "version", "machine", "proc", "python",
            ])
        let activities = try #require(doc["activities"]?.array)
        #expect(activities.compactMap { $0["name"]?.string } == functions.keys.sorted())
        for activity in activities {
            #expect(activity.members?.map(\.key) == ["type", "name", "mod", "doc", "arguments", "return_type"])
            #expect(activity["mod"]?.string == module)
            #expect(activity["type"]?.string == "probe")
            let doc = activity["doc"]?.string ?? ""
            #expect(!doc.isEmpty)
            let names = (activity["arguments"]?.array ?? []).compactMap { $0["name"]?.string }
            let name = activity["name"]?.string ?? ""
            #expect(names == functions[name])
        }
    }
}
