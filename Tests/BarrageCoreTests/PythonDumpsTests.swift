import BarrageCore
import Testing

/// `pythonDumps(indent: 2)` is Python's `json.dump(indent=2, ensure_ascii=False)` (expected strings printed by
/// Python 3.11).
@Suite("JSON as Python dumps it")
struct PythonDumpsTests {
    static let cases: [(JSON, String)] = [
        (.double(1.0), "1.0"), (.double(0.5), "0.5"), (.double(1e-05), "1e-05"), (.double(1e16), "1e+16"),
        (.double(1e15), "1000000000000000.0"), (.double(123456789012345.0), "123456789012345.0"),
        (.double(2.003524), "2.003524"), (.double(-0.0), "-0.0"), (.double(1e22), "1e+22"),
        (.double(0.1 + 0.2), "0.30000000000000004"), (.int(-7), "-7"), (.bool(true), "true"), (.null, "null"),
        (.string("é\u{1F}\"\\\n"), #""é\u001f\"\\\n""#), (.array([]), "[]"), (.object([]), "{}"),
        (.object([.init("a", .array([.int(1), .object([])]))]), "{\n  \"a\": [\n    1,\n    {}\n  ]\n}"),
    ]

    @Test("json.dumps(indent=2, ensure_ascii=False)", arguments: cases)
    func format(value: JSON, expected: String) {
        #expect(value.pythonDumps(indent: 2) == expected)
    }

    @Test func keyOrderSurvivesARoundTrip() throws {
        let text = "{\n  \"z\": 1,\n  \"a\": {\n    \"y\": [\n      true,\n      null\n    ],\n    \"b\": \"x\"\n  }\n}"
        #expect(try JSONParser.parse(text).pythonDumps(indent: 2) == text)
    }

    @Test("json.dumps(x): one line, and ensure_ascii (python-json-logger's and requests' default)")
    func oneLine() {
        let value = JSON.object([.init("é", .array([.string("🚀\u{7f}"), .int(1), .null])), .init("b", .object([]))])
        #expect(value.pythonDumps() == "{\"é\": [\"🚀\u{7f}\", 1, null], \"b\": {}}")
        #expect(value.pythonDumps(ensureASCII: true) == #"{"\u00e9": ["\ud83d\ude80\u007f", 1, null], "b": {}}"#)
    }
}
