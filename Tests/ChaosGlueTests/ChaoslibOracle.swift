import BarrageCore
import ChaosGlue
import TestSupport

/// The real chaoslib, jsonpath2 and Python `re` (`Fixtures/chaoslib_oracle.py` run by the interpreter
/// `scripts/ensure-chaostoolkit` prepares): the expected side of the tolerance tables.
enum ChaoslibOracle {
    /// Whether the real packages are installed; the tables are skipped without them.
    static var available: Bool { Paths.chaostoolkitPython != nil }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One answer per request, in order (see the script for the requests and answers).
    static func ask(_ requests: [JSON]) throws -> [JSON] {
        guard let python = Paths.chaostoolkitPython else { throw Failure(description: "no chaostoolkit python") }
        let script = Paths.directory(of: #filePath) + "/Fixtures/chaoslib_oracle.py"
        let input = requests.map { $0.pythonDumps(ensureASCII: true) + "\n" }.joined()
        let out = try Run.process(python, [script], input: Array(input.utf8))
        guard out.status == 0 else { throw Failure(description: "oracle exited \(out.status): \(out.stderr)") }
        let answers = try out.stdoutText.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        guard answers.count == requests.count else {
            throw Failure(description: "oracle gave \(answers.count) answers to \(requests.count) requests")
        }
        return answers
    }

    /// Parses JSON written in a test table.
    static func json(_ text: String) -> JSON { (try? ExperimentLoader.parse(text, name: "table")) ?? .string(text) }
}
