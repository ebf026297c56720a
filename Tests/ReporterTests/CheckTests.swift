import Encoder
import Reporter
import Testing

@Suite struct CheckTests {
    let t0 = Timestamp(seconds: 1_795_312_379, nanoseconds: 0, utcOffset: nil)

    @Test(arguments: [
        ("p99<250ms", Check.Metric.quantile(0.99), Check.Comparison.less, Check.Threshold.duration(250_000_000)),
        ("p99.9 <= 1.5s", .quantile(0.999), .lessOrEqual, .duration(1_500_000_000)),
        ("p50>0", .quantile(0.5), .greater, .duration(0)),
        ("p100==1h", .quantile(1), .equal, .duration(3_600_000_000_000)),
        ("mean!=2us", .mean, .notEqual, .duration(2000)),
        ("min>=1ns", .min, .greaterOrEqual, .duration(1)),
        ("max<1m", .max, .less, .duration(60_000_000_000)),
        ("success>=99.9%", .success, .greaterOrEqual, .share(.init(numerator: 999, denominator: 1000))),
        ("success>=0.999", .success, .greaterOrEqual, .share(.init(numerator: 999, denominator: 1000))),
        ("success==1", .success, .equal, .share(.init(numerator: 1, denominator: 1))),
        ("rate>=950", .rate, .greaterOrEqual, .perSecond(950)),
        ("throughput>12.5", .throughput, .greater, .perSecond(12.5)),
        ("code:5xx<1%", .codeClass(5), .less, .share(.init(numerator: 1, denominator: 100))),
        ("code:503<=10", .code(503), .lessOrEqual, .count(10)),
        ("code:0==0", .code(0), .equal, .count(0)),
        ("errors<0.5%", .errors, .less, .share(.init(numerator: 5, denominator: 1000))),
        ("errors==0", .errors, .equal, .count(0)),
    ])
    func wellFormedChecksParse(
        text: String, metric: Check.Metric, comparison: Check.Comparison, threshold: Check.Threshold
    ) throws {
        let check = try Check(parsing: text)
        #expect(check.metric == metric)
        #expect(check.comparison == comparison)
        #expect(check.threshold == threshold)
        #expect(check.text == text)
    }

    @Test func aListSplitsAtCommasAndTrimsEachCheck() throws {
        let checks = try Check.parseList(" p99<250ms , success>=99% ")
        #expect(checks.map(\.text) == ["p99<250ms", "success>=99%"])
        #expect(checks.map(\.name) == ["p99", "success"])
    }

    @Test(arguments: [
        ("", CheckError.empty("")),
        ("p99<1s,,max<2s", .empty("p99<1s,,max<2s")),
        ("p99", .noComparison("p99")),
        ("p99=>1s", .noComparison("p99=>1s")),
        ("latency<1s", .unknownMetric("latency<1s", "latency")),
        ("p0<1s", .unknownMetric("p0<1s", "p0")),
        ("p101<1s", .unknownMetric("p101<1s", "p101")),
        ("p<1s", .unknownMetric("p<1s", "p")),
        ("code:5x<1%", .unknownMetric("code:5x<1%", "code:5x")),
        ("code:70000<1", .unknownMetric("code:70000<1", "code:70000")),
        ("<1s", .unknownMetric("<1s", "")),
        ("p99<", .badThreshold("p99<", "missing threshold")),
        ("p99<250", .badThreshold("p99<250", "time: missing unit in duration \"250\"")),
        ("success>=150%", .badThreshold("success>=150%", "want a ratio from 0 to 1 or a percentage, got \"150%\"")),
        ("success>=99", .badThreshold("success>=99", "want a ratio from 0 to 1 or a percentage, got \"99\"")),
        ("rate>=fast", .badThreshold("rate>=fast", "want a number per second, got \"fast\"")),
        ("rate>=1e3", .badThreshold("rate>=1e3", "want a number per second, got \"1e3\"")),
        ("errors<1.5", .badThreshold("errors<1.5", "want a count or a percentage, got \"1.5\"")),
        ("code:503<-1", .badThreshold("code:503<-1", "want a count or a percentage, got \"-1\"")),
        ("errors<101%", .badThreshold("errors<101%", "want a percentage from 0% to 100%, got \"101%\"")),
    ])
    func malformedChecksAreRejected(text: String, error: CheckError) {
        #expect(throws: error) { try Check.parseList(text) }
    }

    /// 1000 results 1 ms apart: 997 of 200, two of 503, one of 500 (whose error texts count as errors).
    func thousand() -> Metrics {
        var m = Metrics()
        for i in 0..<1000 {
            let code: UInt16 = i < 2 ? 503 : (i == 2 ? 500 : 200)
            let error = code == 200 ? "" : "\(code) Server Error"
            let at = t0.adding(nanoseconds: Int64(i) * 1_000_000)
            m.add(Result(code: code, timestamp: at, latency: Int64(i + 1) * 1000, error: error))
        }
        return m
    }

