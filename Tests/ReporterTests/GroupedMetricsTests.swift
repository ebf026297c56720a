import Encoder
import Reporter
import Testing

@Suite struct GroupedMetricsTests {
    let t0 = Timestamp(seconds: 1_795_312_379, nanoseconds: 0, utcOffset: nil)

    func result(_ i: Int, url: String, method: String = "GET", attack: String = "", code: UInt16 = 200) -> Result {
        Result(
            attack: attack, seq: UInt64(i), code: code, timestamp: t0.adding(nanoseconds: Int64(i) * 1_000_000),
            latency: Int64(1000 + i), error: code == 200 ? "" : "\(code) x", method: method, url: url)
    }

    /// Each group's metrics are those of its results alone, and the total is every result's.
    @Test(arguments: Grouping.allCases)
    func eachGroupHoldsExactlyItsResults(grouping: Grouping) {
        let results = (0..<60).map { i in
            result(
                i, url: "http://h/\(i % 3)", method: i % 2 == 0 ? "GET" : "POST", attack: "a\(i % 4)",
                code: i % 5 == 0 ? 503 : 200)
        }
        let key: (Int, Result) -> String = { i, r in
            switch grouping {
            case .url: return r.url
            case .methodURL: return r.method + " " + r.url
            case .attack: return r.attack
            case .code: return String(r.code)
            case .file: return ["one", "two"][i % 2]
            }
        }
        var grouped = GroupedMetrics(grouping: grouping, inputNames: ["one", "two"])
        var total = Metrics()
        var expected: [String: Metrics] = [:]
        for (i, r) in results.enumerated() {
            grouped.add(r, input: i % 2)
            total.add(r)
            expected[key(i, r), default: Metrics()].add(r)
        }
        #expect(Report.json(grouped.total) == Report.json(total))
        #expect(grouped.groups.count == expected.count)
        #expect(grouped.other == nil)
        for group in grouped.groups {
            let mine = expected[group.key].map { Report.json($0) }
            #expect(Report.json(group.metrics) == mine, "\(group.key)")
        }
        let keys = grouped.sortedGroups.map(\.key)
        #expect(keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    @Test func keysPastTheLimitShareTheOtherGroup() {
        var grouped = GroupedMetrics(grouping: .url, limit: 3)
        var other = Metrics()
        for i in 0..<20 {
            let r = result(i, url: "http://h/\(i % 7)")
            grouped.add(r)
            if i % 7 >= 3 { other.add(r) }
        }
        #expect(grouped.groups.map(\.key) == ["http://h/0", "http://h/1", "http://h/2"])
        let rest = grouped.other.map { Report.json($0) }
        #expect(rest == Report.json(other))
        #expect(grouped.total.requests == 20)
    }

    @Test func longKeysAreCutAtACharacterBoundary() {
        var grouped = GroupedMetrics(grouping: .url)
        let long = "http://h/" + String(repeating: "é", count: 2000)
        grouped.add(result(0, url: long))
        grouped.add(result(1, url: long + "x"))
        #expect(grouped.groups.count == 1)
        let key = grouped.groups.first?.key ?? ""
        #expect(key.utf8.count <= Grouping.maxKeyBytes)
        #expect(key.utf8.count > Grouping.maxKeyBytes - 2)
        #expect(long.hasPrefix(key))
    }

    @Test func textHeadersNameEachGroupAndEscapeControlCharacters() {
        var grouped = GroupedMetrics(grouping: .attack, limit: 2)
        grouped.add(result(0, url: "u", attack: ""))
        grouped.add(result(1, url: "u", attack: "a\nb"))
        grouped.add(result(2, url: "u", attack: "c"))
        grouped.add(result(3, url: "u", attack: "c"))
        let text = String(decoding: Report.render(.text, grouped), as: UTF8.self)
        let headers = text.split(separator: "\n").filter { $0.hasPrefix("== ") }
        #expect(
            headers == [
                "== \"\" (1 requests) ==", "== a\\nb (1 requests) ==",
                "== other: keys past the first 2 (2 requests) ==",
            ])
        #expect(text.hasPrefix(String(decoding: Report.text(grouped.total), as: UTF8.self) + "\n== "))
    }

    @Test func jsonNestsVegetasReports() throws {
        var grouped = GroupedMetrics(grouping: .code, limit: 1)
        grouped.add(result(0, url: "u", code: 200))
        grouped.add(result(1, url: "u", code: 503))
        let verdicts = try Check.parseList("code:503==1").map { $0.verdict(grouped.total) }
        let json = String(decoding: Report.render(.json(buckets: nil), grouped, checks: verdicts), as: UTF8.self)
        func strip(_ report: [UInt8]) -> String { String(decoding: report.dropLast(), as: UTF8.self) }
        let groupReport = try #require(grouped.groups.first?.metrics)
        let otherReport = try #require(grouped.other)
        #expect(
            json
                == "{\"total\":\(strip(Report.json(grouped.total, checks: verdicts))),\"groups\":[{\"key\":\"200\","
                + "\"report\":\(strip(Report.json(groupReport)))}],\"other\":\(strip(Report.json(otherReport)))}\n")
    }
}
