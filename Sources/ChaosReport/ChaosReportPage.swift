import BarrageCore
import Encoder
public import Plotter

/// A finished chaos report: the journal's facts and activities, the latency series and the rate strip, all on one
/// time axis; writes the self-contained HTML page.
public struct ChaosReportPage {
    let report: ChaosReport
    /// Latency series (attack × OK/ERROR), downsampled; x relative to each series' `origin`.
    public let series: [PlotSeries]
    let strip: RateStrip

    /// Unix nanoseconds of the UTC midnight before the experiment: the page's x values are seconds since then,
    /// so the axis can print wall-clock times.
    var day: Int64 {
        let dayNs: Int64 = 86_400_000_000_000
        let o = report.origin
        // Floor division that cannot overflow (journal times are years 1900-2200, but the origin may be 0 or any
        // result's time).
        let q = o / dayNs
        let floor = o % dayNs < 0 ? q - 1 : q
        return floor.multipliedReportingOverflow(by: dayNs).overflow ? 0 : floor * dayNs
    }

    /// Writes the page (our own CSS and JavaScript inline, the data as JSON, no network) in chunks to `sink`.
    /// - Throws: whatever `sink` throws; writing stops there.
    public func writeHTML<E: Error>(to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        var w = ByteWriter()
        let title = report.title
        PageShell.head(&w, title: title + " · chaos report", css: PackageResources.report_css)
        PageShell.header(
            &w, title: title,
            buttons: [
                .init("b-reset", "Reset zoom", title: "Or double-click a chart"),
                .init("b-scale", "Log scale", pressed: true), .init("b-theme", "Dark theme"),
            ])
        w.raw(
            """
            <main>

            """)
        writeOverview(&w)
        w.raw(
            """
            <section class="panel">
            <h2>Activities and traffic on one clock (UTC)</h2>
            <div class="stack" id="stack">
            <div class="chart timeline" id="timeline-box"><canvas id="timeline"></canvas></div>
            <div class="chart latency" id="latency-box"><canvas id="latency"></canvas></div>
            <div class="legend" id="legend"></div>
            <div class="chart strip" id="strip-box"><canvas id="strip"></canvas></div>
            <div class="legend" id="strip-legend"></div>
            <div id="tip" class="tip" hidden></div>
            </div>
            <p class="hint">Bars: hypothesis probes, method activities and rollbacks from start to end (green succeeded, red failed, hatched probes, dashed outline in the background, thin lines for pauses). Shaded columns mark method actions and rollbacks on every chart. Drag across any chart to zoom, double-click to reset; hover for details, click a bar to pin them below.</p>
            </section>
            <section class="panel" id="details-panel">
            <h2>Selected activity</h2>
            <div id="details"><p class="note">Click a bar in the timeline.</p></div>
            </section>

            """)
        writeTable(&w)
        w.raw("</main>\n")
        try PageShell.finish(&w, dataID: "report-data", js: PackageResources.report_js, sink) { (w) throws(E) in
            try writeData(&w, sink)
        }
    }

    /// The whole page as bytes.
    public func html() -> [UInt8] { PageShell.collect { writeHTML(to: $0) } }

    // MARK: - Overview

