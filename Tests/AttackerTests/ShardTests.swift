import Attacker
import Encoder
import Testing

/// The hits one event loop of one shard sends, as `LoopDriver` walks them: rounds 0, 1, ... until the schedule
/// ends or a hit is due after `duration`; each as (global hit number, due offset).
private func loopHits(_ pacer: Pacer, duration: Int64, shard: Shard, loop: Int, of loops: Int) -> [(UInt64, Int64)] {
    var out: [(UInt64, Int64)] = []
    var round: UInt64 = 0
    while true {
        let hit = shard.hit(loop: loop, of: loops, round: round)
        guard let due = pacer.due(hit), due <= duration else { return out }
        out.append((hit, due))
        round += 1
    }
}

/// Every hit of the whole schedule in one process with one loop.
private func wholeSchedule(_ pacer: Pacer, duration: Int64) -> [(UInt64, Int64)] {
    loopHits(pacer, duration: duration, shard: .whole, loop: 0, of: 1)
}

private let pacers: [(String, Pacer, Int64)] = [
    ("constant 100/s for 2s", Pacer.make(rate: Rate(freq: 100)), 2_000_000_000),
    ("constant 7/3s for 10s", Pacer.make(rate: Rate(freq: 7, per: 3_000_000_000)), 10_000_000_000),
    ("ramp to 300/s over 1s, 1.5s", Pacer.make(rate: Rate(freq: 300), ramp: 1_000_000_000), 1_500_000_000),
    (
        "plan 50@1s,200@2s,30@3s",
        .plan([
            .init(perSecond: 50, end: 1_000_000_000), .init(perSecond: 200, end: 2_000_000_000),
            .init(perSecond: 30, end: 3_000_000_000),
        ]), 3_000_000_000
    ),
]

@Suite("Shards: one schedule split over processes")
struct ShardTests {
    @Test(
        "-shard values: K/N, or N with K from JOB_COMPLETION_INDEX",
        arguments: [
            ("0/3", nil, 0, 3), ("2/3", nil, 2, 3), ("0/1", nil, 0, 1), ("41/42", "7", 41, 42), ("3", "2", 2, 3),
            ("1", "0", 0, 1),
        ] as [(String, String?, UInt64, UInt64)])
    func parses(text: String, environment: String?, index: UInt64, count: UInt64) throws {
        let shard = try Shard.parse(text, environmentIndex: environment).get()
        #expect(shard.index == index)
        #expect(shard.count == count)
        #expect(shard.description == "\(index)/\(count)")
    }

    @Test(
        "bad -shard values are refused with a reason",
        arguments: [
            ("3/3", nil, "K from 0 to N-1"), ("-1/3", nil, "K from 0 to N-1"), ("a/3", nil, "K from 0 to N-1"),
            ("0/0", nil, "want K/N"), ("", nil, "want K/N"), ("1/2/3", nil, "want K/N"), ("x", nil, "want K/N"),
            ("3", nil, "JOB_COMPLETION_INDEX is not set"), ("3", "3", "not an index from 0 to 2"),
            ("3", "", "not an index"), ("3", " 1", "not an index"), ("3", "-1", "not an index"),
        ] as [(String, String?, String)])
    func refuses(text: String, environment: String?, reason: String) {
        switch Shard.parse(text, environmentIndex: environment) {
        case .success(let s): Issue.record("accepted \(text) as \(s)")
        case .failure(let e): #expect(e.message.contains(reason), "\(e.message)")
        }
    }

    @Test("shard K's local hit j is global hit K + jN; loops split the shard's hits as they split a whole attack")
    func numbering() {
        let shard = Shard(index: 2, count: 5)
        #expect(shard?.hit(0) == 2)
        #expect(shard?.hit(3) == 17)
        // Loop 1 of 3, round 2: the shard's local hit 1 + 2*3 = 7, global 2 + 7*5.
        #expect(shard?.hit(loop: 1, of: 3, round: 2) == 37)
        #expect(Shard.whole.hit(loop: 1, of: 3, round: 2) == 7)
        #expect(Shard(index: 3, count: 3) == nil)
        #expect(Shard(index: 0, count: 0) == nil)
    }

    @Test("hit numbers past every schedule saturate instead of wrapping, so the schedule ends")
    func saturates() throws {
        let shard = try #require(Shard(index: 4, count: 5))
        let last = shard.hit(.max)
        #expect(last == shard.hit(.max / 2))
        #expect(last > 1 << 62)
        #expect(Pacer.make(rate: Rate(freq: 1000)).due(last) == nil)
        #expect(shard.hit(loop: 3, of: 4, round: .max) == last)
    }

