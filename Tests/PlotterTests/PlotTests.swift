import Encoder
import Foundation
import Plotter
import Testing

/// Results as an attack writes them: seq in order of start, timestamps 1 ms apart from `start`.
func makeResults(
    attack: String = "", count: Int, start: Int64 = 1_700_000_000_000_000_000, errorEvery: Int = 0,
    latency: (Int) -> Int64 = { Int64($0 % 50 + 1) * 100_000 }
) -> [Result] {
    (0..<count).map { i in
        let failed = errorEvery > 0 && i % errorEvery == errorEvery - 1
        return Result(
            attack: attack, seq: UInt64(i), code: failed ? 500 : 200,
            timestamp: Timestamp(unixNanoseconds: start + Int64(i) * 1_000_000), latency: latency(i),
            error: failed ? "500 Internal Server Error" : "", method: "GET", url: "http://127.0.0.1/")
    }
}

/// The JSON object embedded in a page.
func embeddedData(_ html: [UInt8]) throws -> [String: Any] {
    let text = String(decoding: html, as: UTF8.self)
    let open = "<script id=\"plot-data\" type=\"application/json\">"
    let start = try #require(text.range(of: open))
    let end = try #require(text.range(of: "</script>", range: start.upperBound..<text.endIndex))
    let json = Data(text[start.upperBound..<end.lowerBound].utf8)
    return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
}

@Suite("Plot grouping and page")
struct PlotTests {
    @Test("series per attack and OK/ERROR, sorted by attack+label, with vegeta's colours")
    func grouping() throws {
        var plot = Plot()
        for r in makeResults(attack: "b", count: 100, errorEvery: 10) { plot.add(r) }
        for r in makeResults(attack: "a", count: 50) { plot.add(r) }
        for r in makeResults(attack: "c", count: 30, errorEvery: 1) { plot.add(r) }
        let page = try plot.page()
        #expect(page.series.map(\.label) == ["a: OK", "b: ERROR", "b: OK", "c: ERROR"])
        #expect(page.series.map(\.color) == ["#E9D758", "#EE7860", "#297373", "#DD624E"])
        #expect(page.series.map(\.summary.requests) == [50, 10, 90, 30])
        #expect(page.attackTotals.map(\.attack) == ["a", "b", "c"])
        #expect(page.attackTotals[1].summary.requests == 100)
        #expect(page.attackTotals[1].summary.success == 0.9)
    }

    @Test("the sort key is attack name + OK/ERROR, compared byte-wise (vegeta's attack+label)")
    func sortKey() throws {
        var plot = Plot()
        for name in ["x", "x:"] {
            for r in makeResults(attack: name, count: 4, errorEvery: 2) { plot.add(r) }
        }
        let page = try plot.page()
        #expect(page.series.map(\.label) == ["x:: ERROR", "x:: OK", "x: ERROR", "x: OK"])
    }

    @Test("x counts from each attack's seq-0 timestamp; y is the latency; results are put back in seq order")
    func axes() throws {
        var shuffled = makeResults(attack: "late", count: 200, start: 2_000_000_000_000_000_000) {
            Int64($0) * 1000 + 7
        }
        shuffled.swapAt(0, 150)
        shuffled.swapAt(3, 4)
        var plot = Plot()
        for r in makeResults(attack: "early", count: 10, start: 1_000_000_000_000_000_000) { plot.add(r) }
        for r in shuffled { plot.add(r) }
        let page = try plot.page()
        let late = try #require(page.series.first { $0.attack == "late" })
        #expect(late.x == (0..<200).map { Int64($0) * 1_000_000 })
        #expect(late.y == (0..<200).map { Int64($0) * 1000 + 7 })
        let early = try #require(page.series.first { $0.attack == "early" })
        #expect(early.x.first == 0 && early.x.last == 9_000_000)
    }

