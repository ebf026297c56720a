import BarrageCore
import ChaosGlue
import Testing

/// Regex tolerance patterns against the real Python `re` (and chaoslib's validation message): every expected
/// verdict and error comes from running Python on the same table.
@Suite("regex as Python's re", .serialized, .enabled(if: ChaoslibOracle.available, "run scripts/ensure-chaostoolkit"))
struct PythonRegexTests {
    static let subjects: [String] = [
        "", "hello world", "Hello World\n", "line1\nline2\n", "a\nb", "abc123 def_456", "x{2}", "aaa", "aaaa",
        "héllo wörld ß ǅ", "tab\there", "\u{1c}sep", "٣ digits ٤", "foo.bar", "a-b]c", "[x]", "$5.00", "\\path",
        "café CAFÉ", "ab", "aab", "abab", "xyz", "42\n", "end\n\n", "über_alles", "\u{2028}", "{,}", "a{,2}",
        "ok: 200", "status=500 error", "ba", "bba", "{}",
    ]

    static let patterns: [String] = [
        "hello", "^hello", "world$", "^line2$", "(?m)^line2$", "(?m)^$", "^$", "$", "\\Aline1", "line2\\Z", "line2$",
        "\\Z", "\\A\\Z", "(?s)a.b", "a.b", ".", "^.*$", "(?P<word>o)(?P=word)", "(?P<w>l)(?P=w)", "(l)\\1",
        "(?P<first>a)(?P<second>b)(?P=second)?", "x{2}", "x\\{2\\}", "\\{", "a{", "a{,2}", "a{2,}", "a{1,2}b",
        "a{,}", "{", "{}", "x{a}", "a{2}?", "a{2}+", "a++b", "a*+a", "(?>a+)b", "(?i)HELLO", "(?i:HELLO) world",
        "(?-i:H)ello", "(?i)h(?-i:E)llo", "(?x) h e l l o  # comment", "(?x)hello\\ world", "(?x)[ ]", "\\d+",
        "\\D+", "\\w+", "\\W", "\\s", "\\S+", "(?a)\\w+", "(?a)\\d", "(?a)\\s", "\\bworld\\b", "\\Bor\\B", "\\b",
        "(?a)\\bwörld", "\\bwörld", "[a-c]+", "[^a-z]", "[]a]", "[^]a]", "[a\\-z]", "[a-]", "[-a]", "[\\w.]+",
        "[\\d\\s]+", "[\\W]", "[\\S]", "[\\D]", "[.]", "[$]", "[\\b]", "[&&]", "[a--b]", "[[x]", "[x]]", "\\x41",
        "\\u00e9", "\\U0001F600", "\\N{LATIN SMALL LETTER E WITH ACUTE}", "\\N{EM DASH}", "\\101", "\\0", "\\n",
        "\\t", "\\.", "\\$", "\\\\", "\\-", "\\ ", "\\#", "\\'", "(?=world)w", "(?!hello)\\w+", "(?<=hello )world",
        "(?<!x)y", "(?<=(a))b", "(a)?(?(1)b|c)", "(a)?b(?(1)b)", "(?P<x>a)?(?(x)b|c)", "(?(1)a|b)(x)", "a|b|",
        "|", "()", "(?:)", "(?#comment)hello", "é", "ß", "(?i)ǆ", "(?i)CAFÉ", "caf\\u00e9", "(?i)straße",
        "[^\\n]+", "\\d{3}", "^(ok|status)", "error$", "(?m)error$", "^\\s*$", "a(?=b)", "ok: 2\\d\\d", "5\\d\\d",
        "(?i)STATUS=5", "(a|b)*c", "(ab)+", "(?:ab)+$", "a*?b", "a??b", "[\\u00e9]", "\\x7b\\x7d", "(?u)\\w",
        "(?s:.)+", "(?m:^b)", "(?-s:.)", "(?i)[a-c]+", "[\\x00-\\x7f]+", "\\$\\d+\\.\\d\\d", "(?x) \\d+ [.] \\d+",
    ]

