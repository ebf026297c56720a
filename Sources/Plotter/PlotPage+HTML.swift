import BarrageCore
import Encoder

extension PlotPage {
    /// Writes the self-contained HTML page (our own CSS and JavaScript inline, data as JSON, no network).
    ///
    /// The page is produced in chunks of about 64 KiB, so a plot with every point kept (`threshold == 0`) is never
    /// held whole in memory.
    /// - Parameter sink: receives each chunk in order.
    /// - Throws: whatever `sink` throws; writing stops there.
    public func writeHTML<E: Error>(to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        var w = ByteWriter()
        PageShell.head(&w, title: title, css: PackageResources.plot_css)
        PageShell.header(
            &w, title: title,
            buttons: [
                .init("b-reset", "Reset zoom", title: "Or double-click the chart"),
                .init("b-scale", "Log scale", pressed: true), .init("b-lines", "Lines", pressed: false),
                .init("b-theme", "Dark theme"), .init("b-png", "Export PNG"),
            ])
        w.raw(
            """
            <main>
            <section class="panel">
            <div class="chart" id="chart"><canvas id="plot"></canvas><canvas id="overlay"></canvas><div id="tip" class="tip" hidden></div></div>
            <div class="legend" id="legend"></div>
            <p class="hint">Drag across the chart to zoom in on a time range, double-click to reset. Click a legend entry to hide or show its series.</p>
            </section>
            <section class="panel">
            <h2>Requests by status over time</h2>
            <div class="chart strip" id="strip-box"><canvas id="strip"></canvas></div>
            <div class="legend" id="strip-legend"></div>
            </section>
            <section class="panel">
            <h2>Summary</h2>
            <table class="summary">
            <thead><tr><th>Series</th><th>Requests</th><th>Success</th><th>p50</th><th>p90</th><th>p99</th><th>Max</th></tr></thead>
            <tbody>

            """)
        for s in series { summaryRow(&w, label: s.label, color: s.color, s.summary) }
        for t in attackTotals where series.filter({ $0.attack == t.attack }).count > 1 {
            summaryRow(&w, label: t.attack + ": all", color: nil, t.summary)
        }
        w.raw("</tbody>\n</table>\n<p class=\"note\">")
        w.uint(UInt64(resultsRead))
        w.raw(resultsRead == 1 ? " result read; " : " results read; ")
        w.uint(UInt64(series.reduce(0) { $0 + $1.x.count }))
        w.raw(" points drawn")
        if threshold > 0 {
            w.raw(" (at most ")
            w.int(Int64(threshold))
            w.raw(" per series, Largest-Triangle-Three-Buckets)")
        }
        w.raw(". Percentiles come from every result, within 0.1 %.")
        leftOutNote(&w, resultsWaiting, " results not plotted: a lower seq of their attack never arrived.")
        leftOutNote(&w, resultsDropped, " results dropped as repeated or given-up seqs.")
        w.raw("</p>\n</section>\n</main>\n")
        try PageShell.finish(&w, dataID: "plot-data", js: PackageResources.plot_js, sink) { (w) throws(E) in
            try writeData(&w, sink)
        }
    }

    /// The whole page as bytes (convenient for small plots and tests).
    public func html() -> [UInt8] { PageShell.collect { writeHTML(to: $0) } }

    /// ` <count><text>` in the note under the table, when `count` results were left out of the plot.
    private func leftOutNote(_ w: inout ByteWriter, _ count: Int, _ text: StaticString) {
        guard count > 0 else { return }
        w.raw(" ")
        w.uint(UInt64(count))
        w.raw(text)
    }

