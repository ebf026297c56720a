import BarrageCore
import ChaosGlue
import Foundation
import TestSupport

/// Helpers for the chaos tests: temp dirs, running the built binary, the loopback HTTP server.
enum Chaos {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"

    /// A fresh directory under /tmp.
    static func tempDir() -> String {
        let path = NSTemporaryDirectory() + "chaos-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    struct Outcome {
        var code: Int32
        var stdout: String
        var stderr: String
        /// Console lines without colour codes and timestamps: `INFO Running experiment: x`.
        var lines: [String] {
            stderr.split(separator: "\n").compactMap { line -> String? in
                var l = String(line)
                if l.hasPrefix("\u{1B}["), let m = l.firstIndex(of: "m") { l = String(l[l.index(after: m)...]) }
                guard l.hasPrefix("["), let close = l.firstIndex(of: "]") else { return nil }
                let inside = l[l.index(after: l.startIndex)..<close].split(separator: " ")
                guard inside.count == 3 else { return nil }
                return "\(inside[2])\(l[l.index(after: close)...])"
            }
        }
    }

    /// Runs the built `barrage` with `args` in `cwd`, with `env` added to the environment.
    static func run(_ args: [String], cwd: String, env: [String: String] = [:], stdin: String? = nil) -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        do {
            let out = try Run.process(Paths.barrage, args, environment: environment, currentDirectory: cwd)
            return Outcome(code: out.status, stdout: out.stdoutText, stderr: out.stderr)
        } catch {
            return Outcome(code: -1, stdout: "", stderr: "\(error)")
        }
    }

    /// Runs an experiment file in a fresh directory; returns the outcome, the journal (if written) and the directory.
    static func runExperiment(
        _ experiment: String, name: String = "experiment.json", options: [String] = [], env: [String: String] = [:],
        files: [String: String] = [:], global: [String] = ["--no-log-file"]
    ) -> (Outcome, JSON?, String) {
        let dir = tempDir()
        write(experiment, to: dir + "/" + name)
        for (n, t) in files { write(t, to: dir + "/" + n) }
        var environment = env
        environment["PYTHONPATH"] = Paths.fixtures + "/pymods"
        let outcome = run(["chaos"] + global + ["run"] + options + [name], cwd: dir, env: environment)
        let journal = try? ExperimentLoader.loadFile(dir + "/journal.json")
        return (outcome, journal, dir)
    }

    /// The shared loopback server (TestSupport's, with the chaos http provider's JSON routes and the files of
    /// `root`), started on first use; it exits when this process does.
    static let server: Server = Server()

    final class Server: Sendable {
        let root: String
        let server: TestServer?

        init() {
            root = Chaos.tempDir()
            Chaos.write("hello chaos\n", to: root + "/marker.txt")
            server = TestServer(extra: ["--json", "--root", root])
        }

        var port: Int { server?.port ?? 0 }
        var url: String { "http://127.0.0.1:\(port)" }
    }
}