    private func writeOverview(_ w: inout ByteWriter) {
        let j = report.journal
        let experiment = j["experiment"] ?? .null
        w.raw("<section class=\"panel overview\">\n")
        if let d = experiment["description"]?.string, !d.isEmpty {
            w.raw("<p class=\"description\">")
            w.html(d)
            w.raw("</p>\n")
        }
        w.raw("<dl class=\"facts\">\n")
        let status = j["status"]?.string ?? "unknown"
        let deviated = j["deviated"]?.isTruthy ?? false
        fact(&w, "Status", badge: status, good: status == "completed" && !deviated)
        fact(&w, "Deviated", badge: deviated ? "yes" : "no", good: !deviated)
        for (key, label) in [("before", "Steady state before"), ("after", "Steady state after")] {
            if let met = j["steady_states"]?[key]?["steady_state_met"], !met.isNull {
                fact(&w, label, badge: met.isTruthy ? "met" : "not met", good: met.isTruthy)
            } else {
                fact(&w, label, "not run")
            }
        }
        if let during = j["steady_states"]?["during"]?.array, !during.isEmpty {
            let missed = during.filter { !($0["steady_state_met"]?.isTruthy ?? false) }.count
            fact(&w, "Steady state during", "\(during.count) checks, \(missed) not met")
        }
        fact(&w, "Started", j["start"]?.string ?? "?")
        fact(&w, "Ended", j["end"]?.string ?? "?")
        if let d = j["duration"]?.number, d.isFinite, abs(d) < 1e12 {
            var text = ByteWriter(capacity: 16)
            text.fixed(Int64((d * 1000).rounded()), scale: 3)
            fact(&w, "Duration", String(decoding: text.buffer, as: UTF8.self) + " s")
        }
        let rollbacks = j["rollbacks"]?.array ?? []
        let failedRollbacks = rollbacks.filter { $0["status"]?.string != "succeeded" }.count
        fact(
            &w, "Rollbacks",
            rollbacks.isEmpty ? "none played" : "\(rollbacks.count) played, \(failedRollbacks) not succeeded")
        var strategies: [String] = []
        if let runtime = experiment["runtime"], runtime.isObject {
            for (key, label) in [("hypothesis", "hypothesis"), ("rollbacks", "rollbacks")] {
                if let s = runtime[key]?["strategy"]?.string { strategies.append("\(label): \(s)") }
                if let f = runtime[key]?["frequency"]?.number {
                    strategies.append("\(label) frequency: \(f.pythonText)")
                }
                if let f = runtime[key]?["fail_fast"] { strategies.append("\(label) fail fast: \(f.pythonString)") }
            }
        }
        if let dry = experiment["dry"]?.string { strategies.append("dry: \(dry)") }
        fact(
            &w, "Strategies",
            strategies.isEmpty ? "default (not recorded in the journal)" : strategies.joined(separator: ", "))
        var run: [String] = []
        for key in ["chaoslib-version", "node", "platform"] {
            if let v = j[key]?.string { run.append("\(key) \(v)") }
        }
        if !run.isEmpty { fact(&w, "Run by", run.joined(separator: " · ")) }
        fact(
            &w, "Results",
            report.resultFiles.isEmpty
                ? "no result files" : report.resultFiles.joined(separator: ", ") + " (\(report.resultsRead) results)")
        if report.resultsRead > 0 { errorFact(&w) }
        for note in report.fileNotes { fact(&w, "Note", note) }
        if report.resultsOutside > 0 {
            fact(
                &w, "Note",
                "\(report.resultsOutside) results lie more than 30 days from the experiment and are not in the rate strip"
            )
        }
        w.raw("</dl>\n</section>\n")
    }

    /// "Errors": how many, their share, and when the first and the last one started.
    private func errorFact(_ w: inout ByteWriter) {
        w.raw("<div><dt>Errors</dt><dd>")
        w.raw(report.errors == 0 ? "<span class=\"badge good\">" : "<span class=\"badge bad\">")
        w.int(Int64(report.errors))
        w.raw(" of ")
        w.int(Int64(report.resultsRead))
        w.raw(" (")
        w.fixed(Int64(report.errors) * 1000 / Int64(report.resultsRead), scale: 1)
        w.raw(" %)</span>")
        if report.bodyErrors > 0 {
            w.raw(", ")
            w.int(Int64(report.bodyErrors))
            w.raw(" of them answered 200 with an <code>")
            w.html(report.bodyErrorKey)
            w.raw("</code> member in the body,")
        }
        if let first = report.firstError, let last = report.lastError {
            w.raw(" from ")
            clock(&w, first)
            w.raw(" to ")
            clock(&w, last)
        }
        w.raw("</dd></div>\n")
    }

    private func fact(_ w: inout ByteWriter, _ label: String, _ value: String) {
        w.raw("<div><dt>")
        w.html(label)
        w.raw("</dt><dd>")
        w.html(value)
        w.raw("</dd></div>\n")
    }

    private func fact(_ w: inout ByteWriter, _ label: String, badge: String, good: Bool) {
        w.raw("<div><dt>")
        w.html(label)
        w.raw(good ? "</dt><dd><span class=\"badge good\">" : "</dt><dd><span class=\"badge bad\">")
        w.html(badge)
        w.raw("</span></dd></div>\n")
    }

    // MARK: - Table

    private func writeTable(_ w: inout ByteWriter) {
        w.raw(
            """
            <section class="panel">
            <h2>Every activity</h2>
            <table class="activities">
            <thead><tr><th>Phase</th><th>Type</th><th>Name</th><th>Status</th><th>Start (UTC)</th><th>Duration</th><th>Tolerance</th><th>Output or error</th></tr></thead>
            <tbody>

            """)
        for (i, a) in report.activities.enumerated() {
            w.raw("<tr data-index=\"")
            w.int(Int64(i))
            w.raw("\"><td>")
            w.html(a.phase)
            w.raw("</td><td>")
            w.html(a.type + (a.background ? " (background)" : ""))
            w.raw("</td><td>")
            w.html(a.name)
            w.raw("</td><td class=\"st-")
            w.html(a.status.isEmpty ? "none" : a.status)
            w.raw("\">")
            w.html(a.status.isEmpty ? "no status" : a.status)
            w.raw("</td><td>")
            if let s = a.start { clock(&w, s) }
            w.raw("</td><td>")
            if let s = a.start, let e = a.end {
                w.fixed((e &- s) / 1_000_000, scale: 3)
                w.raw(" s")
            }
            w.raw("</td><td>")
            if let met = a.toleranceMet { w.raw(met ? "met" : "not met") }
            w.raw("</td><td><div class=\"out\">")
            w.html(a.error.isEmpty ? a.output : a.error)
            w.raw("</div></td></tr>\n")
        }
        w.raw("</tbody>\n</table>\n</section>\n")
    }

