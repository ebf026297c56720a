import BarrageCore
import ChaosGlue
import Testing

@Suite("Tolerances")
struct ToleranceTests {
    static func json(_ text: String) -> JSON { (try? ExperimentLoader.parse(text, name: "test")) ?? .null }

    static let process0 = #"{"status": 0, "stdout": "2\n", "stderr": ""}"#
    static let process3 = #"{"status": 3, "stdout": "hello world\n", "stderr": "oops"}"#
    static let http200 =
        #"{"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"items": [1, 2], "error": null}}"#
    static let httpText = #"{"status": 404, "headers": {}, "body": "<html>Not Found</html>"}"#

    /// (tolerance, value, met)
    static let cases: [(String, String, Bool)] = [
        ("true", "true", true), ("true", "false", false), ("false", "false", true), ("true", "1", true),
        ("false", "0", true), ("true", process0, false), ("true", #""true""#, false),
        ("0", process0, true), ("3", process3, true), ("0", process3, false), ("200", http200, true),
        ("404", http200, false), ("5", "5", true), ("5", "5.0", true), ("6", #""6""#, false), ("1", "true", true),
        (#""ok""#, #""ok""#, true), (#""ok""#, #""ok\n""#, false), (#""6""#, "6", false), (#""${n}""#, "3", true),
        (#""v${n}""#, #""v3""#, true), (#""ok""#, #"{"status": "ok"}"#, false),
        ("[0, 1, 2]", process0, true), ("[200, 301, 302]", http200, true), ("[1, 2]", process0, false),
        ("[1, 5]", "3", true), ("[1, 5]", "5", true), ("[1, 5]", "6", false), ("[5, 1]", "3", false),
        (#"["a", "c"]"#, #""b""#, true), (#"["a", "c"]"#, #""d""#, false), ("[1, 2, 3]", "2", true),
        ("[1, 2, 3]", "4", false), ("[200]", "200", true), ("[1.5, 2.5]", "2", true),
        (#"{"type": "regex", "pattern": "hello", "target": "stdout"}"#, process3, true),
        (#"{"type": "regex", "pattern": "^world", "target": "stdout"}"#, process3, false),
        (#"{"type": "regex", "pattern": "wor.d", "target": "stdout"}"#, process3, true),
        (#"{"type": "regex", "pattern": "oo", "target": "stderr"}"#, process3, true),
        (#"{"type": "regex", "pattern": "Not Found", "target": "body"}"#, httpText, true),
        (#"{"type": "regex", "pattern": "v${n}"}"#, #""xv3y""#, true),
        (#"{"type": "regex", "pattern": "\\d+"}"#, #""abc 42""#, true),
        (#"{"type": "jsonpath", "path": "$.items[*]", "target": "body", "count": 2}"#, http200, true),
        (#"{"type": "jsonpath", "path": "$.items[*]", "target": "body", "count": 3}"#, http200, false),
        (#"{"type": "jsonpath", "path": "$.body.items[0]", "expect": 1}"#, http200, true),
        (#"{"type": "jsonpath", "path": "$.items[0]", "expect": 1}"#, http200, false),
        (#"{"type": "jsonpath", "path": "$.items[*]", "target": "body", "expect": [1, 2]}"#, http200, true),
        (#"{"type": "jsonpath", "path": "$.items[*]", "target": "body", "expect": [2, 1]}"#, http200, false),
        (#"{"type": "jsonpath", "path": "$.items[*]", "target": "body", "expect": 1, "count": 2}"#, http200, false),
        (#"{"type": "jsonpath", "path": "$.missing", "target": "body"}"#, http200, false),
        (#"{"type": "jsonpath", "path": "$.error", "target": "body", "count": 1}"#, http200, true),
        (#"{"type": "jsonpath", "path": "$.error", "target": "body", "count": 0}"#, http200, false),
        (
            #"{"type": "jsonpath", "path": "$.a", "target": "stdout", "expect": 5}"#,
            #"{"status": 0, "stdout": "{\"a\": 5}", "stderr": ""}"#, true
        ),
        (#"{"type": "jsonpath", "path": "$..b", "count": 2}"#, #"{"a": {"b": 1}, "c": [{"b": 2}]}"#, true),
        (#"{"type": "jsonpath", "path": "$.xs[*][?(@.v > 1)]", "count": 1}"#, #"{"xs": [{"v": 1}, {"v": 2}]}"#, true),
        (#"{"type": "jsonpath", "path": "$.xs[?(@.v > 1)]", "count": 0}"#, #"{"xs": [{"v": 1}, {"v": 2}]}"#, true),
        (#"{"type": "jsonpath", "path": "$.xs[-1].v", "expect": 2}"#, #"{"xs": [{"v": 1}, {"v": 2}]}"#, true),
        (#"{"type": "jsonpath", "path": "$.xs[0:1]", "count": 1}"#, #"{"xs": [1, 2, 3]}"#, true),
        (#"{"type": "jsonpath", "path": "$.v", "expect": "${n}"}"#, #"{"v": 3}"#, true),
        (#"{"type": "range", "range": [1, 3], "target": "stdout"}"#, process0, true),
        (#"{"type": "range", "range": [3, 5], "target": "stdout"}"#, process0, false),
        (#"{"type": "range", "range": [0, 0], "target": "status"}"#, process0, true),
        (#"{"type": "range", "range": [1, 3]}"#, "2.5", true),
        (#"{"type": "range", "range": [1, 3]}"#, #""abc""#, false),
        (#"{"type": "range", "range": [1, 3]}"#, #"" 3 ""#, true),
        (#"{"type": "range", "range": [1.5, 2]}"#, "1", false),
        (#"{"type": "unknown"}"#, "1", false),
        ("1.5", "1.5", false),
        ("null", "null", false),
    ]

    @Test("within_tolerance", arguments: cases)
    func tolerance(tolerance: String, value: String, met: Bool) throws {
        let s = Substitution(configuration: Self.json(#"{"n": 3}"#), secrets: .object([]))
        let result = try Tolerance.check(Self.json(tolerance), value: Self.json(value), substitution: s)
        #expect(result == met, "\(tolerance) against \(value)")
    }

    /// Where chaostoolkit raises out of the evaluator (a crash: no journal).
    static let crashes: [(String, String)] = [
        (#"{"type": "regex", "pattern": "x"}"#, process0),
        (#"{"type": "regex", "pattern": "x", "target": "stdout"}"#, #""plain string""#),
        (#"{"type": "range", "range": [1, 3]}"#, process0),
        (#"{"type": "range", "range": [1, 3]}"#, "null"),
        (#"[1, 5]"#, #""abc""#),
        (#"{"type": "probe", "name": "p", "provider": {"type": "python", "module": "m", "func": "f"}}"#, "1"),
    ]

    @Test("evaluator errors are crashes", arguments: crashes)
    func crash(tolerance: String, value: String) {
        let s = Substitution(configuration: .object([]), secrets: .object([]))
        #expect(throws: ChaosError.self) {
            _ = try Tolerance.check(Self.json(tolerance), value: Self.json(value), substitution: s)
        }
    }

    @Test func probeToleranceGetsTheValueInjected() throws {
        let s = Substitution(configuration: .object([]), secrets: .object([]))
        let tolerance = Self.json(
            #"{"type": "probe", "name": "p", "provider": {"type": "python", "module": "m", "func": "f", "arguments": {}}}"#
        )
        var seen: JSON?
        let met = try Tolerance.check(tolerance, value: .int(4), substitution: s) { activity in
            seen = activity["provider"]?["arguments"]?["value"]
            return .bool(true)
        }
        #expect(met)
        #expect(seen == .int(4))
    }
}
