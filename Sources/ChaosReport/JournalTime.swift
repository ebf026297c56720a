import BarrageCore

/// Parses the journal's timestamps: ISO 8601 as chaoslib writes them, `2026-11-22T01:50:28.755564+00:00`
/// (lib 1.44), naive `2026-11-22T01:50:28.755564` (older libs, taken as UTC) or with `Z`.
enum JournalTime {
    /// Unix nanoseconds, or nil when `text` is not such a timestamp.
    static func unixNanoseconds(_ text: String) -> Int64? {
        let parsed = withUTF8(text) { u in u.baseAddress.flatMap { RFC3339.parse($0, u.count, .pythonISO) } }
        guard let parsed else { return nil }
        // Years past 2262 do not fit in Int64 nanoseconds.
        let (whole, overflow) = parsed.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, late) = whole.addingReportingOverflow(Int64(parsed.nanoseconds))
        return overflow || late ? nil : sum
    }
}
