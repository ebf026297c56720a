import BarrageCore

/// The journal's `status` (reference §6.2): `completed | failed | aborted | interrupted`.
///
/// `deviated` is not a status: it is the journal's boolean `deviated`, which the console line prints instead of the
/// status when it is true (a deviated journal has status `completed`, or `failed` when a probe failed).
enum RunStatus: String, Sendable {
    case completed
    case failed
    case aborted
    case interrupted

    /// The method stops after its current activity, and the after-hypothesis is not run, once the run is in one of
    /// these (`aborted`, `failed`, `interrupted`).
    var stopsMethod: Bool { self != .completed }
}

/// An activity record's `status` (reference §4.4): a provider that returned, or one that raised ActivityFailed.
enum ActivityStatus: String, Sendable {
    case succeeded
    case failed
}
