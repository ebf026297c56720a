import BarrageCore

/// Errors that end a `chaos` command before or outside the journal.
public enum ChaosError: Error, Sendable, CustomStringConvertible, Equatable {
    /// chaoslib's InvalidSource / InvalidExperiment: logged at ERROR, exit 1, no journal.
    case invalid(String)
    /// What crashes the real CLI with a traceback (reference §5.1, §4.4): a clear line instead, exit 1, no journal.
    case crash(String)

    public var description: String {
        switch self {
        case .invalid(let m), .crash(let m): return m
        }
    }
}

/// chaoslib's ActivityFailed: the activity is recorded as failed and the run goes on.
struct ActivityFailed: Error, Sendable {
    var message: String
    /// The exception's lines for the journal (`traceback.format_exception`), last one names the exception.
    var traceback: [String]

    init(_ message: String, traceback: [String]? = nil) {
        self.message = message
        self.traceback =
            traceback ?? [
                "Traceback (most recent call last):\n",
                "  File \"barrage\", in execute_activity\n",
                message.isEmpty
                    ? "chaoslib.exceptions.ActivityFailed\n" : "chaoslib.exceptions.ActivityFailed: \(message)\n",
            ]
    }
}

/// Any other exception inside an activity: the method is aborted (reference §6.2).
struct ActivityAborted: Error, Sendable {
    var message: String
    var traceback: [String]
}

/// A signal (or a control's InterruptExecution) reached the runner.
enum Interruption: Error, Sendable, Equatable {
    case sigint
    case sigterm
    case exit(Int32)  // SIGUSR1 → 20, SIGUSR2 → 30
    case control(String)
}

/// SIGUSR2 stopped a background activity (chaoslib injects ExperimentExitedException into its threads): the record keeps
/// no status, only its end and duration.
struct ExperimentExited: Error, Sendable {}
