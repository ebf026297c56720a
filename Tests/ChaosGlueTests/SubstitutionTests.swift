import BarrageCore
import ChaosGlue
import Testing

@Suite("Substitution")
struct SubstitutionTests {
    static let configuration: JSON = json(
        #"{"count": 7, "from_env": 42, "greeting": "bonjour", "flag": true, "obj": {"a": 1}, "ratio": 0.5, "none": null}"#
    )
    static let secrets: JSON = json(
        #"{"mysecrets": {"password": "pa55"}, "other": {"greeting": "hello", "token": "t0k"}}"#)

    static func json(_ text: String) -> JSON {
        (try? ExperimentLoader.parse(text, name: "test")) ?? .null
    }

    static let cases: [(String, String)] = [
        (#""${count}""#, "7"),
        (#""${from_env}""#, "42"),
        (#""${greeting} x${count}""#, #""bonjour x7""#),
        (#""${password}""#, #""pa55""#),
        (#""${undeclared}""#, #""${undeclared}""#),
        (#""$greeting""#, #""bonjour""#),
        (#""$$greeting""#, #""$greeting""#),
        (#""${mysecrets}""#, #""${mysecrets}""#),
        (#""${token}""#, #""t0k""#),
        (#""${flag}""#, "true"),
        (#""flag=${flag}""#, #""flag=True""#),
        (#""${obj}""#, #"{"a": 1}"#),
        (#""${ratio}""#, "0.5"),
        (#""r=${ratio}""#, #""r=0.5""#),
        (#""n=${none}""#, #""n=None""#),
        (#""${none}""#, "null"),
        (#""${my-key}""#, #""${my-key}""#),
        (#""${ a }""#, #""${ a }""#),
        (#""$""#, #""$""#),
        (#""cost $5""#, #""cost $5""#),
        (#""a$""#, #""a$""#),
        (#""${count}${count}""#, #""77""#),
        (#""$count_x""#, #""$count_x""#),
        (#""${count}abc""#, #""7abc""#),
        (#""$count.5""#, #""7.5""#),
        (#""${greeting""#, #""${greeting""#),
        (#"{"k": ["${count}", {"x": "${greeting}"}]}"#, #"{"k": [7, {"x": "bonjour"}]}"#),
        (#"{"${greeting}": 1}"#, #"{"${greeting}": 1}"#),
        ("12", "12"),
        ("true", "true"),
        (#""no placeholders""#, #""no placeholders""#),
    ]

    @Test("substitutes like string.Template.safe_substitute with typed whole values", arguments: cases)
    func substitution(input: String, expected: String) {
        let s = Substitution(configuration: Self.configuration, secrets: Self.secrets)
        #expect(s.apply(Self.json(input)) == Self.json(expected), "\(input)")
    }

    @Test func configurationWinsOverSecretsAndEmptyIsKnown() {
        let s = Substitution(configuration: Self.configuration, secrets: Self.secrets)
        #expect(s.apply(string: "${greeting}") == .string("bonjour"))
        #expect(!s.isEmpty)
        #expect(Substitution(configuration: .object([]), secrets: .object([])).isEmpty)
    }

    @Test(
        "--var parsing and typing",
        arguments: [
            ("count:int=7", "count", "7"), ("x=hello", "x", #""hello""#), ("f:float=1.5", "f", "1.5"),
            ("b:bool=no", "b", "false"), ("b:bool=yes", "b", "true"), ("b:bool=0", "b", "false"),
            ("j:json={\"a\": [1]}", "j", #"{"a": [1]}"#), ("s:str=5", "s", #""5""#), ("n:number=2", "n", "2.0"),
            ("e=a=b", "e", #""a=b""#),
        ])
    func vars(text: String, key: String, expected: String) throws {
        let v = try ConfigVar.parse(text).get()
        #expect(v.key == key)
        #expect(v.value == Self.json(expected))
    }

    @Test func configurationFromEnvironment() throws {
        let declared = Self.json(
            #"{"a": {"type": "env", "key": "CHAOS_TEST_UNSET_VAR", "default": "5", "env_var_type": "int"}, "b": {"type": "env", "key": "HOME"}, "c": {"type": "other", "x": 1}, "d": {"type": "env", "key": "CHAOS_TEST_UNSET_VAR", "default": 3}}"#
        )
        let loaded = try Configuration.load(declared)
        #expect(loaded["a"] == .int(5))
        #expect(loaded["b"]?.string?.isEmpty == false)
        #expect(loaded["c"] == Self.json(#"{"type": "other", "x": 1}"#))
        #expect(loaded["d"] == .int(3))
        let overridden = try Configuration.load(declared, vars: ["a": .int(9), "zzz": .int(1)])
        #expect(overridden["a"] == .int(9))
        #expect(overridden["zzz"] == nil)
        #expect(
            throws: ChaosError.invalid(
                "Configuration makes reference to an environment key that does not exist: CHAOS_TEST_UNSET_VAR")
        ) {
            try Configuration.load(Self.json(#"{"a": {"type": "env", "key": "CHAOS_TEST_UNSET_VAR"}}"#))
        }
        #expect(
            throws: ChaosError.invalid(
                "Secrets make reference to an environment key that does not exist: CHAOS_TEST_UNSET_VAR")
        ) {
            try Configuration.loadSecrets(Self.json(#"{"s": {"a": {"type": "env", "key": "CHAOS_TEST_UNSET_VAR"}}}"#))
        }
    }
}
