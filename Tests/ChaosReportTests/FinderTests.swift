import BarrageCore
import Testing

@testable import ChaosReport

/// Finding result files in a journal, reading its timestamps, and the rate strip's buckets.
@Suite("journal pieces")
struct FinderTests {
    static func journal(_ providers: [String]) throws -> JSON {
        let run = providers.enumerated().map { i, p in
            "{\"activity\": {\"type\": \"action\", \"name\": \"a\(i)\", \"provider\": \(p)}, \"status\": \"succeeded\"}"
        }
        return try JSONParser.parse(
            "{\"experiment\": {\"title\": \"t\"}, \"run\": [\(run.joined(separator: ","))]}")
    }

    @Test(
        "attack outputs in process activities",
        arguments: [
            (
                "{\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": \"attack -targets=t.txt -rate=2 -duration=40s -output=data/r.bin\"}",
                ["data/r.bin"]
            ),
            (
                "{\"type\": \"process\", \"path\": \"/usr/local/bin/barrage\", \"arguments\": [\"attack\", \"-output\", \"/abs/r.bin\"]}",
                ["/abs/r.bin"]
            ),
            (
                "{\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": \"attack --output=r.bin -duration 5s\"}",
                ["r.bin"]
            ),
            (
                "{\"type\": \"process\", \"path\": \"sh\", \"arguments\": [\"-c\", \"echo 'GET http://x/' | vegeta attack -rate=5 > 'out file.bin'\"]}",
                ["out file.bin"]
            ),
            (
                "{\"type\": \"process\", \"path\": \"bash\", \"arguments\": [\"-c\", \"vegeta attack -duration=1s >r1.bin; barrage attack -output=r2.bin\"]}",
                ["r1.bin", "r2.bin"]
            ),
            (
                "{\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": \"encode --output x.json --to json < r.bin\"}",
                []
            ),
            ("{\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": \"attack -rate=5\"}", []),
            ("{\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": \"attack -output=stdout\"}", []),
            ("{\"type\": \"process\", \"path\": \"cat\", \"arguments\": \"attack -output=r.bin\"}", []),
            ("{\"type\": \"http\", \"url\": \"http://x/\"}", []),
            (
                "{\"type\": \"process\", \"path\": \"sh\", \"arguments\": [\"-c\", \"vegeta attack -rate=5 <t.txt 2>err.log|tee -a x>r.bin&&echo\"]}",
                ["x"]
            ),
            (
                "{\"type\": \"process\", \"path\": \"sh\", \"arguments\": [\"-c\", \"vegeta attack -duration=1s | vegeta report > r.txt\"]}",
                []
            ),
            (
                "{\"type\": \"process\", \"path\": \"sh\", \"arguments\": [\"-c\", \"vegeta attack -output=a.bin | cat > b.bin; vegeta attack | tee c.bin | vegeta report\"]}",
                ["a.bin", "c.bin"]
            ),
        ])
    func finds(provider: String, expected: [String]) throws {
        let found = ResultFileFinder.find(in: try Self.journal([provider]), directory: "/j")
        #expect(found.map(\.named) == expected)
        #expect(found.map(\.path) == expected.map { $0.hasPrefix("/") ? $0 : "/j/" + $0 })
    }

    @Test("each file once, first mention first")
    func dedupes() throws {
        let p = "{\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": \"attack -output=r.bin\"}"
        let found = ResultFileFinder.find(in: try Self.journal([p, p]), directory: "")
        #expect(found == [.init(named: "r.bin", path: "r.bin", activity: "a0")])
    }

    @Test(
        "timestamps",
        arguments: [
            ("2026-11-22T01:50:28.755564+00:00", Int64(1_795_312_228_755_564_000)),
            ("2026-11-22T01:50:28.755564", 1_795_312_228_755_564_000),
            ("2026-11-22T02:50:28.5+01:00", 1_795_312_228_500_000_000),
            ("1970-01-01T00:00:00Z", 0),
        ])
    func times(text: String, ns: Int64) {
        #expect(JournalTime.unixNanoseconds(text) == ns)
    }

    @Test(
        "unreadable timestamps are nil",
        arguments: [
            "", "yesterday", "2026-13-01T00:00:00", "2026-11-22T01:50", "2026-11-22T01:50:28.", "2026-11-22T01:50:28+0",
        ])
    func badTimes(text: String) {
        #expect(JournalTime.unixNanoseconds(text) == nil)
    }

    @Test("the rate strip keeps every request, before the origin too, and stays bounded")
    func strip() {
        var s = RateStrip(origin: 1_000_000_000_000, span: 10_000_000_000, maxBuckets: 64)
        var added = 0
        for i in -50..<500 {
            if s.add(timestamp: 1_000_000_000_000 + Int64(i) * 97_000_000, isError: i % 3 == 0) { added += 1 }
        }
        #expect(added == 550)
        #expect(s.ok.count <= 64 && s.ok.count == s.errors.count)
        #expect(s.ok.reduce(0, +) + s.errors.reduce(0, +) == 550)
        let expectedErrors = UInt64((-50..<500).filter { $0 % 3 == 0 }.count)
        #expect(s.errors.reduce(0, +) == expectedErrors)
        #expect(s.first < 0)
        let zero = s.add(timestamp: 1_000_000_000_000 + 31 * 86_400 * 1_000_000_000, isError: false)
        let minimum = s.add(timestamp: .min, isError: false)
        #expect(!zero && !minimum)
    }
}