    private func summaryRow(_ w: inout ByteWriter, label: String, color: String?, _ s: LatencySummary) {
        w.raw("<tr><td>")
        if let color {
            w.raw("<span class=\"swatch\" style=\"background:")
            w.html(color)
            w.raw("\"></span>")
        }
        w.html(label)
        w.raw("</td><td>")
        w.uint(s.requests)
        w.raw("</td><td>")
        // Percent with two decimals, rounded half up, from integer arithmetic.
        let basisPoints = s.requests == 0 ? 0 : (s.ok * 20_000 + s.requests) / (2 * s.requests)
        w.fixed(Int64(basisPoints), scale: 2)
        w.raw("%</td>")
        for v in [s.p50, s.p90, s.p99, s.max] {
            w.raw("<td>")
            w.html(GoDuration.format(GoDuration.roundForReport(v)))
            w.raw("</td>")
        }
        w.raw("</tr>\n")
    }

    /// The JSON the script reads: series with x in seconds (ms resolution, as vegeta) and y in milliseconds
    /// (exact decimal of the nanoseconds), and the status strip.
    private func writeData<E: Error>(_ w: inout ByteWriter, _ sink: ([UInt8]) throws(E) -> Void) throws(E) {
        w.raw("{\"title\":")
        w.jsonString(title)
        w.raw(",\"threshold\":")
        w.int(Int64(threshold))
        w.raw(",\"series\":[")
        for (i, s) in series.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            try s.writeJSON(&w, label: s.label, sink) { w, x in w.fixed(Self.roundedMilliseconds(x), scale: 3) }
        }
        w.raw("],\n\"strip\":{\"width\":")
        w.fixed(strip.width, scale: 9)
        w.raw(",\"classes\":[")
        var first = true
        for c in 0..<StatusStrip.classNames.count where strip.total(statusClass: c) > 0 {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.raw("{\"name\":")
            w.jsonString(StatusStrip.classNames[c])
            w.raw(",\"color\":")
            w.jsonString(StatusStrip.classColors[c])
            w.raw(",\"counts\":[")
            for b in 0..<strip.bucketCount {
                if b > 0 { w.byte(UInt8(ascii: ",")) }
                w.uint(strip.count(bucket: b, statusClass: c))
            }
            w.raw("]}")
        }
        w.raw("]}}")
    }

    /// Nanoseconds to whole milliseconds, half away from zero.
    static func roundedMilliseconds(_ ns: Int64) -> Int64 {
        let q = ns / 1_000_000
        let r = ns % 1_000_000
        if r >= 500_000 { return q + 1 }
        if r <= -500_000 { return q - 1 }
        return q
    }
}

extension PlotSeries {
    /// Writes the series as the pages' scripts read it: `{"label", "attack", "kind", "color", "count", "x": [...],
    /// "y": [...]}`, y in milliseconds (exact decimal of the nanoseconds), flushing to `sink` every 1024 numbers.
    /// - Parameters:
    ///   - w: the page writer.
    ///   - label: the label to show (the plot page uses `label`).
    ///   - sink: receives the writer's chunks.
    ///   - x: writes one x value (nanoseconds since `origin`) in the page's unit.
    /// - Throws: whatever `sink` throws.
    package func writeJSON<E: Error>(
        _ w: inout ByteWriter, label: String, _ sink: ([UInt8]) throws(E) -> Void,
        x writeX: (inout ByteWriter, Int64) -> Void
    ) throws(E) {
        w.raw("\n{\"label\":")
        w.jsonString(label)
        w.raw(",\"attack\":")
        w.jsonString(attack)
        w.raw(isError ? ",\"kind\":\"ERROR\"" : ",\"kind\":\"OK\"")
        w.raw(",\"color\":")
        w.jsonString(color)
        w.raw(",\"count\":")
        w.uint(summary.requests)
        w.raw(",\"x\":[")
        for (j, v) in x.enumerated() {
            if j > 0 { w.byte(UInt8(ascii: ",")) }
            writeX(&w, v)
            if j & 1023 == 1023 { try w.flush(to: sink) }
        }
        w.raw("],\"y\":[")
        for (j, v) in y.enumerated() {
            if j > 0 { w.byte(UInt8(ascii: ",")) }
            w.fixed(v, scale: 6)
            if j & 1023 == 1023 { try w.flush(to: sink) }
        }
        w.raw("]}")
    }
}
