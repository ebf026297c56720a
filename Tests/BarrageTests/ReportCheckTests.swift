import Foundation
import TestSupport
import Testing

/// `barrage report -check` as a process: lines, exit statuses and the JSON `checks` array, with thresholds taken
/// from the binary's own report of the same file.
@Suite(.timeLimit(.minutes(3))) struct ReportCheckTests {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"
    let small = Self.fixtures + "/small.bin"

    func report(_ arguments: [String], input: [UInt8] = []) throws -> ProcessOutput {
        try Run.barrage(["report"] + arguments, input: input)
    }

    /// The binary's JSON report of `path`, parsed.
    func jsonReport(_ path: String) throws -> [String: Any] {
        let out = try report(["-type=json", path])
        #expect(out.status == 0)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String: Any])
    }

    func number(_ object: [String: Any], _ keys: String...) throws -> NSNumber {
        var current: Any? = object
        for key in keys { current = (current as? [String: Any])?[key] }
        return try #require(current as? NSNumber, "\(keys)")
    }

    /// Every check kind, each at the report's own value: the comparisons that hold pass (exit 0, `ok`
    /// lines), and each strict one fails alone (exit 1, its `FAILED` line and the summary naming it).
    @Test func everyKindPassesAtItsValueAndFailsPastIt() throws {
        let r = try jsonReport(small)
        let requests = try number(r, "requests").uint64Value
        var values: [(name: String, value: String)] = []
        for (name, key) in [
            ("p50", "50th"), ("p90", "90th"), ("p95", "95th"), ("p99", "99th"), ("mean", "mean"), ("min", "min"),
            ("max", "max"),
        ] {
            values.append((name, "\(try number(r, "latencies", key).int64Value)ns"))
        }
        values.append(("p100", "\(try number(r, "latencies", "max").int64Value)ns"))
        // Floats as the report writes them (Foundation's parser may not read Go's shortest text back exactly).
        let text = try report(["-type=json", small]).stdoutText
        for key in ["rate", "throughput", "success"] {
            let start = try #require(text.range(of: "\"\(key)\":")).upperBound
            values.append((key, String(text[start...].prefix { $0 != "," && $0 != "}" })))
        }
        let codes = try #require(r["status_codes"] as? [String: NSNumber])
        #expect(codes.count >= 3)
        for (code, count) in codes {
            values.append(("code:\(code)", "\(count)"))
            values.append(("code:\(code)", "\(Double(count.uint64Value) * 100 / Double(requests))%"))
        }
        // A result has an error text unless its JSON line says "error":"".
        let lines = try String(contentsOfFile: Self.fixtures + "/small.json", encoding: .utf8).split(separator: "\n")
        let errored = lines.filter { !$0.contains("\"error\":\"\"") }.count
        #expect(errored > 0)
        values.append(("errors", "\(errored)"))

        let holding = values.flatMap { v in ["<=", ">=", "=="].map { v.name + $0 + v.value } }
        let passing = try report(holding.map { "-check=" + $0 } + [small])
        #expect(passing.status == 0, "\(passing.stderr)")
        let okLines = passing.stderr.split(separator: "\n")
        #expect(okLines.count == holding.count)
        for (line, check) in zip(okLines, holding) { #expect(line.hasPrefix("check \(check): ok (")) }

        for v in values {
            for op in ["<", ">", "!="] {
                let check = v.name + op + v.value
                let failing = try report(["-check", "p99<1h", "-check", check, small])
                #expect(failing.status == 1, "\(check)")
                let expected = "check \(check): FAILED (\(v.name) = "
                #expect(failing.stderr.split(separator: "\n").dropFirst().first?.hasPrefix(expected) == true)
                #expect(failing.stderr.hasSuffix("report: 1 of 2 checks failed: \(check)\n"))
            }
        }
    }

    @Test func theReportIsWrittenAsWithoutChecks() throws {
        let plain = try report([small])
        let checked = try report(["-check", "p99<1ns", small])
        #expect(checked.status == 1)
        #expect(checked.stdout == plain.stdout)
        let latencies = plain.stdoutText.split(separator: "\n")[2].split(separator: "  ").last?.split(separator: ", ")
        let p99 = try #require(latencies?[5])
        #expect(
            checked.stderr
                == "check p99<1ns: FAILED (p99 = \(p99))\nreport: 1 of 1 checks failed: p99<1ns\n")
        for type in ["hist[0,1ms]", "hdrplot"] {
            let a = try report(["-type=" + type, small])
            let b = try report(["-type=" + type, "-check", "max>0s", small])
            #expect(b.status == 0)
            #expect(a.stdout == b.stdout)
            #expect(b.stderr.hasPrefix("check max>0s: ok (max = "))
        }
    }

    @Test func commasAndRepeatsKeepTheirOrder() throws {
        let out = try report(["-check", "min>0s, max<1h", "-check=success>=0%", small])
        #expect(out.status == 0)
        let names = out.stderr.split(separator: "\n").map { $0.split(separator: ":").first ?? "" }
        #expect(names == ["check min>0s", "check max<1h", "check success>=0%"])
    }

    @Test(arguments: ["p99<abc", "p99", "latency<1s", "success>=101%", "rate>=x", "errors<1.5", "p99<1s,"])
    func aMalformedCheckIsAUsageError(check: String) throws {
        let out = try report(["-check", check, small])
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        let first = out.stderr.split(separator: "\n").first ?? ""
        #expect(first.hasPrefix("invalid value \"\(check)\" for flag -check: "))
        #expect(out.stderr.contains("Usage: barrage report"))
    }

    @Test func jsonAddsChecksOnlyWhenGiven() throws {
        let plain = try report(["-type=json", small])
        #expect(!plain.stdoutText.contains("\"checks\""))
        let out = try report(["-type=json", "-check", "p99<1h,errors==0,success>=0.25", small])
        #expect(out.status == 1)
        let text = out.stdoutText
        let cut = try #require(text.range(of: ",\"checks\":["))
        #expect(String(text[..<cut.lowerBound]) + "}\n" == plain.stdoutText)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String: Any])
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.map { $0["check"] as? String } == ["p99<1h", "errors==0", "success>=0.25"])
        #expect(checks.map { $0["ok"] as? Bool } == [true, false, true])
        let r = try jsonReport(small)
        #expect((checks[0]["value"] as? NSNumber) == (try number(r, "latencies", "99th")))
        #expect((checks[2]["value"] as? NSNumber) == (try number(r, "success")))
        #expect(Set(checks[0].keys) == ["check", "ok", "value"])
    }

    /// With -every only the final report carries the checks; frames before it do not.
    @Test func everyJudgesTheFinalReportOnly() throws {
        let dir = try Run.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
            while IFS= read -r l; do printf '%s\\n' "$l"; sleep 0.02; done < "\(Self.fixtures)/small.json" |
            "\(Paths.barrage)" report -every=10ms -type=json -check 'errors<=15' -output="\(dir)/r.json"
            """
        let run = try Run.process("/bin/sh", ["-c", script])
        #expect(run.status == 0)
        let reports = try String(contentsOfFile: dir + "/r.json", encoding: .utf8).split(separator: "\n")
        #expect(reports.count >= 2)
        #expect(reports.dropLast().allSatisfy { !$0.contains("\"checks\"") })
        #expect(
            reports.last?.contains("\"checks\":[{\"check\":\"errors\\u003c=15\",\"ok\":true,\"value\":15}]") == true)
        #expect(run.stderr == "check errors<=15: ok (errors = 15)\n")
    }

    @Test func damagedInputWithPassingChecksStillExitsOne() throws {
        let bytes = Array(try Run.read(small).prefix(1000))
        let out = try report(["-check", "p99<1h"], input: bytes)
        #expect(out.status == 1)
        #expect(out.stderr.contains("check p99<1h: ok"))
        #expect(out.stderr.contains("stdin: byte 721: truncated record"))
    }

    @Test func helpDescribesChecks() throws {
        let out = try report(["-h"])
        #expect(out.status == 0)
        #expect(out.stderr.contains("-check"))
        #expect(out.stderr.contains("code:5xx<1%"))
        #expect(out.stderr.contains("Exit status 1 when a check fails"))
    }
}
