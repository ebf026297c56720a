import BarrageCore
import Testing

@Suite("JSON string escaping")
struct JSONStringTests {
    static let sample = "a<b>&\"\\\n\r\t\u{8}\u{C}\u{1}\u{1f}\u{7f}é\u{2028}\u{2029}🚀"

    @Test(
        "each dialect",
        arguments: [
            // easyjson, as vegeta writes result lines (what the real vegeta printed).
            (JSONEscaping.go, #""a\u003cb\u003e\u0026\"\\\n\r\t\u0008\u000c\u0001\u001f\#u{7f}é\u2028\u2029🚀""#),
            // encoding/json since Go 1.22: \b and \f short.
            (.goEncodingJSON, #""a\u003cb\u003e\u0026\"\\\n\r\t\b\f\u0001\u001f\#u{7f}é\u2028\u2029🚀""#),
            // json.dumps(s, ensure_ascii=False)
            (.python(ensureASCII: false), "\"a<b>&\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\u{7f}é\u{2028}\u{2029}🚀\""),
            // json.dumps(s)
            (
                .python(ensureASCII: true),
                #""a<b>&\"\\\n\r\t\b\f\u0001\u001f\u007f\u00e9\u2028\u2029\ud83d\ude80""#
            ),
        ])
    func dialects(escaping: JSONEscaping, expected: String) {
        #expect(JSONString.quoted(Self.sample, escaping) == expected)
    }

    @Test("invalid UTF-8: each bad byte becomes \\ufffd, as Go writes it")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0x62]
        var out = [UInt8](repeating: 0, count: JSONString.maxLength(bytes.count))
        let n = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let base = dst.baseAddress else { return 0 }
                return JSONString.write(src, .go, to: base)
            }
        }
        #expect(String(decoding: out[..<n], as: UTF8.self) == #""a\ufffd\ufffd(\ufffd\ufffdb""#)
    }

    @Test("the empty string, and appending after what is there")
    func appending() {
        var out = Array("x=".utf8)
        JSONString.append("", .go, to: &out)
        JSONString.append("y", .python(ensureASCII: true), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"x="""y""#)
    }

    @Test(
        "Go's %q",
        arguments: [
            ("plain", #""plain""#), ("a\"b\\c", #""a\"b\\c""#), ("\n\t\r\u{7}\u{8}\u{C}\u{B}", #""\n\t\r\a\b\f\v""#),
            ("\u{1}\u{7f}", #""\x01\x7f""#), ("é 🚀", "\"é 🚀\""), ("\u{200B}\u{85}", #""\u200b\u0085""#),
            ("\u{E0001}", #""\U000e0001""#),
        ])
    func goQuoting(text: String, quoted: String) {
        #expect(goQuote(text) == quoted)
    }

    @Test(
        "Python's repr of a str",
        arguments: [
            ("plain", "'plain'"), ("it's", #""it's""#), (#"it's "x""#, #"'it\'s "x"'"#), (#"a"b\c"#, #"'a"b\\c'"#),
            ("\n\t\r\u{7}\u{7f}", #"'\n\t\r\x07\x7f'"#), ("é 🚀\u{85}", "'é 🚀\u{85}'"),
        ])
    func pythonQuoting(text: String, repr: String) {
        #expect(quoted(text, .python) == repr)
    }
}
