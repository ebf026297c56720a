import BarrageCore
import ChaosGlue
import Testing

/// `${name}` inside regex patterns and jsonpath paths and expectations, substituted from configuration and secrets
/// before use; the verdicts come from the real chaoslib on the same table.
@Suite(
    "Substitution in tolerances", .serialized, .enabled(if: ChaoslibOracle.available, "run scripts/ensure-chaostoolkit")
)
struct SubstitutedToleranceTests {
    static let configuration = #"""
        {"key": "foo", "idx": 1, "n": 3, "pat": "h.llo", "word": "config wins", "items": [1, 2], "flag": true,
         "dollar": "$", "path": "$.foo[0]"}
        """#
    static let secrets = #"{"s": {"word": "hello", "token": "s3cr3t"}, "t": {"token": "other", "last": "x3"}}"#

    static let body = #"{"foo": ["hello", "world"], "bar": {"n": 3, "word": "config wins"}, "token": "s3cr3t"}"#
    static let process = #"{"status": 0, "stdout": "hello x3 s3cr3t ${missing} $", "stderr": ""}"#

    /// (tolerance, value)
    static let cases: [(String, String)] = [
        (#"{"type": "regex", "pattern": "${pat} x${n}", "target": "stdout"}"#, process),
        (#"{"type": "regex", "pattern": "^${pat}", "target": "stdout"}"#, process),
        (#"{"type": "regex", "pattern": "${token}$", "target": "stdout"}"#, #"{"stdout": "s3cr3t"}"#),
        (#"{"type": "regex", "pattern": "${token}", "target": "stdout"}"#, #"{"stdout": "other"}"#),
        (#"{"type": "regex", "pattern": "x${last}", "target": "stdout"}"#, #"{"stdout": "xx3"}"#),
        (#"{"type": "regex", "pattern": "$pat", "target": "stdout"}"#, process),
        (#"{"type": "regex", "pattern": "\\$\\{missing\\}", "target": "stdout"}"#, process),
        (#"{"type": "regex", "pattern": "${missing}", "target": "stdout"}"#, process),
        (#"{"type": "regex", "pattern": "$$", "target": "stdout"}"#, process),
        (#"{"type": "regex", "pattern": "x$${n}", "target": "stdout"}"#, #"{"stdout": "x${n}"}"#),
        (#"{"type": "regex", "pattern": "${word}", "target": "stdout"}"#, #"{"stdout": "hello"}"#),
        (#"{"type": "regex", "pattern": "${word}", "target": "stdout"}"#, #"{"stdout": "config wins"}"#),
        (#"{"type": "regex", "pattern": "${n}", "target": "stdout"}"#, #"{"stdout": "3"}"#),
        (#"{"type": "regex", "pattern": "${ n }", "target": "stdout"}"#, #"{"stdout": "3"}"#),
        (#"{"type": "regex", "pattern": "${s}", "target": "stdout"}"#, #"{"stdout": "hello"}"#),
        (
            #"{"type": "jsonpath", "path": "$.${key}[0]", "expect": "${token}", "target": "stdout"}"#,
            #"{"stdout": "{\"foo\": [\"s3cr3t\"]}"}"#
        ),
        (#"{"type": "jsonpath", "path": "$.${key}[${idx}]", "expect": "world"}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[$idx]", "expect": "world"}"#, body),
        (#"{"type": "jsonpath", "path": "$.bar.n", "expect": "${n}"}"#, body),
        (#"{"type": "jsonpath", "path": "$.bar.n", "expect": "3"}"#, body),
        (#"{"type": "jsonpath", "path": "$.bar.word", "expect": "${word}"}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[*]", "expect": ["${token}", "world"]}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[*]", "expect": ["hello", "world"]}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[*]", "expect": "${items}"}"#, #"{"foo": [1, 2]}"#),
        (#"{"type": "jsonpath", "path": "$.foo", "expect": {"a": "${n}"}}"#, #"{"foo": {"a": 3}}"#),
        (#"{"type": "jsonpath", "path": "$.token", "expect": "${token}"}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[*]", "count": "${idx}"}"#, body),
        (#"{"type": "jsonpath", "path": "${path}", "expect": "hello"}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[?(@ = \"${token}\")]", "count": 0}"#, body),
        (#"{"type": "jsonpath", "path": "$.foo[*][?(@ = \"${token}\")]", "count": 0}"#, body),
        (#"{"type": "jsonpath", "path": "$[?(@.token = \"${token}\")].bar.n", "expect": 3}"#, body),
        (#"{"type": "jsonpath", "path": "$.${missing}"}"#, body),
        (#"{"type": "jsonpath", "path": "$.bar.n", "expect": "${flag}"}"#, #"{"bar": {"n": 1}}"#),
        (#""${token}""#, #""s3cr3t""#),
        (#""${n}""#, "3"),
        (#"{"type": "range", "range": [1, 5], "target": "n"}"#, #"{"n": "${n}"}"#),
    ]

    static let answers: [JSON]? = {
        let c = ChaoslibOracle.json(configuration)
        let s = ChaoslibOracle.json(secrets)
        return try? ChaoslibOracle.ask(
            cases.map { t, v in
                .object([
                    .init("op", .string("tolerance")), .init("tolerance", ChaoslibOracle.json(t)),
                    .init("value", ChaoslibOracle.json(v)), .init("configuration", c), .init("secrets", s),
                ])
            })
    }()

    @Test("verdicts as chaoslib's", arguments: cases.indices)
    func verdict(_ index: Int) throws {
        let answers = try #require(Self.answers, "the oracle did not answer")
        let (tolerance, value) = Self.cases[index]
        let s = Substitution(
            configuration: ChaoslibOracle.json(Self.configuration), secrets: ChaoslibOracle.json(Self.secrets))
        let check = {
            try Tolerance.check(ChaoslibOracle.json(tolerance), value: ChaoslibOracle.json(value), substitution: s)
        }
        if let met = answers[index]["met"] {
            #expect(try .bool(check()) == met, "\(tolerance) on \(value)")
        } else {
            #expect(throws: ChaosError.self, "\(tolerance) on \(value): chaoslib raised") { _ = try check() }
        }
    }
}