    static let errors: [String] = [
        "[", "[a", "[a-", "[a-z", "(", "(abc", "(?P<n>a", ")", "a)", "*", "+a", "?", "a**", "a{2}{3}", "a{3,2}",
        "\\", "abc\\", "\\q", "\\z", "\\G", "\\p{L}", "\\K", "\\Qa\\E", "\\x4", "\\x", "\\u12", "\\U0011FFFF",
        "\\N", "\\N{", "\\N{NOT A REAL NAME}", "\\1", "(a)\\2", "(a\\1)", "(?P<n>a)(?P=m)", "(?P<1n>a)",
        "(?P<n>a)(?P<n>b)", "(?P=)", "(?P<>a)", "(?Px)", "(?", "(?<a)", "(?<", "(?z)", "(?i", "(?i-", "(?-i)",
        "(?i-i:a)", "(?L)a", "(?au)a", "(?-a:x)", "a(?i)b", "(?i)a(?m)", "(?#unterminated", "(?(2)a|b)", "(?(x)a)",
        "(?(1a)a)", "(?(0)a)", "(a)(?(1)a|b|c)", "(?<=a+)b", "(?<=a|bc)d", "(?<!a*)b", "[z-a]", "[\\w-z]",
        "[a-\\d]", "\\400", "[\\400]", "[\\8]", "^*", "$+", "\\b*", "(?<=(x)\\1)y",
        "a{4294967295}", "(?x)[", "(?x)a # ) comment\n)", "x{1,2}{3}", "(?i:a", "(?:a|b", "a|*",
    ]

    static let answers: [JSON]? = {
        var requests: [JSON] = []
        for p in patterns + errors {
            for s in subjects {
                requests.append(
                    .object([.init("op", .string("regex")), .init("pattern", .string(p)), .init("subject", .string(s))])
                )
            }
        }
        for p in patterns + errors {
            let t = JSON.object([.init("type", .string("regex")), .init("pattern", .string(p))])
            requests.append(.object([.init("op", .string("validate")), .init("tolerance", t)]))
        }
        return try? ChaoslibOracle.ask(requests)
    }()

    @Test("search and errors as re.search", arguments: patterns + errors)
    func search(_ pattern: String) throws {
        let answers = try #require(Self.answers, "the oracle did not answer")
        let index = try #require((Self.patterns + Self.errors).firstIndex(of: pattern))
        let first = answers[index * Self.subjects.count]
        if let message = first["error"]?.string {
            let position = first["pos"].flatMap { v -> Int? in if case .int(let i) = v { return i } else { return nil }
            }
            #expect(throws: PythonRegex.Error(message: message, position: position)) { _ = try PythonRegex(pattern) }
            return
        }
        let regex = try PythonRegex(pattern)
        for (offset, subject) in Self.subjects.enumerated() {
            let answer = answers[index * Self.subjects.count + offset]
            #expect(.bool(regex.search(subject)) == answer["match"], "\(pattern) on \(subject.debugDescription)")
        }
    }

    @Test("validation messages", arguments: patterns + errors)
    func validation(_ pattern: String) throws {
        let answers = try #require(Self.answers, "the oracle did not answer")
        let all = Self.patterns + Self.errors
        let index = try #require(all.firstIndex(of: pattern))
        let answer = answers[all.count * Self.subjects.count + index]
        let tolerance = #"{"type": "regex", "pattern": \#(JSON.string(pattern).pythonDumps())}"#
        let mine = ValidationTests.validate(ValidationTests.tol(tolerance))
        if answer["raised"] != nil {
            #expect(mine != nil, "chaoslib's validation raises \(answer.pythonDumps())")
        } else {
            #expect(mine == answer["invalid"]?.string)
        }
    }
}
