import BarrageCore
import Encoder

/// Why a report could not be set up: the `-type` or `-buckets` value. Each description is vegeta's message.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `-type` shorter than 4 characters.
    case invalidType(String)
    /// `-type` that names nothing we know.
    case unknownType(String)
    /// `-type=plot`, which vegeta replaced by the plot command.
    case plotDeprecated
    /// `-type=hist` without a bucket list (vegeta prints the part after `hist`, quoted with '').
    case missingBuckets(String)
    /// A bucket list without its brackets, or an empty one.
    case badBuckets(String)
    /// A bucket item that is not a Go duration.
    case badDuration(String)

    public var description: String {
        switch self {
        case .invalidType(let type): return "invalid report type: \(type)"
        case .unknownType(let type): return "unknown report type: \(goQuote(type))"
        case .plotDeprecated:
            return "The plot reporter has been deprecated and succeeded by the vegeta plot command"
        case .missingBuckets(let rest): return "bad buckets: '\(rest)'"
        case .badBuckets(let text): return "bad buckets: \(text)"
        case .badDuration(let text): return GoDuration.errorMessage(for: text)
        }
    }
}
