public import BarrageCore
public import Encoder
import Plotter

/// Builds the chaos report: an experiment's journal with the attack results drawn on the same wall-clock axis.
///
/// Results stream in through `add`; the latency scatter is a `Plot` (per attack and OK/ERROR, downsampled with
/// LTTB, memory bounded), the rate strip counts OK and error requests per time bucket. Not thread-safe.
public struct ChaosReport {
    /// The `Result` fields `add` reads.
    public static let fields = Plot.fields
    /// The journal as parsed.
    public let journal: JSON
    /// Every run record, in drawing order.
    public let activities: [JournalActivity]
    /// Unix nanoseconds of the journal's start (or of its first activity when the start is unreadable).
    public let origin: Int64
    /// Result files read, as the command names them (shown on the page).
    public var resultFiles: [String] = []
    /// Notes shown on the page about files that were missing or damaged.
    public var fileNotes: [String] = []
    private var plot: Plot
    private var strip: RateStrip
    /// Results given to `add`.
    public private(set) var resultsRead = 0
    /// Results whose time was too far from the experiment to be counted in the rate strip.
    public private(set) var resultsOutside = 0
    /// Results with an error text, and the unix nanoseconds of the first and last of them.
    public private(set) var errors = 0
    /// Of `errors`, those found in a successful response's body (see `BodyErrors`).
    public private(set) var bodyErrors = 0
    /// The body member looked at for errors ("" when not looked at).
    public var bodyErrorKey = ""
    public private(set) var firstError: Int64?
    public private(set) var lastError: Int64?

    /// Reads the journal's experiment and run records.
    /// - Parameters:
    ///   - journal: the parsed journal.
    ///   - threshold: LTTB points per latency series (at least 3).
    /// - Throws: `ChaosReportError.notAJournal` when `journal` is not an object with an `experiment` object.
    public init(journal: JSON, threshold: Int = 3000) throws(ChaosReportError) {
        guard journal.isObject else { throw .notAJournal("the document is not a JSON object") }
        guard let experiment = journal["experiment"], experiment.isObject else {
            throw .notAJournal("no \"experiment\" object")
        }
        for key in ["run", "rollbacks"] {
            if let v = journal[key], v.array == nil, !v.isNull { throw .notAJournal("\"\(key)\" is not a list") }
        }
        self.journal = journal
        activities = JournalActivity.all(in: journal)
        let start = journal["start"]?.string.flatMap(JournalTime.unixNanoseconds)
        let firstActivity = activities.compactMap(\.start).min()
        origin = start ?? firstActivity ?? 0
        let end = journal["end"]?.string.flatMap(JournalTime.unixNanoseconds) ?? activities.compactMap(\.end).max()
        plot = Plot(title: experiment["title"]?.string ?? "Chaos report", threshold: max(3, threshold))
        strip = RateStrip(origin: origin, span: max(1_000_000_000, (end ?? origin) &- origin))
    }

    /// The experiment's title.
    public var title: String { journal["experiment"]?["title"]?.string ?? "Chaos report" }

    /// The file each attack name was first read from, and the last result's name, file and plotted name.
    private var attackFiles: [String: String] = [:]
    private var last: (attack: String, file: String, plotted: String)?

    /// Adds one result (only `fields` are read).
    /// - Parameters:
    ///   - result: the result.
    ///   - file: the file it was read from. Each attack counts its seqs from 0, so an attack name already read from
    ///     another file (two runs, or two unnamed attacks) is plotted apart, as `<name> · <file>`.
    ///   - bodyError: the error the response body reports (`BodyErrors`), counted when the result has none.
    public mutating func add(_ result: ResultStats, file: String = "", bodyError: String? = nil) {
        resultsRead += 1
        var r = result
        if r.error.isEmpty, let bodyError {
            r.error = bodyError
            bodyErrors += 1
        }
        if let last, last.attack == r.attack, last.file == file {
            r.attack = last.plotted
        } else {
            let first = attackFiles[r.attack] ?? file
            attackFiles[r.attack] = first
            let plotted =
                first == file ? r.attack : r.attack + " · " + (file.split(separator: "/").last.map(String.init) ?? file)
            last = (r.attack, file, plotted)
            r.attack = plotted
        }
        plot.add(r)
        if !r.error.isEmpty {
            errors += 1
            let t = r.timestamp.unixNanoseconds
            firstError = min(firstError ?? t, t)
            lastError = max(lastError ?? t, t)
        }
        if !strip.add(timestamp: r.timestamp.unixNanoseconds, isError: !r.error.isEmpty) {
            resultsOutside += 1
        }
    }

    /// Finishes the report: downsamples the series.
    /// - Returns: the page's data, ready to be written as HTML.
    public func page() -> ChaosReportPage {
        // The threshold is at least 3, the only case in which `Plot.page()` throws.
        let latency = (try? plot.page())?.series ?? []
        return ChaosReportPage(report: self, series: latency, strip: strip)
    }
}