    @Test(arguments: [
        ("success>=99.7%", true), ("success>99.7%", false), ("success>=0.997", true), ("success==99.7%", true),
        ("success<99.7%", false), ("success!=0.997", false), ("success>=99.71%", false),
        ("code:5xx<=0.3%", true), ("code:5xx<0.3%", false), ("code:5xx==3", true), ("code:5xx>3", false),
        ("code:503==2", true), ("code:503<2", false), ("code:500==0.1%", true), ("code:2xx>=997", true),
        ("code:404==0", true), ("code:404>0%", false),
        ("errors==3", true), ("errors<3", false), ("errors<=0.3%", true), ("errors<0.299%", false),
    ])
    func sharesAndCountsAreComparedExactly(text: String, holds: Bool) throws {
        let verdict = try Check(parsing: text).verdict(thousand())
        #expect(verdict.ok == holds)
    }

    /// Each latency check around the metrics' own value: at the value `<=`, `>=` and `==` hold, `<`, `>` and
    /// `!=` do not.
    @Test(arguments: ["p50", "p90", "p95", "p99", "p99.9", "mean", "min", "max"])
    func latencyChecksAreJudgedOnTheReportsValue(name: String) throws {
        let m = thousand()
        let value: Int64
        switch name {
        case "mean": value = m.latencyMean
        case "min": value = m.latencyMin
        case "max": value = m.latencyMax
        default: value = m.quantile((Double(name.dropFirst()) ?? 0) / 100)
        }
        #expect(value > 0)
        for (op, holds) in [("<=", true), (">=", true), ("==", true), ("<", false), (">", false), ("!=", false)] {
            let verdict = try Check(parsing: "\(name)\(op)\(value)ns").verdict(m)
            #expect(verdict.ok == holds, "\(name)\(op)\(value)ns")
            #expect(verdict.value == .duration(value))
        }
        #expect(try Check(parsing: "\(name)<\(value + 1)ns").verdict(m).ok)
        #expect(try !Check(parsing: "\(name)<\(value - 1)ns").verdict(m).ok)
    }

    @Test(arguments: ["rate", "throughput"])
    func ratesAreJudgedOnTheReportsValue(name: String) throws {
        let m = thousand()
        let value = name == "rate" ? m.rate : m.throughput
        let whole = Int(value)
        #expect(try Check(parsing: "\(name)>=\(whole)").verdict(m).ok)
        #expect(try !Check(parsing: "\(name)>=\(whole + 1)").verdict(m).ok)
        #expect(try Check(parsing: "\(name)<\(whole + 1)").verdict(m).ok)
        #expect(try Check(parsing: "\(name)>=\(whole)").verdict(m).value == .perSecond(value))
    }

    @Test func linesNameTheCheckAndTheValueAsTheReportPrintsIt() throws {
        let m = thousand()
        let p99 = try Check(parsing: "p99 < 1ns").verdict(m)
        let latencies = String(decoding: Report.text(m), as: UTF8.self).split(separator: "\n")[2]
        let printed = try #require(latencies.split(separator: "  ").last?.split(separator: ", ")[5])
        #expect(p99.line == "check p99 < 1ns: FAILED (p99 = \(printed))")
        #expect(
            try Check(parsing: "code:5xx<1%").verdict(m).line == "check code:5xx<1%: ok (code:5xx = 0.30%, 3 of 1000)")
        #expect(try Check(parsing: "errors<=3").verdict(m).line == "check errors<=3: ok (errors = 3)")
    }

    @Test func jsonListsChecksAfterVegetasKeysOnlyWhenGiven() throws {
        let m = thousand()
        let plain = Report.json(m)
        let verdicts = try Check.parseList("p99<1s,success>=99.9%,errors<=3,rate>0").map { $0.verdict(m) }
        let checked = String(decoding: Report.json(m, checks: verdicts), as: UTF8.self)
        #expect(!String(decoding: plain, as: UTF8.self).contains("checks"))
        let expected =
            ",\"checks\":[{\"check\":\"p99\\u003c1s\",\"ok\":true,\"value\":\(m.quantile(0.99))},"
            + "{\"check\":\"success\\u003e=99.9%\",\"ok\":false,\"value\":0.997},"
            + "{\"check\":\"errors\\u003c=3\",\"ok\":true,\"value\":3},"
            + "{\"check\":\"rate\\u003e0\",\"ok\":true,\"value\":\(verdicts[3].jsonValue)}]}\n"
        #expect(checked == String(decoding: plain.dropLast(2), as: UTF8.self) + expected)
    }

    @Test func codesAboveTheTableAreCounted() throws {
        var m = Metrics()
        m.add(Result(code: 600, timestamp: t0, latency: 1))
        m.add(Result(code: 999, timestamp: t0, latency: 1))
        m.add(Result(code: 200, timestamp: t0, latency: 1))
        #expect(try Check(parsing: "code:600==1").verdict(m).ok)
        #expect(try Check(parsing: "code:9xx==1").verdict(m).ok)
        #expect(try Check(parsing: "code:6xx==1").verdict(m).ok)
        #expect(try Check(parsing: "code:2xx==1").verdict(m).ok)
    }
}
