import BarrageCore
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test(
        "numbers: integers stay Int while they fit, the rest are doubles",
        arguments: [
            ("0", JSON.int(0)), ("-0", .int(0)), ("42", .int(42)), ("007", .int(7)),
            ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)),
            ("123456789012345678901234567890", .double(1.2345678901234568e29)), ("1.0", .double(1)),
            ("2.5e3", .double(2500)), ("-1E-2", .double(-0.01)), ("1e400", .double(.infinity)),
        ])
    func numbers(text: String, value: JSON) throws {
        #expect(try JSONParser.parse(text) == value)
        #expect(try JSONParser.parse(text, .line) == value)
    }

    @Test("objects keep their order; a repeated key keeps its place and takes the last value")
    func memberOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": [true, null], "z": "last", "m": {}}"#)
        #expect(value.members?.map(\.key) == ["z", "a", "m"])
        #expect(value["z"] == .string("last"))
        #expect(value["a"] == .array([.bool(true), .null]))
    }

    @Test("strings: escapes, surrogate pairs, lone surrogates and invalid UTF-8")
    func strings() throws {
        #expect(try JSONParser.parse(#""a\"\\\/\b\f\n\r\t\u00e9""#) == .string("a\"\\/\u{8}\u{C}\n\r\té"))
        #expect(try JSONParser.parse(#""\ud83d\ude80 \uD83D!""#) == .string("🚀 \u{FFFD}!"))
        // Half a pair is U+FFFD, and the escape after it is read on its own (as Go and Python do).
        #expect(try JSONParser.parse(#""\ud83d\u0041\udc00""#) == .string("\u{FFFD}A\u{FFFD}"))
        #expect(try JSONParser.parse([0x22, 0x61, 0xFF, 0x62, 0x22]) == .string("a\u{FFFD}b"))
        #expect(try JSONParser.parse("\"plain ünïcödé\"") == .string("plain ünïcödé"))
    }

    @Test("documents take Python's NaN, Infinity, -Infinity and a byte-order mark; target lines do not")
    func pythonExtensions() throws {
        let value = try JSONParser.parse("[NaN, Infinity, -Infinity]")
        guard case .array(let items) = value, items.count == 3, case .double(let nan) = items[0] else {
            Issue.record("not three doubles: \(value)")
            return
        }
        #expect(nan.isNaN)
        #expect(Array(items.dropFirst()) == [.double(.infinity), .double(-.infinity)])
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object([]))
        #expect(throws: JSONSyntaxError(.expectedValue, at: 1, in: Array("[NaN]".utf8))) {
            try JSONParser.parse("[NaN]", .line)
        }
        #expect(throws: JSONSyntaxError(.expectedDigit(.integer), at: 1, in: Array("-Infinity".utf8))) {
            try JSONParser.parse("-Infinity", .line)
        }
    }

    /// Each error in both wordings: Python's (experiments, with line:column) and vegeta's (targets, with offset).
    static let errors: [(String, String, String)] = [
        ("", "1:1: unexpected end of data, expecting a value", "unexpected end of input near offset 0"),
        ("[1,", "1:4: unexpected end of data, expecting a value", "unexpected end of input near offset 3"),
        ("[1", "1:3: unexpected end of data, expecting ',' or ']'", "unexpected end of input near offset 2"),
        (#"{"a":1"#, "1:7: unexpected end of data, expecting ',' or '}'", "unexpected end of input near offset 6"),
        ("tru", "1:1: expecting a value", "syntax error near offset 0"),
        (#"{"a":1,}"#, "1:8: expecting property name enclosed in double quotes", "expected a string key near offset 7"),
        (#"{"a" 1}"#, "1:6: expecting ':' delimiter", "expected ':' near offset 5"),
        ("[1 2]", "1:4: expecting ',' delimiter", "expected ',' or ']' near offset 3"),
        (#"{"a":1 "b":2}"#, "1:8: expecting ',' delimiter", "expected ',' or '}' near offset 7"),
        ("{} x", "1:4: extra data after the JSON value", "unexpected data after the object near offset 3"),
        ("-", "1:2: expecting a digit", "syntax error near offset 1"),
        ("1.", "1:3: expecting a digit after the decimal point", "syntax error near offset 2"),
        ("1e+", "1:4: expecting a digit in the exponent", "syntax error near offset 3"),
        (#""abc"#, "1:5: unterminated string", "unterminated string near offset 4"),
        ("\"a\u{1}\"", "1:3: invalid control character in string", "control character in string near offset 2"),
        (#""\x""#, "1:3: invalid escape", "bad escape near offset 2"),
        (#""\u12G4""#, "1:4: invalid \\u escape", "bad \\u escape near offset 5"),
        (#""\u12""#, "1:4: invalid \\u escape", "bad \\u escape near offset 3"),
        ("{\n  \"é\": ,\n}", "2:8: expecting a value", "syntax error near offset 10"),
    ]

    @Test("errors: reason and place, worded for experiments and for targets", arguments: errors)
    func syntaxErrors(text: String, python: String, go: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect("\(error.line):\(error.column): \(error.text(.python))" == python)
        }
        do {
            _ = try JSONParser.parse(text, .line)
            Issue.record("no error for \(text)")
        } catch {
            #expect("\(error.text(.go)) near offset \(error.offset)" == go)
        }
    }

    @Test("nesting: 64 levels for a target line, 512 for a document; the error points at the bracket")
    func depth() throws {
        func nested(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        _ = try JSONParser.parse(nested(64), .line)
        #expect(throws: JSONSyntaxError(.tooDeep, at: 64, in: Array(nested(65).utf8))) {
            try JSONParser.parse(nested(65), .line)
        }
        _ = try JSONParser.parse(nested(512))
        #expect(throws: JSONSyntaxError(.tooDeep, at: 512, in: Array(nested(513).utf8))) {
            try JSONParser.parse(nested(513))
        }
        // Deep input never exhausts the stack: it is refused first.
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(nested(100_000)) }
    }

    @Test("JSON.parse is nil for anything but one document")
    func optionalParse() {
        #expect(JSON.parse(Array(#"{"a": [1, 2.5]}"#.utf8)) == .object([.init("a", .array([.int(1), .double(2.5)]))]))
        #expect(JSON.parse(Array("{} {}".utf8)) == nil)
    }
}
