import BarrageCore
import GoFlags
import Testing

@testable import barrage

/// Go's `flag` rules as vegeta's users rely on them (reference §1).
@Suite("Go flag parsing")
struct GoFlagSetTests {
    private func makeSet() -> (GoFlagSet, FlagRef<String>, FlagRef<Bool>, FlagRef<Int64>, FlagRef<Int64>) {
        let set = GoFlagSet(name: "t", header: "usage")
        return (
            set, set.string("to", "json", "enc"), set.bool("lazy", false, "lazy"), set.int("rate", 50, "rate"),
            set.duration("duration", 0, "d")
        )
    }

    @Test(
        "every spelling Go accepts",
        arguments: [
            (["-to=csv"], "csv"), (["-to", "csv"], "csv"), (["--to=csv"], "csv"), (["--to", "csv"], "csv"),
        ])
    func spellings(_ args: [String], _ want: String) throws {
        let (set, to, _, _, _) = makeSet()
        #expect(try set.parse(args).isEmpty)
        #expect(to.value == want)
    }

    @Test("booleans: -x, -x=false, and `-x false` stops parsing at `false`")
    func booleans() throws {
        let (set, _, lazy, _, _) = makeSet()
        #expect(try set.parse(["-lazy"]).isEmpty && lazy.value)
        #expect(try set.parse(["-lazy=false"]).isEmpty && !lazy.value)
        #expect(try set.parse(["--lazy=T"]).isEmpty && lazy.value)
        #expect(try set.parse(["-lazy", "false", "-to=x"]) == ["false", "-to=x"])
    }

    @Test("parsing stops at the first positional, a lone -, or after --")
    func stops() throws {
        let (set, to, _, _, _) = makeSet()
        #expect(try set.parse(["r.bin", "-to=csv"]) == ["r.bin", "-to=csv"])
        #expect(to.value == "json")
        #expect(try set.parse(["-", "-to=csv"]) == ["-", "-to=csv"])
        #expect(try set.parse(["--", "-to=csv"]) == ["-to=csv"])
    }

    @Test(
        "integers take Go's base prefixes and underscores",
        arguments: [
            ("10", Int64(10)), ("0x10", 16), ("0o17", 15), ("017", 15), ("1_000", -1), ("0b101", 5), ("-7", -7),
            ("0x_1F", 31),
        ])
    func integers(_ text: String, _ want: Int64) throws {
        let (set, _, _, rate, _) = makeSet()
        if want == -1 {
            #expect(throws: FlagError.usage("invalid value \"\(text)\" for flag -rate: parse error")) {
                _ = try set.parse(["-rate=" + text])
            }
        } else {
            _ = try set.parse(["-rate=" + text])
            #expect(rate.value == want)
        }
    }

    @Test(
        "Go's error messages",
        arguments: [
            (["-nope"], "flag provided but not defined: -nope"),
            (["-to"], "flag needs an argument: -to"),
            (["-rate=abc"], "invalid value \"abc\" for flag -rate: parse error"),
            (
                ["-rate=99999999999999999999"],
                "invalid value \"99999999999999999999\" for flag -rate: value out of range"
            ),
            (["-lazy=maybe"], "invalid boolean value \"maybe\" for -lazy: parse error"),
            (["-duration=5"], "invalid value \"5\" for flag -duration: parse error"),
            (["---x"], "bad flag syntax: ---x"),
            (["-=x"], "bad flag syntax: -=x"),
        ])
    func errors(_ args: [String], _ message: String) {
        let (set, _, _, _, _) = makeSet()
        #expect(throws: FlagError.usage(message)) { _ = try set.parse(args) }
    }

    @Test("-h and -help ask for help")
    func help() {
        let (set, _, _, _, _) = makeSet()
        #expect(throws: FlagError.help) { _ = try set.parse(["-h"]) }
        #expect(throws: FlagError.help) { _ = try set.parse(["--help"]) }
    }

    @Test(
        "durations",
        arguments: [
            ("0", Int64(0)), ("1s", 1_000_000_000), ("1m30s", 90_000_000_000), ("500ms", 500_000_000),
            ("1.5h", 5_400_000_000_000), ("2us", 2000), ("2µs", 2000), ("-1s", -1_000_000_000), (".5s", 500_000_000),
        ])
    func durations(_ text: String, _ want: Int64) throws {
        let (set, _, _, _, duration) = makeSet()
        _ = try set.parse(["-duration", text])
        #expect(duration.value == want)
    }
}
