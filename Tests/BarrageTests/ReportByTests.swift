import Foundation
import TestSupport
import Testing

/// `barrage report -by` as a process. Each group's report is checked against the binary's own report of a file
/// holding only that group's results.
@Suite(.timeLimit(.minutes(3))) struct ReportByTests {
    /// One result as a JSON line (vegeta's JSON encoding).
    static func line(_ i: Int, url: String, method: String = "GET", attack: String = "a", code: Int = 200) -> String {
        let seconds = 10 + i / 1000
        let stamp = "2026-11-22T01:52:\(seconds).\(String(format: "%03d", i % 1000))123456Z"
        let error = code >= 200 && code < 400 ? "" : "\(code) Oops"
        return "{\"attack\":\"\(attack)\",\"seq\":\(i),\"code\":\(code),\"timestamp\":\"\(stamp)\","
            + "\"latency\":\(100_000 + (i * 7919) % 900_000),\"bytes_out\":0,\"bytes_in\":\(i % 50),"
            + "\"error\":\"\(error)\",\"body\":null,\"method\":\"\(method)\",\"url\":\"\(url)\",\"headers\":null}"
    }

    /// 300 results over three URLs, two methods and a few 503s and 404s.
    static func mixed() -> [(key: [String: String], line: String)] {
        (0..<300).map { i in
            let url = "http://127.0.0.1:8080/\(["a", "b", "c"][i % 3])"
            let method = i % 4 == 0 ? "POST" : "GET"
            let code = i % 10 == 0 ? 503 : (i % 17 == 0 ? 404 : 200)
            let key = ["url": url, "method+url": method + " " + url, "code": String(code)]
            return (key, line(i, url: url, method: method, code: code))
        }
    }

    func write(_ lines: [String], _ path: String) throws {
        try Run.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
    }

    /// The text sections: the total first, then (header, body) per group.
    func sections(_ text: String) -> (total: String, groups: [(header: String, body: String)]) {
        let parts = text.components(separatedBy: "\n== ")
        var groups: [(String, String)] = []
        for part in parts.dropFirst() {
            guard let end = part.range(of: " ==\n") else { continue }
            groups.append((String(part[..<end.lowerBound]), String(part[end.upperBound...])))
        }
        return (parts.first ?? "", groups)
    }

    @Test(arguments: ["url", "method+url", "code"])
    func textGivesTheTotalThenEachGroupsOwnReport(by: String) throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let results = Self.mixed()
        try write(results.map(\.line), dir + "/all.json")
        let out = try Run.barrage(["report", "-by=" + by, dir + "/all.json"])
        #expect(out.status == 0)
        #expect(out.stderr.isEmpty)
        let (total, groups) = sections(out.stdoutText)
        #expect(total == (try Run.barrage(["report", dir + "/all.json"])).stdoutText)
        let keys = Set(results.compactMap { $0.key[by] })
        #expect(groups.count == keys.count)
        #expect(groups.count >= 3)
        let sortedKeys = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for ((header, body), key) in zip(groups, sortedKeys) {
            let mine = results.filter { $0.key[by] == key }.map(\.line)
            #expect(header == "\(key) (\(mine.count) requests)")
            try write(mine, dir + "/one.json")
            let alone = try Run.barrage(["report", dir + "/one.json"]).stdoutText
            #expect(body == alone, "\(key)")
        }
    }

    @Test func jsonHoldsTheTotalAndEachGroupsReport() throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let results = Self.mixed()
        try write(results.map(\.line), dir + "/all.json")
        let out = try Run.barrage(["report", "-type=json", "-by=method+url", dir + "/all.json"])
        #expect(out.status == 0)
        let text = out.stdoutText
        #expect(text.hasSuffix("}\n") && text.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout)) as? NSDictionary)
        #expect(Set(object.allKeys.compactMap { $0 as? String }) == ["total", "groups"])
        let plain = try Run.barrage(["report", "-type=json", dir + "/all.json"])
        #expect(text.hasPrefix("{\"total\":" + plain.stdoutText.dropLast() + ",\"groups\":[{\"key\":"))
        let groups = try #require(object["groups"] as? [NSDictionary])
        #expect(groups.count == 6)
        for group in groups {
            #expect(Set(group.allKeys.compactMap { $0 as? String }) == ["key", "report"])
            let key = try #require(group["key"] as? String)
            try write(results.filter { $0.key["method+url"] == key }.map(\.line), dir + "/one.json")
            let alone = try Run.barrage(["report", "-type=json", dir + "/one.json"])
            let expected = try JSONSerialization.jsonObject(with: Data(alone.stdout)) as? NSDictionary
            #expect(group["report"] as? NSDictionary == expected, "\(key)")
        }
    }

    /// 250 distinct URLs: the first 100 seen get a group each, the rest share `other`.
    @Test(arguments: ["text", "json"])
    func manyURLsStopAtTheGroupLimit(type: String) throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let urls = (0..<250).map { "http://h/\(($0 * 37) % 250)" }
        let lines = (0..<1000).map { Self.line($0, url: urls[$0 % 250]) }
        try write(lines, dir + "/all.json")
        let first = Set(urls.prefix(100))
        try write(
            lines.enumerated().filter { !first.contains(urls[$0.offset % 250]) }.map(\.element), dir + "/rest.json")
        let out = try Run.barrage(["report", "-type=" + type, "-by=url", dir + "/all.json"])
        #expect(out.status == 0)
        if type == "text" {
            let (_, groups) = sections(out.stdoutText)
            #expect(groups.count == 101)
            #expect(Set(groups.dropLast().map { String($0.header.split(separator: " ")[0]) }) == first)
            let rest = try Run.barrage(["report", dir + "/rest.json"]).stdoutText
            #expect(groups.last?.header == "other: keys past the first 100 (600 requests)")
            #expect(groups.last?.body == rest)
        } else {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout)) as? NSDictionary)
            let groups = try #require(object["groups"] as? [NSDictionary])
            #expect(Set(groups.compactMap { $0["key"] as? String }) == first)
            let rest = try Run.barrage(["report", "-type=json", dir + "/rest.json"])
            #expect(
                object["other"] as? NSDictionary
                    == (try JSONSerialization.jsonObject(with: Data(rest.stdout)) as? NSDictionary))
        }
    }

    @Test func severalFilesByAttackAndByFile() throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = (0..<40).map { Self.line($0 * 2, url: "http://h/", attack: "blue") }
        let two = (0..<30).map {
            Self.line($0 * 2 + 1, url: "http://h/", attack: "green", code: $0 % 3 == 0 ? 500 : 200)
        }
        try write(one, dir + "/one.json")
        try write(two, dir + "/two.json")
        let blue = try Run.barrage(["report", dir + "/one.json"]).stdoutText
        let green = try Run.barrage(["report", dir + "/two.json"]).stdoutText
        let both = try Run.barrage(["report", dir + "/one.json", dir + "/two.json"])
        for (by, keys) in [("attack", ["blue", "green"]), ("file", [dir + "/one.json", dir + "/two.json"])] {
            let out = try Run.barrage(["report", "-by=" + by, dir + "/one.json", dir + "/two.json"])
            #expect(out.status == 0)
            let (total, groups) = sections(out.stdoutText)
            #expect(total == both.stdoutText)
            #expect(groups.map(\.header) == ["\(keys[0]) (40 requests)", "\(keys[1]) (30 requests)"])
            #expect(groups.first?.body == blue)
            #expect(groups.last?.body == green)
        }
    }

    /// Checks judge the total, whatever the groups hold.
    @Test func checksJudgeTheTotal() throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let results = Self.mixed()
        try write(results.map(\.line), dir + "/all.json")
        let plain = try Run.barrage(["report", "-type=json", dir + "/all.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout)) as? [String: Any])
        let codes = try #require(object["status_codes"] as? [String: NSNumber])
        let count = try #require(codes["503"])
        let held = try Run.barrage(["report", "-by=url", "-check", "code:503==\(count)", dir + "/all.json"])
        #expect(held.status == 0)
        #expect(held.stderr == "check code:503==\(count): ok (code:503 = \(count))\n")
        let json = try Run.barrage([
            "report", "-type=json", "-by=url", "-check", "code:503<\(count)", dir + "/all.json",
        ])
        #expect(json.status == 1)
        let grouped = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let total = try #require(grouped["total"] as? [String: Any])
        let checks = try #require(total["checks"] as? [[String: Any]])
        #expect(checks.first?["ok"] as? Bool == false)
        #expect(checks.first?["value"] as? NSNumber == count)
        let groups = try #require(grouped["groups"] as? [[String: Any]])
        #expect(groups.allSatisfy { ($0["report"] as? [String: Any])?["checks"] == nil })
    }

    @Test func helpDescribesTheBreakdown() throws {
        let out = try Run.barrage(["report", "-h"])
        #expect(out.status == 0)
        #expect(out.stderr.contains("-by=url (or method+url, attack, code, file)"))
        #expect(out.stderr.contains("The first 100\n"))
    }

    @Test func anUnknownGroupingIsAUsageError() throws {
        let out = try Run.barrage(["report", "-by=host", "/dev/null"])
        #expect(out.status == 2)
        #expect(
            out.stderr.hasPrefix(
                "invalid value \"host\" for flag -by: not one of url, method+url, attack, code, file\n"))
    }
}