    @Test("an attack missing seq 0 is not plotted; its results are counted as waiting")
    func missingSeqZero() throws {
        var plot = Plot()
        for r in makeResults(count: 20).dropFirst() { plot.add(r) }
        let page = try plot.page()
        #expect(page.series.isEmpty)
        #expect(page.resultsWaiting == 19)
        let html = page.html()
        #expect(try (embeddedData(html)["series"] as? [Any])?.isEmpty == true)
    }

    @Test("downsampling per series to the threshold, percentiles from every result")
    func thresholdAndSummary() throws {
        var plot = Plot(threshold: 100)
        for r in makeResults(count: 5000, latency: { Int64($0 + 1) * 1000 }) { plot.add(r) }
        let page = try plot.page()
        let s = try #require(page.series.first)
        #expect(s.x.count == 100)
        #expect(s.summary.requests == 5000)
        #expect(abs(Double(s.summary.p50) - 2_500_000) <= 2_500)
        #expect(abs(Double(s.summary.p99) - 4_950_000) <= 4_950)
        #expect(s.summary.max == 5_000_000)
    }

    @Test("threshold 1 fails once a series is longer than 1")
    func thresholdOne() {
        var plot = Plot(threshold: 1)
        for r in makeResults(count: 2) { plot.add(r) }
        #expect(throws: PlotError.thresholdTooSmall) { try plot.page() }
    }

    @Test("the embedded data parses back: seconds with ms resolution, latency in ms")
    func embedded() throws {
        var plot = Plot(title: "demo")
        for r in makeResults(attack: "x", count: 4, errorEvery: 4, latency: { [1_500_000, 250_000, 1_234_567, 3][$0] })
        {
            plot.add(r)
        }
        let data = try embeddedData(try plot.page().html())
        #expect(data["title"] as? String == "demo")
        let series = try #require(data["series"] as? [[String: Any]])
        #expect(series.map { $0["label"] as? String } == ["x: ERROR", "x: OK"])
        #expect(series[1]["x"] as? [Double] == [0, 0.001, 0.002])
        #expect(series[1]["y"] as? [Double] == [1.5, 0.25, 1.234567])
        #expect(series[0]["y"] as? [Double] == [0.000003])
        #expect(series[0]["kind"] as? String == "ERROR")
        let strip = try #require(data["strip"] as? [String: Any])
        let classes = try #require(strip["classes"] as? [[String: Any]])
        #expect(classes.map { $0["name"] as? String } == ["2xx", "5xx"])
        #expect(classes.map { ($0["counts"] as? [Int])?.reduce(0, +) } == [3, 1])
    }

    @Test("the title is HTML-escaped in <title> and <h1> and safe inside the data script")
    func titleEscaping() throws {
        var plot = Plot(title: "a<b>&\"c\" 'd' </script>")
        for r in makeResults(count: 3) { plot.add(r) }
        let html = String(decoding: try plot.page().html(), as: UTF8.self)
        let escaped = "a&lt;b&gt;&amp;&#34;c&#34; &#39;d&#39; &lt;/script&gt;"
        #expect(html.contains("<title>\(escaped)</title>"))
        #expect(html.contains("<h1>\(escaped)</h1>"))
        #expect(!html.contains("</script> "))
        #expect(try embeddedData(Array(html.utf8))["title"] as? String == "a<b>&\"c\" 'd' </script>")
    }

    @Test("the page is self-contained: no external scripts, styles or URLs")
    func selfContained() throws {
        var plot = Plot()
        for r in makeResults(count: 10) { plot.add(r) }
        let html = String(decoding: try plot.page().html(), as: UTF8.self)
        #expect(!html.contains("<script src"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("//cdn"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test("written in chunks, the page equals the whole")
    func chunks() throws {
        var plot = Plot(threshold: 0)
        for r in makeResults(count: 30_000) { plot.add(r) }
        let page = try plot.page()
        var pieces = 0
        var joined: [UInt8] = []
        page.writeHTML { (chunk) throws(Never) in
            pieces += 1
            joined.append(contentsOf: chunk)
        }
        #expect(pieces > 1)
        #expect(joined == page.html())
        #expect(try (embeddedData(joined)["series"] as? [[String: Any]])?.first?["x"] as? [Double] != nil)
    }
}
