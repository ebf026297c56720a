import BarrageCore

/// One activity run in the journal: `{activity, output, start, status, exception?, end, duration, tolerance_met?}`.
final class Record: @unchecked Sendable {
    // Written by the one thread that runs the activity; read after every thread has been joined.
    var activity: JSON
    var output: JSON = .null
    let start = Clock.wall()
    let startMonotonic = Clock.monotonic()
    var status: ActivityStatus?
    var exception: [String]?
    var end: (seconds: Int, micros: Int)?
    var duration: Double?
    var toleranceMet: Bool?
    /// Index of the hypothesis probe this record ran (to show a probe tolerance's injected `value`).
    var hypothesisIndex: Int?

    init(activity: JSON) { self.activity = activity }

    func finish() {
        end = Clock.wall()
        duration = ((Clock.monotonic() - startMonotonic) * 1e6).rounded() / 1e6
    }

    func json(injected: [Int: JSON]) -> JSON {
        var a = activity
        if let i = hypothesisIndex, let tolerance = injected[i], a["tolerance"] != nil { a["tolerance"] = tolerance }
        var r = JSON.object([
            .init("activity", a), .init("output", output), .init("start", .string(Clock.isoUTC(start))),
        ])
        if let status { r["status"] = .string(status.rawValue) }
        if let exception { r["exception"] = .array(exception.map { .string($0) }) }
        if let end { r["end"] = .string(Clock.isoUTC(end)) }
        if let duration { r["duration"] = .double(duration) }
        if let toleranceMet { r["tolerance_met"] = .bool(toleranceMet) }
        return r
    }
}