    @Test("hits(ofFirst:) counts the shard's share of the first hits", arguments: 1...6)
    func shares(count: UInt64) throws {
        for index in 0..<count {
            let shard = try #require(Shard(index: index, count: count))
            for total: UInt64 in 0...40 {
                let brute = UInt64((0..<total).filter { $0 % count == index }.count)
                #expect(shard.hits(ofFirst: total) == brute, "\(shard) of \(total)")
            }
        }
    }

    @Test(
        "N shards (each with several loops) send exactly the whole schedule's hits, each due when it is due there",
        arguments: pacers.map(\.0))
    func unionIsTheWholeSchedule(name: String) throws {
        let (_, pacer, duration) = try #require(pacers.first { $0.0 == name })
        let whole = wholeSchedule(pacer, duration: duration)
        #expect(whole.count > 20)
        for count: UInt64 in 1...5 {
            for loops in 1...3 {
                var union: [(UInt64, Int64)] = []
                var perShard: [Int] = []
                for index in 0..<count {
                    let shard = try #require(Shard(index: index, count: count))
                    var mine: [(UInt64, Int64)] = []
                    for loop in 0..<loops {
                        mine += loopHits(pacer, duration: duration, shard: shard, loop: loop, of: loops)
                    }
                    #expect(mine.allSatisfy { $0.0 % count == index })
                    #expect(UInt64(mine.count) == shard.hits(ofFirst: UInt64(whole.count)))
                    perShard.append(mine.count)
                    union += mine
                }
                union.sort { $0.0 < $1.0 }
                #expect(union.map(\.0) == whole.map(\.0), "\(count) shards x \(loops) loops")
                #expect(union.map(\.1) == whole.map(\.1), "\(count) shards x \(loops) loops")
                // Evenly interleaved: shard sizes differ by at most one hit.
                #expect((perShard.max() ?? 0) - (perShard.min() ?? 0) <= 1)
            }
        }
    }

    @Test("a shard's hits are spread over the whole schedule, not a block of it")
    func interleaved() throws {
        let pacer = Pacer.make(rate: Rate(freq: 100))
        let shard = try #require(Shard(index: 1, count: 3))
        let mine = loopHits(pacer, duration: 2_000_000_000, shard: shard, loop: 0, of: 1)
        let gaps = zip(mine.dropFirst(), mine).map { $0.1 - $1.1 }
        // Three intervals between two hits of one shard of three.
        #expect(Set(gaps) == [30_000_000])
        #expect(mine.first?.1 == 20_000_000)
    }
}

@Suite("-start-at")
struct StartTimeTests {
    @Test(
        "RFC 3339 times are read as Go reads them",
        arguments: [
            ("2026-12-03T18:00:00Z", Int64(1_796_320_800), Int32(0)),
            ("2026-12-03T19:00:00.25+01:00", 1_796_320_800, 250_000_000),
            ("2026-12-03t18:00:00z", 1_796_320_800, 0),
        ])
    func parses(text: String, seconds: Int64, nanoseconds: Int32) throws {
        let t = try #require(StartTime.parse(text))
        #expect(t.seconds == seconds)
        #expect(t.nanoseconds == nanoseconds)
    }

    @Test(
        "what is not an RFC 3339 time is refused",
        arguments: ["", "now", "2026-12-03", "2026-12-03T18:00:00", "2026-02-30T18:00:00Z", "1796320800"])
    func refuses(text: String) {
        #expect(StartTime.parse(text) == nil)
    }

    @Test("a start already past is accepted within the time to the first hit, and refused beyond it")
    func lateness() {
        let start = Timestamp(seconds: 1_796_320_800, nanoseconds: 0, utcOffset: nil)
        let constant = Pacer.make(rate: Rate(freq: 100))
        #expect(StartTime.tolerance(constant) == 10_000_000)
        #expect(StartTime.problem(start, now: start.adding(nanoseconds: -60_000_000_000), pacer: constant) == nil)
        #expect(StartTime.problem(start, now: start.adding(nanoseconds: 9_000_000), pacer: constant) == nil)
        let late = StartTime.problem(start, now: start.adding(nanoseconds: 1_500_000_000), pacer: constant)
        #expect(late?.message.contains("passed 1.5s ago") == true)
        #expect(late?.message.contains("up to 10ms late") == true)
        // A ramp's first hit comes later than one interval of its final rate.
        let ramp = Pacer.make(rate: Rate(freq: 100), ramp: 10_000_000_000)
        #expect(StartTime.tolerance(ramp) == ramp.due(0))
        #expect(StartTime.tolerance(ramp) > 10_000_000)
        // Unpaced: no hit to wait for, so any lateness is too late.
        #expect(StartTime.problem(start, now: start.adding(nanoseconds: 1_000_000), pacer: .unlimited) != nil)
        #expect(StartTime.problem(start, now: start, pacer: .unlimited) == nil)
    }
}
