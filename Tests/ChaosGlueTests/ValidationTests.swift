import BarrageCore
import ChaosGlue
import Foundation
import TestSupport
import Testing

@Suite("Validation messages")
struct ValidationTests {
    static let pymods = Paths.fixtures + "/pymods"
    /// One set of python bridges for every case (each validator would otherwise start its own interpreter).
    static let bridges = BridgePool(environment: ["PYTHONPATH": pymods])

    static func validate(_ text: String) -> String? {
        let experiment: JSON
        do {
            experiment = try ExperimentLoader.parse(text, name: "x.json")
        } catch {
            return "parse: \(error)"
        }
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        let validator = Validator(bridges: bridges, log: ChaosLog(consoleFD: devnull))
        do {
            try validator.validate(experiment)
            return nil
        } catch {
            return error.description
        }
    }

    static let head = #""title": "t", "description": "d""#
    static let probe = #"{"type": "probe", "name": "p", "provider": {"type": "process", "path": "true"}}"#
    static func hyp(_ probe: String) -> String {
        #"{\#(head), "method": [], "steady-state-hypothesis": {"title": "h", "probes": [\#(probe)]}}"#
    }
    static func method(_ activity: String) -> String { #"{\#(head), "method": [\#(activity)]}"# }
    static func tol(_ tolerance: String) -> String {
        hyp(
            #"{"type": "probe", "name": "p", "tolerance": \#(tolerance), "provider": {"type": "process", "path": "true"}}"#
        )
    }

    static let cases: [(String, String?)] = [
        ("{}", "an empty experiment is not an experiment"),
        (#"{"description": "d", "method": []}"#, "experiment requires a title"),
        (#"{"title": "", "description": "d", "method": []}"#, "experiment requires a title"),
        (#"{"title": "t", "method": []}"#, "experiment requires a description"),
        (#"{\#(head), "tags": ["a", ""], "method": []}"#, "experiment tags must be a non-empty string"),
        (#"{\#(head), "tags": ["a", 3], "method": []}"#, "experiment tags must be a non-empty string"),
        (#"{\#(head), "extensions": [{"x": 1}], "method": []}"#, "All extensions require a non-empty name"),
        (
            #"{\#(head)}"#,
            "an experiment requires a method, which can be empty for only checking steady state hypothesis "
        ),
        (#"{\#(head), "method": []}"#, nil),
        (
            #"{\#(head), "configuration": {"k": {"type": "env", "key": "CHAOS_NOPE_X"}}, "method": []}"#,
            "Configuration makes reference to an environment key that does not exist: CHAOS_NOPE_X"
        ),
        (
            #"{\#(head), "configuration": {"k": {"type": "env", "key": "CHAOS_NOPE_X", "default": 1}}, "method": []}"#,
            nil
        ),
        (
            #"{\#(head), "secrets": {"s": {"k": {"type": "env", "key": "CHAOS_NOPE_Y"}}}, "method": []}"#,
            "Secrets make reference to an environment key that does not exist: CHAOS_NOPE_Y"
        ),
        (#"{\#(head), "steady-state-hypothesis": {"probes": []}, "method": []}"#, "hypothesis requires a title"),
        (#"{\#(head), "steady-state-hypothesis": {"title": "h"}, "method": []}"#, nil),
        (hyp(probe), "hypothesis probe must have a tolerance entry"),
        (
            tol("1.5"),
            "hypothesis probe tolerance must either be an integer, a string, a boolean or a pair of values for boundaries. It can also be a dictionary which is a probe activity definition that takes an argument called `value` with the value of the probe itself to be validated"
        ),
        (
            tol("null"),
            "hypothesis probe tolerance must either be an integer, a string, a boolean or a pair of values for boundaries. It can also be a dictionary which is a probe activity definition that takes an argument called `value` with the value of the probe itself to be validated"
        ),
        (tol("0"), nil), (tol("true"), nil), (tol(#""x""#), nil), (tol("[1, 2]"), nil),
        (tol(#"{"type": "nope"}"#), "hypothesis probe tolerance type 'nope' is unsupported"),
        (tol(#"{"type": "regex"}"#), "hypothesis regex probe tolerance must have a `pattern` key"),
        (tol(#"{"type": "regex", "pattern": 5}"#), "hypothesis probe tolerance pattern 5 has an invalid type"),
        (
            tol(#"{"type": "regex", "pattern": "a(b"}"#),
            "hypothesis probe tolerance pattern a(b seems invalid: missing ), unterminated subpattern"
        ),
        (tol(#"{"type": "regex", "pattern": "a.b"}"#), nil),
        (tol(#"{"type": "jsonpath"}"#), "hypothesis jsonpath probe tolerance must have a `path` key"),
        (tol(#"{"type": "jsonpath", "path": "  "}"#), "hypothesis probe tolerance JSON path cannot be empty"),
        (tol(#"{"type": "jsonpath", "path": "$.a[?"}"#), "hypothesis probe tolerance JSON path $.a[? is invalid"),
        (tol(#"{"type": "jsonpath", "path": "$.a[*].b", "count": 1}"#), nil),
        (tol(#"{"type": "range"}"#), "hypothesis range probe tolerance must have a `range` key"),
        (tol(#"{"type": "range", "range": 5}"#), "hypothesis range must be a sequence"),
        (tol(#"{"type": "range", "range": [1, 2, 3]}"#), "hypothesis range sequence must be made of two values"),
        (tol(#"{"type": "range", "range": ["a", 2]}"#), "hypothesis range lower boundary must be a number"),
        (tol(#"{"type": "range", "range": [1, "b"]}"#), "hypothesis range upper boundary must be a number"),
        (tol(#"{"type": "range", "range": [1, 2.5]}"#), nil),
        (
            tol(
                #"{"type": "probe", "name": "t", "provider": {"type": "python", "module": "chaostests", "func": "status_is_zero", "arguments": {}}}"#
            ), nil
        ),
        (
            tol(
                #"{"type": "probe", "name": "t", "provider": {"type": "python", "module": "chaostests", "func": "kaboom", "arguments": {"value": 1}}}"#
            ),
            "argument 'value' is not part of the function signature in activity 'kaboom'"
        ),
        (method("{}"), "empty activity is no activity"),
        (method(#"{"ref": ""}"#), "reference to activity must be non-empty strings"),
        (method(#"{"ref": "ghost"}"#), "referenced activity 'ghost' could not be found in the experiment"),
        (method(#"{"name": "a"}"#), "an activity must have a type"),
        (method(#"{"type": "thing", "name": "a"}"#), "'thing' is not a supported activity type"),
        (method(#"{"type": "action"}"#), "an activity must have a name"),
        (method(#"{"type": "action", "name": "a"}"#), "an activity requires a provider"),
        (method(#"{"type": "action", "name": "a", "provider": {"path": "x"}}"#), "a provider must have a type"),
        (method(#"{"type": "action", "name": "a", "provider": {"type": "ftp"}}"#), "unknown provider type 'ftp'"),
        (
            method(
                #"{"type": "action", "name": "a", "timeout": "5", "provider": {"type": "process", "path": "true"}}"#),
            "activity timeout must be a number"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "pauses": {"before": "soon"}, "provider": {"type": "process", "path": "true"}}"#
            ),
            "activity before pause must be a number or a pattern to a variable from the configuration or secrets"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "pauses": {"after": "x"}, "provider": {"type": "process", "path": "true"}}"#
            ),
            "activity after pause must be a number or a pattern to a variable from the configuration or secrets"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "pauses": {"before": "${p}", "after": 0.5}, "provider": {"type": "process", "path": "true"}}"#
            ), nil
        ),
        (
            method(
                #"{"type": "action", "name": "a", "background": "yes", "provider": {"type": "process", "path": "true"}}"#
            ), "activity background must be a boolean"
        ),
        (
            method(#"{"type": "action", "name": "a", "provider": {"type": "process"}}"#),
            "a process activity must have a path"
        ),
        (
            method(#"{"type": "action", "name": "a", "provider": {"type": "process", "path": "no-such-binary-xyz"}}"#),
            "path 'no-such-binary-xyz' cannot be found, in activity 'a'"
        ),
        (method(#"{"type": "action", "name": "a", "provider": {"type": "process", "path": "vegeta"}}"#), nil),
        (method(#"{"type": "action", "name": "a", "provider": {"type": "http"}}"#), "a HTTP activity must have a URL"),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "http", "url": "http://x", "headers": ["a"]}}"#),
            "a HTTP activities expect headers as a mapping"
        ),
        (
            method(#"{"type": "action", "name": "a", "provider": {"type": "python", "func": "f"}}"#),
            "a Python activity must have a module path"
        ),
        (
            method(#"{"type": "action", "name": "a", "provider": {"type": "python", "module": "m"}}"#),
            "a Python activity must have a function name"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "python", "module": "no_such_mod_xyz", "func": "f"}}"#
            ),
            "could not find Python module 'no_such_mod_xyz' in activity 'a'"
        ),
        (
            method(
                #"{"type": "probe", "name": "a", "provider": {"type": "python", "module": "chaostests", "func": "nope"}}"#
            ),
            "The python module 'chaostests' does not expose a function called 'nope' in probe 'a'"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "python", "module": "chaostests", "func": "add"}}"#
            ),
            "required argument 'a' is missing from activity 'add'"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "python", "module": "chaostests", "func": "add", "arguments": {"a": 1, "c": 2}}}"#
            ),
            "argument 'c' is not part of the function signature in activity 'add'"
        ),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "python", "module": "chaostests", "func": "needs_config", "arguments": {"name": 1}}}"#
            ), nil
        ),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "python", "module": "os.path", "func": "exists", "arguments": {"path": "/"}}}"#
            ), nil
        ),
        (
            method(
                #"{"type": "action", "name": "a", "provider": {"type": "python", "module": "time", "func": "sleep", "arguments": {"secs": 1}}}"#
            ),
            "ValueError: no signature found for builtin <built-in function sleep>"
        ),
        (
            method(
                #"{"type": "probe", "name": "a", "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "query_interval", "arguments": {"query": "up", "end": "now"}}}"#
            ),
            "required argument 'start' is missing from activity 'query_interval'"
        ),
        (
            method(
                #"{"type": "probe", "name": "a", "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "query", "arguments": {"query": "up", "foo": 1}}}"#
            ),
            "argument 'foo' is not part of the function signature in activity 'query'"
        ),
        (
            method(
                #"{"type": "probe", "name": "a", "provider": {"type": "python", "module": "chaosprometheus.probes", "func": "query", "arguments": {"query": "up", "when": "now"}}}"#
            ), nil
        ),
        (
            #"{\#(head), "method": [], "rollbacks": [{"type": "action", "name": "r"}]}"#,
            "an activity requires a provider"
        ),
        (#"{\#(head), "method": [], "controls": [{"provider": {}}]}"#, "A control must have a `name` property"),
        (#"{\#(head), "method": [], "controls": [{"name": "c"}]}"#, "Control 'c' must have a `provider` property"),
        (
            #"{\#(head), "method": [], "controls": [{"name": "c", "scope": "post", "provider": {"type": "python", "module": "m"}}]}"#,
            "Control 'c' scope property must be 'before' or 'after' only"
        ),
        (
            #"{\#(head), "method": [], "controls": [{"name": "c", "provider": {"type": "python"}}]}"#,
            "Control 'c' must have a module path"
        ),
        (
            #"{\#(head), "method": [], "controls": [{"name": "c", "provider": {"type": "python", "module": "no_such_control"}}]}"#,
            nil
        ),
        (
            #"{\#(head), "method": [{"type": "action", "name": "a", "controls": [{"name": "c", "ref": "zz"}], "provider": {"type": "process", "path": "true"}}]}"#,
            "Control reference '{}' declaration cannot be found"
        ),
    ]

    @Test("ensure_experiment_is_valid messages", arguments: cases)
    func message(experiment: String, expected: String?) {
        #expect(Self.validate(experiment) == expected, "\(experiment)")
    }

    @Test func parseErrorsNameFileLineAndColumn() {
        #expect(
            throws: ChaosError.invalid("x.json:3:3: invalid JSON: expecting property name enclosed in double quotes")
        ) {
            try ExperimentLoader.parse("{\n  \"a\": 1,\n  }\n", name: "x.json")
        }
        #expect(throws: ChaosError.invalid("x.json:1:10: invalid JSON: expecting ',' delimiter")) {
            try ExperimentLoader.parse("[1, 2, 3 4]", name: "x.json")
        }
        do {
            _ = try ExperimentLoader.parse("title: t\n  bad: [\n", name: "x.yaml", yaml: true)
            Issue.record("expected a YAML error")
        } catch {
            #expect(error.description.hasPrefix("x.yaml:2:"))
        }
    }

    @Test func yamlResolvesLikeSafeLoad() throws {
        let doc = try ExperimentLoader.parse(
            "title: t\nflag: yes\nn: 3\nf: 1.5\nnothing: ~\ns: '3'\nlist:\n  - a\n  - 2\nobj: {b: 1, a: 2}\n",
            name: "x.yaml", yaml: true)
        #expect(doc["flag"] == .bool(true))
        #expect(doc["n"] == .int(3))
        #expect(doc["f"] == .double(1.5))
        #expect(doc["nothing"] == .null)
        #expect(doc["s"] == .string("3"))
        #expect(doc["list"] == .array([.string("a"), .int(2)]))
        #expect(doc["obj"]?.members?.map(\.key) == ["b", "a"])
    }

    @Test func loaderRejectsOtherExtensionsAndMissingFiles() {
        let dir = makeTempDirectory()
        writeFile(dir + "/exp.txt", "{}")
        #expect(throws: ChaosError.invalid("only files with json, yaml or yml extensions are supported")) {
            try ExperimentLoader.load(source: dir + "/exp.txt")
        }
        #expect(throws: ChaosError.invalid("Path \"\(dir)/missing.json\" does not exist.")) {
            try ExperimentLoader.load(source: dir + "/missing.json")
        }
    }
}