    /// `HH:MM:SS.mmm` of unix nanoseconds, UTC.
    private func clock(_ w: inout ByteWriter, _ ns: Int64) {
        let ms = (ns &- day) / 1_000_000
        let dayMs = ((ms % 86_400_000) + 86_400_000) % 86_400_000
        for (value, sep) in [(dayMs / 3_600_000, ":"), (dayMs / 60_000 % 60, ":"), (dayMs / 1000 % 60, ".")] {
            if value < 10 { w.byte(UInt8(ascii: "0")) }
            w.int(value)
            w.raw(sep)
        }
        let milli = dayMs % 1000
        if milli < 100 { w.byte(UInt8(ascii: "0")) }
        if milli < 10 { w.byte(UInt8(ascii: "0")) }
        w.int(milli)
    }

    // MARK: - Data

    /// Seconds since `day` with millisecond resolution.
    private func seconds(_ w: inout ByteWriter, _ ns: Int64) {
        let d = ns &- day
        w.fixed(d >= 0 ? (d &+ 500_000) / 1_000_000 : (d &- 500_000) / 1_000_000, scale: 3)
    }

    /// The JSON the script reads: times in seconds since `day`, latencies in milliseconds.
    private func writeData<E: Error>(_ w: inout ByteWriter, _ sink: ([UInt8]) throws(E) -> Void) throws(E) {
        w.raw("{\"title\":")
        w.jsonString(report.title)
        w.raw(",\"day\":")
        w.int(day / 1_000_000_000)
        w.raw(",\"start\":")
        seconds(&w, report.origin)
        let end = report.journal["end"]?.string.flatMap(JournalTime.unixNanoseconds)
        if let end {
            w.raw(",\"end\":")
            seconds(&w, end)
        }
        w.raw(",\"status\":")
        w.jsonString(report.journal["status"]?.string ?? "")
        w.raw(",\"deviated\":")
        w.raw((report.journal["deviated"]?.isTruthy ?? false) ? "true" : "false")
        w.raw(",\"activities\":[")
        for (i, a) in report.activities.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("\n{")
            for (k, (key, value)) in [("phase", a.phase), ("type", a.type), ("name", a.name), ("status", a.status)]
                .enumerated()
            {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                w.jsonString(key)
                w.byte(UInt8(ascii: ":"))
                w.jsonString(value)
            }
            w.raw(a.background ? ",\"background\":true" : ",\"background\":false")
            for (key, time) in [(",\"start\":", a.start), (",\"end\":", a.end)] {
                guard let time else { continue }
                w.raw(key)
                seconds(&w, time)
            }
            for (key, pause) in [(",\"pauseBefore\":", a.pauseBefore), (",\"pauseAfter\":", a.pauseAfter)] {
                w.raw(key)
                w.fixed(Int64((pause * 1000).rounded()), scale: 3)
            }
            if let met = a.toleranceMet { w.raw(met ? ",\"tolerance\":true" : ",\"tolerance\":false") }
            for (key, value) in [("error", a.error), ("output", a.output), ("provider", a.provider)] {
                w.byte(UInt8(ascii: ","))
                w.jsonString(key)
                w.byte(UInt8(ascii: ":"))
                w.jsonString(value)
            }
            w.raw("}")
            try w.flush(to: sink)
        }
        w.raw("],\n\"series\":[")
        for (i, s) in series.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            // vegeta labels an unnamed attack ": OK"; the report says "OK".
            let label =
                s.attack.isEmpty
                ? (s.isError ? "ERROR" : "OK") : (s.attack.hasPrefix(" · ") ? String(s.label.dropFirst(3)) : s.label)
            try s.writeJSON(&w, label: label, sink) { w, x in seconds(&w, s.origin &+ x) }
        }
        w.raw("],\n\"strip\":{\"start\":")
        seconds(&w, strip.origin &+ Int64(strip.first) &* strip.width)
        w.raw(",\"width\":")
        w.fixed(strip.width / 1000, scale: 6)
        w.raw(",\"classes\":[")
        for (k, (name, color, counts)) in [
            ("OK", "#3BA55C", strip.ok), ("error", "#D7263D", strip.errors),
        ].enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.jsonString(name)
            w.raw(",\"color\":")
            w.jsonString(color)
            w.raw(",\"counts\":[")
            for (b, c) in counts.enumerated() {
                if b > 0 { w.byte(UInt8(ascii: ",")) }
                w.uint(c)
            }
            w.raw("]}")
        }
        w.raw("]}}")
    }
}

extension Double {
    /// Python's `str(float)` close enough for a frequency in the overview.
    fileprivate var pythonText: String { JSON.double(self).pythonString }
}
