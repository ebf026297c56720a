import Encoder
import Reporter
import Testing

@Suite struct MetricsTests {
    let t0 = Timestamp(seconds: 1_795_312_379, nanoseconds: 500_000_000, utcOffset: nil)

    func text(_ m: Metrics) -> String { String(decoding: Report.text(m), as: UTF8.self) }
    func json(_ m: Metrics) -> String { String(decoding: Report.json(m), as: UTF8.self) }

    @Test func emptyInputGivesZerosNotNaN() {
        let m = Metrics()
        #expect(
            json(m)
                == "{\"latencies\":{\"total\":0,\"mean\":0,\"50th\":0,\"90th\":0,\"95th\":0,\"99th\":0,\"max\":0,\"min\":0},"
                + "\"bytes_in\":{\"total\":0,\"mean\":0},\"bytes_out\":{\"total\":0,\"mean\":0},"
                + "\"earliest\":\"0001-01-01T00:00:00Z\",\"latest\":\"0001-01-01T00:00:00Z\",\"end\":\"0001-01-01T00:00:00Z\","
                + "\"duration\":0,\"wait\":0,\"requests\":0,\"rate\":0,\"throughput\":0,\"success\":0,"
                + "\"status_codes\":{},\"errors\":[]}\n")
        #expect(
            text(m) == """
                Requests      [total, rate, throughput]         0, 0.00, 0.00
                Duration      [total, attack, wait]             0s, 0s, 0s
                Latencies     [min, mean, 50, 90, 95, 99, max]  0s, 0s, 0s, 0s, 0s, 0s, 0s
                Bytes In      [total, mean]                     0, 0.00
                Bytes Out     [total, mean]                     0, 0.00
                Success       [ratio]                           0.00%
                Status Codes  [code:count]                      
                Error Set:

                """)
    }

    @Test func allErrorsGiveZeroSuccessAndTheErrorSetInFirstSeenOrder() {
        var m = Metrics()
        let errors = ["Get \"http://x\": timeout", "connection refused", "Get \"http://x\": timeout", "<&>"]
        for (i, e) in errors.enumerated() {
            m.add(
                Result(code: 0, timestamp: t0.adding(nanoseconds: Int64(i) * 100_000_000), latency: 1_000_000, error: e)
            )
        }
        #expect(m.successes == 0 && m.throughput == 0 && m.successRatio == 0)
        #expect(m.errors == ["Get \"http://x\": timeout", "connection refused", "<&>"])
        #expect(
            json(m).contains(
                "\"success\":0,\"status_codes\":{\"0\":4},\"errors\":[\"Get \\\"http://x\\\": timeout\",\"connection refused\",\"\\u003c\\u0026\\u003e\"]}"
            ))
        #expect(text(m).hasSuffix("Error Set:\nGet \"http://x\": timeout\nconnection refused\n<&>\n"))
        #expect(text(m).contains("Success       [ratio]                           0.00%\n"))
    }

    @Test func statusCodesSortAsStrings() {
        var m = Metrics()
        for code: UInt16 in [503, 200, 0, 1000, 404, 200, 65535, 301] { m.add(Result(code: code, timestamp: t0)) }
        #expect(m.statusCodes.map(\.code) == ["0", "1000", "200", "301", "404", "503", "65535"])
        #expect(m.statusCodes.map(\.count) == [1, 1, 2, 1, 1, 1, 1])
        #expect(m.successes == 3)
    }

    @Test func minUsesZeroAsUnsetAndMeanTruncates() {
        var m = Metrics()
        for latency: Int64 in [0, 5, 3, 2] { m.add(Result(timestamp: t0, latency: latency)) }
        #expect(m.latencyMin == 2)
        #expect(m.latencyMax == 5)
        #expect(m.latencyMean == 2)  // 10 / 4 = 2.5, truncated
    }

    @Test func timestampsKeepTheirZoneAndDurationsFollowVegeta() {
        var m = Metrics()
        let zoned = Timestamp(seconds: t0.seconds, nanoseconds: 0, utcOffset: 7200)
        m.add(Result(code: 200, timestamp: zoned.adding(nanoseconds: 2_000_000_000), latency: 3_000_000))
        m.add(Result(code: 200, timestamp: zoned, latency: 1_000_000))
        #expect(m.duration == 2_000_000_000)
        #expect(m.wait == 3_000_000)
        #expect(m.rate == 1)
        #expect(
            json(m).contains(
                "\"earliest\":\"2026-11-22T03:52:59+02:00\",\"latest\":\"2026-11-22T03:53:01+02:00\",\"end\":\"2026-11-22T03:53:01.003+02:00\""
            ))
    }

    @Test func zeroDurationRatesAreCounts() {
        var m = Metrics()
        for _ in 0..<3 { m.add(Result(code: 200, timestamp: t0, latency: 10)) }
        #expect(m.rate == 3 && m.throughput == 3)
    }

    /// Percentiles over a large spread stay within the stated 0.1% of the exact nearest-rank latency.
    @Test func percentilesAreWithinThreeSignificantDigits() {
        var m = Metrics()
        var latencies: [Int64] = []
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<50_000 {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            let latency = Int64(1_000 + x % 5_000_000_000)  // 1µs .. 5s
            latencies.append(latency)
            m.add(Result(code: 200, timestamp: t0, latency: latency))
        }
        latencies.sort()
        for q in [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999] {
            let k = max(1, Int((q * Double(latencies.count)).rounded(.up)))
            let exact = latencies[k - 1]
            let ours = m.quantile(q)
            #expect(abs(ours - exact) <= exact / 1000, "q=\(q): \(ours) vs \(exact)")
        }
        #expect(m.quantile(0) == latencies.first)
        #expect(m.quantile(1) == latencies.last)
    }

    @Test func histCountsFollowVegetasBucketRule() throws {
        let buckets = try Buckets(parsing: "[1ms, 2ms]")
        var m = Metrics(buckets: buckets)
        for latency: Int64 in [0, 999_999, 1_000_000, 1_999_999, 2_000_000, 9_000_000_000, -5] {
            m.add(Result(timestamp: t0, latency: latency))
        }
        #expect(m.buckets?.counts == [2, 2, 3])
        let hist = String(decoding: Report.hist(m), as: UTF8.self)
        #expect(
            hist == """
                Bucket         #  %       Histogram
                [0s,    1ms]   2  28.57%  #####################
                [1ms,   2ms]   2  28.57%  #####################
                [2ms,   +Inf]  3  42.86%  ################################

                """)
    }
}
