import BarrageCore

/// `--dry` (reference §6.8): what a dry run skips. The journal's `experiment.dry` is the raw value.
public enum DryMode: String, Sendable, CaseIterable {
    /// Probes are not executed (nor their tolerances checked).
    case probes
    /// Actions are not executed.
    case actions
    /// No activity is executed.
    case activities
    /// Activities run, pauses are logged but not slept.
    case pause

    /// Whether this mode skips an activity of `type` (`probe`/`action`).
    func skips(_ type: ActivityType?) -> Bool {
        switch self {
        case .activities: return true
        case .probes: return type == .probe
        case .actions: return type == .action
        case .pause: return false
        }
    }
}
