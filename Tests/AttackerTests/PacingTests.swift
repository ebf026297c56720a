import Attacker
import Testing

@Suite("Pacing and flag values")
struct PacingTests {
    @Test(
        "-rate parses N, N/d, bare units, and leaves the rate alone for infinity",
        arguments: [
            ("50", Rate(freq: 50)), ("5/500ms", Rate(freq: 5, per: 500_000_000)),
            ("10/2s", Rate(freq: 10, per: 2_000_000_000)),
            ("100/ms", Rate(freq: 100, per: 1_000_000)), ("0", Rate(freq: 0)), ("infinity", Rate(freq: 7)),
        ])
    func rates(text: String, expected: Rate) {
        #expect(Rate.parse(text, current: Rate(freq: 7)) == .success(expected))
    }

    @Test("bad -rate values carry Go's reasons")
    func badRates() {
        #expect(
            Rate.parse("abc", current: Rate(freq: 1))
                == .failure(RateError(message: "strconv.Atoi: parsing \"abc\": invalid syntax")))
        #expect(
            Rate.parse("5/x", current: Rate(freq: 1)) == .failure(RateError(message: "time: invalid duration \"x\"")))
    }

    @Test("constant pacing: hit n is due (n+1) x interval after the start")
    func constant() {
        let p = Pacer.make(rate: Rate(freq: 10, per: 2_000_000_000))
        #expect(p == .constant(interval: 200_000_000))
        #expect(p.due(0) == 200_000_000)
        #expect(p.due(9) == 2_000_000_000)
        #expect(Pacer.make(rate: Rate(freq: 0)) == .unlimited)
        #expect(Pacer.make(rate: Rate(freq: -1)).due(0) == nil)
    }

    @Test("a ramp sends half the hits of the full rate over its length, then the full rate")
    func ramp() throws {
        let p = Pacer.make(rate: Rate(freq: 100), ramp: 1_000_000_000)
        // 50 hits within the first second (the 50th exactly at 1 s), then one every 10 ms.
        #expect(try #require(p.due(49)) <= 1_000_000_000)
        #expect(try #require(p.due(50)) > 1_000_000_000)
        #expect(p.due(59) == 1_100_000_000)
        // Gaps shrink as the rate rises.
        let early = try #require(p.due(2)) - (try #require(p.due(1)))
        let late = try #require(p.due(40)) - (try #require(p.due(39)))
        #expect(early > late)
    }

    @Test("a plan holds each rate until its end, then stops")
    func plan() throws {
        let steps = try PlanStep.parsePlan("50@10s,200@20s,400/2s@30s").get()
        #expect(
            steps == [
                PlanStep(perSecond: 50, end: 10_000_000_000), PlanStep(perSecond: 200, end: 20_000_000_000),
                PlanStep(perSecond: 200, end: 30_000_000_000),
            ])
        let p = Pacer.plan(steps)
        #expect(p.due(499) == 10_000_000_000)
        #expect(p.due(500) == 10_005_000_000)
        #expect(p.due(500 + 2000 + 2000 - 1) == 30_000_000_000)
        #expect(p.due(4500) == nil)
        #expect(throws: RateError.self) { try PlanStep.parsePlan("50@10s,20@5s").get() }
        #expect(throws: RateError.self) { try PlanStep.parsePlan("fast").get() }
    }

    @Test(
        "-max-body sizes: binary units, case-insensitive, bits rejected",
        arguments: [
            ("10", Int64(10)), ("10b", 10), ("1k", 1024), ("1KB", 1024), ("2 mb", 2 << 20), ("1 gigabyte", 1 << 30),
            ("5 peta", 5 << 50), ("1e", 1 << 60), ("-1", -1),
        ])
    func sizes(text: String, bytes: Int64) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test("bad sizes", arguments: ["1Kb", "x", "", "10 parsecs", "-2"])
    func badSizes(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }
}
