import BarrageCore
import ChaosGlue
import Testing

/// Experiment files that expand: YAML aliases are counted once expanded and refused past the limit.
@Suite("Experiment loader limits")
struct LoaderLimitTests {
    /// Nine levels of nine aliases: 450 bytes that stand for 9^9 (387 million) strings.
    static let laughs = """
        title: x
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    @Test("a billion-laughs YAML document is refused, naming the file")
    func billionLaughs() {
        #expect(
            throws: ChaosError.invalid(
                "x.yaml: invalid YAML: more than 1000000 nodes once aliases are expanded (the limit for one document)")
        ) {
            _ = try ExperimentLoader.parse(Self.laughs, name: "x.yaml", yaml: true)
        }
    }

    /// Eight levels of ten merge keys: each level's mapping merges ten copies of the one below.
    static let mergeLaughs =
        "title: x\nl0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n"
        + (1...8).map { i in
            "l\(i): &l\(i) {<<: [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]}"
        }.joined(separator: "\n")

    @Test("merge keys that multiply are refused like nested aliases")
    func mergeLaughsAreRefused() {
        #expect(
            throws: ChaosError.invalid(
                "x.yaml: invalid YAML: more than 1000000 nodes once aliases are expanded (the limit for one document)")
        ) {
            _ = try ExperimentLoader.parse(Self.mergeLaughs, name: "x.yaml", yaml: true)
        }
    }

    @Test("aliases within the limit expand as before, and a mapping with many keys loads")
    func aliasesWithinLimit() throws {
        let json = try ExperimentLoader.parse("a: &a [1, 2]\nb: *a\n", name: "x.yaml", yaml: true)
        #expect(json["b"] == .array([.int(1), .int(2)]))
        let many = (0..<20_000).map { "k\($0): \($0)" }.joined(separator: "\n")
        let big = try ExperimentLoader.parse(many, name: "x.yaml", yaml: true)
        #expect(big.members?.count == 20_000)
        #expect(big["k7"] == .int(7))
    }

    /// Found by fuzzing (FuzzYAMLExperiment): Yams trapped on a base-60 integer that overflows Int.
    @Test(
        "base-60 integers read as PyYAML reads them; one too large for Int is a float, not a crash",
        arguments: [
            ("1:30", JSON.int(90)), ("-1:30", .int(-90)), ("1_0:0", .int(600)),
            ("18118116:11:1:16:11:1:11:16:11:1:11", .double(1.0955332019512082e25)),
        ])
    func sexagesimal(_ text: String, _ value: JSON) throws {
        let json = try ExperimentLoader.parse("x: \(text)\n", name: "x.yaml", yaml: true)
        guard case .double(let got)? = json["x"], case .double(let want) = value else {
            #expect(json["x"] == value)
            return
        }
        #expect(abs(got - want) <= want * 1e-9)
    }
}
