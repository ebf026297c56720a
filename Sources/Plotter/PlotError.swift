/// Why a plot could not be made.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `-threshold` is 1 or 2 (or negative) and a series has more points than that.
    case thresholdTooSmall

    /// The message vegeta prints for the same failure.
    public var description: String {
        switch self {
        case .thresholdTooSmall: "lttb: min threshold is 3"
        }
    }
}
