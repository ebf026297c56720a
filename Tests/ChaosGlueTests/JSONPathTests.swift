import BarrageCore
import ChaosGlue
import Testing

/// jsonpath tolerances against the real jsonpath2 and chaoslib: every expected value comes from running them on
/// the same table (`ChaoslibOracle`), none is written here.
@Suite(
    "jsonpath as jsonpath2 and chaoslib", .serialized,
    .enabled(if: ChaoslibOracle.available, "run scripts/ensure-chaostoolkit"))
struct JSONPathTests {
    static let documents: [String: String] = [
        "dict": #"{"foo": {"bar": {"baz": 1}, "qux": {"baz": 2}, "quux": {"other": 3}, "baz": "top"}}"#,
        "list": #"{"foo": [{"baz": 1}, {"baz": "hello"}, {"x": 2}, {"baz": null}, {"baz": false}, {"baz": 2.0}, 7]}"#,
        "one": #"{"foo": {"baz": "hello"}}"#,
        "misc": #"""
        {"a": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "s": "héllo wörld", "n": null, "t": true, "key": "k1",
         "m": {"k1": 1, "k2": [1, 2], "k3": {"deep": [{"baz": 1}]}}, "e": [], "o": {}}
        """#,
        "store": #"""
        {"store": {"book": [
          {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
          {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
          {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "price": 8.99, "isbn": "0-553"}],
         "bicycle": {"color": "red", "price": 19.95}}}
        """#,
        "scalar": "42",
        "text": #""not json at all""#,
    ]

    /// Paths that parse, each tried on every document.
    static let paths: [String] = [
        "$", "$.foo", "$.foo.*", "$.foo[*]", "$.foo.*[?(@.baz)]", "$.foo[?(@.baz)]", "$.foo[?(@.baz)].baz",
        #"$.foo[?(@.baz="hello")]"#, "$.foo.*[?(@.baz=2)]", "$.foo.*[?(@.baz = 1)]", "$.foo[*][?(@.baz != 1)]",
        "$.foo[*][?(@.baz < 2)]", "$.foo[*][?(@.baz <= 2)]", "$.foo[*][?(@.baz > 1)]", "$.foo[*][?(@.baz >= 1)]",
        "$.foo[*][?(@.baz = null)]", "$.foo[*][?(@.baz = false)]", "$.foo[*][?(@.baz = 0)]",
        "$.foo[*][?(@.baz = true)]", "$.foo[*][?(not @.baz)]", "$.foo[*][?(not not @.baz)]",
        "$.foo[*][?(@.baz and @.baz > 1)]", "$.foo[*][?(@.baz = 1 or @.x = 2)]",
        "$.foo[*][?(@.baz = 2 or @.baz = 1 and @.x)]", "$.foo[*][?(@.x and @.baz = 1 or @.baz = 2)]",
        "$.foo[*][?(not (@.baz = 1 or @.baz = 2))]", "$.foo[*][?((@.baz = 1) or (@.x))]",
        "$.foo[*][?(@.baz = $.foo[0].baz)]", "$.foo[*][?(@ = 7)]", "$.foo[*][?(@ > 5)]",
        #"$.foo[*][?(@.baz = [1, 2])]"#, #"$.foo[*][?(@.baz = {"a": 1})]"#, "$.foo[?(true)]", "$.foo[?(false)]",
        "$.foo[?(0)]", "$.foo[?(1.5)]", #"$.foo[?("")]"#, "$.foo[?([])]", "$.foo[?([0])]", "$.foo[?(null)]",
        "$.foo[?({})]", "$..baz", "$..*", "$..[0]", "$..[?(@.baz)]", "$..[?(@.baz = 1)].baz", "$..[*]",
        "$..foo..baz", "$.a[0]", "$.a[-1]", "$.a[10]", "$.a[-10]", "$.a[-11]", "$.a[1:3]", "$.a[:3]", "$.a[7:]",
        "$.a[-3:]", "$.a[:-7]", "$.a[::3]", "$.a[1:8:2]", "$.a[::-1]", "$.a[8:2:-2]", "$.a[-1:-4:-1]",
        "$.a[5:1:-1]", "$.a[0:-20:-1]", "$.a[-20:3]", "$.a[2:-20:-1]", "$.a[-20:-18]", "$.a[:]", "$.a[::]",
        "$.a[20:0:-3]", "$.a[0,2,4]", "$.a[0,0]", "$.a[-1,1:3,*]", "$.a[99999999999999999999]",
        "$.a[-99999999999999999999:2]", "$.a[:999:4]", "$.a[-999:999:999]",
        #"$["foo"]"#, #"$["foo","a"]"#, #"$.m["k2"][1]"#, "$.m.*", "$.m[*][0]", "$.a[$.t]", "$.m[$.key]",
        "$.a[@.t]", "$.m[@.key]", "$.s.length()", "$.a.length()", "$.m.keys()", "$.m.values()", "$.m.entries()",
        "$.a.entries()", "$.a.keys()", "$.a.values()", "$.s.charAt(1)", "$.s.charAt(-1)", "$.s.charAt(99)",
        "$.s.charAt(true)", "$.s.substring(2)", "$.s.substring(1, 4)", "$.s.substring(-3)", "$.s.substring(4, 1)",
        "$.a[length()]", "$.a.length(1)", "$.m.k1.length()", "$.m.*.length()", "$.s.charAt($.m.k1)",
        "$.s.substring($.a[1:4])", "$..[?(@.baz)].baz", "$.m.k3.deep[0].baz", "$..deep[?(@.baz >= 1)]",
        "$.store.book[?(@.price < 10)].title", "$.store.book[*][?(@.price < 10)].title", "$.store..price",
        "$..book[?(@.isbn)]", "$..book[*][?(@.isbn)].title", "$..book[-1:]", "$.store.*", "$..book[0,1].author",
        #"$.store.book[*][?(@.category = "fiction" and @.price > 10)].author"#, "$..[?(@.price > 10)].price",
        "$.store.book[*].author.length()", "$.e[*]", "$.e[0]", "$.o.*", "$.o[?(@)]", "$.n", "$.t", "$..n",
        "  $.foo  ", "$ .foo [ 0 ]", "$\t.a\n[1]", #"$["a\"b"]"#, #"$.foo[?(@.baz = "a\nb")]"#,
        "$.a[?(@[0] = 0)]", "$[?(@.foo)]", "$[?(@.a[1] = 1)].s", "$.a[-0]", "$.a[1.0e0:]",
    ]

    /// Paths jsonpath2 rejects (or that parse differently from other JSONPath dialects).
    static let syntax: [String] = [
        "", "   ", "foo", "$.", "$..", "$...foo", "$.foo.", "$['foo']", "$.foo[?(@.baz == 1)]", "$.foo[?(@.baz=1]",
        "$.true", "$.null", "$.and", "$.not", "$[foo]", "$.a[1.5]", "$.a[1e2]", "$.a[01]", "$.foo bar", "$.foo-bar",
        "$.foo.unknownfn()", "$.a[:1.5]", "$.*.", "$[]", "$.foo[?()]", "$.a[,]", "@.foo", "$$", #"$.foo["a\qb"]"#,
        #"$.foo["unterminated]"#, "$.é", "$.foo[?(@.baz = 'x')]", "$.foo[?(@.baz === 1)]", "$.foo[?(@.baz ! 1)]",
        "$.foo[?(@.baz = -)]", "$.foo[?(@.baz = 1.)]", "$.foo[?(@.baz = 1e)]", "$.a[1:2:3:4]", "$.a[-]",
        "$.foo[(@.baz)]", "$.foo[?@.baz]", "$.foo.length", "$.foo.length(", "$.a[length]", "$..length()",
        "$.foo[?(@.baz in [1])]", "$.foo[?(@.baz = {1: 2})]", "$.foo[?(@.baz = [1,])]", "$.a[1:2", "$.foo_bar",
        "$._", "$.a1", "$.a[?(@.x=TRUE)]", "$.a[?(@.x=True)]", "$.a[?(@.x = nul)]", "$.andx", "$.true_", "$.a[0x1]",
        "$.a[+1]", "$.a[1 2]", "$.foo[\"a\" \"b\"]", "$[*,]", "$.foo.*.*[?(@.baz)][0]", "$..[::-1]", "$.a[::0]",
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var document: String
        var path: String
        var testDescription: String { "\(path) on \(document)" }
    }

    static let cases: [Case] = documents.keys.sorted().flatMap { d in
        (paths + syntax).map { Case(document: d, path: $0) }
    }

    /// jsonpath2's values for every case (or what it raised), then chaoslib's verdicts for `count` 0...2, a scalar
    /// `expect` of the first value, and no `count`/`expect`; and the validation answers for every path.
    static let oracle: [JSON]? = {
        var requests: [JSON] = []
        for c in cases {
            let value = ChaoslibOracle.json(documents[c.document] ?? "null")
            let path = JSON.string(c.path)
            requests.append(.object([.init("op", .string("values")), .init("path", path), .init("value", value)]))
            for tolerance in tolerances(path) {
                requests.append(
                    .object([.init("op", .string("tolerance")), .init("tolerance", tolerance), .init("value", value)]))
            }
        }
        for path in paths + syntax {
            let t = JSON.object([.init("type", .string("jsonpath")), .init("path", .string(path))])
            requests.append(.object([.init("op", .string("validate")), .init("tolerance", t)]))
        }
        return try? ChaoslibOracle.ask(requests)
    }()

    static func tolerances(_ path: JSON) -> [JSON] {
        let base: [JSON.Member] = [.init("type", .string("jsonpath")), .init("path", path)]
        return [.object(base)] + (0...2).map { .object(base + [.init("count", .int($0))]) } + [
            .object(base + [.init("expect", .int(1))]), .object(base + [.init("expect", .string("hello"))]),
            .object(base + [.init("expect", .array([.int(1), .int(2)]))]),
        ]
    }

    @Test("values and verdicts", arguments: cases)
    func verdicts(_ c: Case) throws {
        let answers = try #require(Self.oracle, "the oracle did not answer")
        let index = try #require(Self.cases.firstIndex { $0.path == c.path && $0.document == c.document })
        let perCase = 1 + Self.tolerances(.null).count
        let value = ChaoslibOracle.json(Self.documents[c.document] ?? "null")
        let expected = answers[index * perCase]
        let parsed = try? JSONPath(c.path)
        if let values = expected["values"] {
            let path = try #require(parsed, "jsonpath2 parses \(c.path)")
            let mine = try path.values(in: value)
            #expect(JSON.array(mine).pythonDumps() == values.pythonDumps())
        } else if expected["parse_error"] != nil {
            #expect(parsed == nil, "jsonpath2 rejects \(c.path)")
        } else {
            #expect(throws: JSONPath.MatchError.self) { _ = try parsed?.values(in: value) }
        }
        let s = Substitution(configuration: .object([]), secrets: .object([]))
        for (offset, tolerance) in Self.tolerances(.string(c.path)).enumerated() {
            let answer = answers[index * perCase + 1 + offset]
            if let met = answer["met"] {
                let mine = try Tolerance.check(tolerance, value: value, substitution: s)
                #expect(.bool(mine) == met, "\(tolerance.pythonDumps())")
            } else {
                #expect(throws: ChaosError.self, "\(tolerance.pythonDumps())") {
                    _ = try Tolerance.check(tolerance, value: value, substitution: s)
                }
            }
        }
    }

    @Test("validation", arguments: paths + syntax)
    func validation(_ path: String) throws {
        let answers = try #require(Self.oracle, "the oracle did not answer")
        let index = try #require((Self.paths + Self.syntax).firstIndex(of: path))
        let answer = answers[Self.cases.count * (1 + Self.tolerances(.null).count) + index]
        let tolerance = #"{"type": "jsonpath", "path": \#(JSON.string(path).pythonDumps())}"#
        let mine = ValidationTests.validate(ValidationTests.tol(tolerance))
        #expect(mine == answer["invalid"]?.string)
    }
}
