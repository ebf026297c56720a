/// Which report to write, parsed from `-type` and `-buckets` with vegeta's rules and messages.
public enum ReportKind: Sendable, Equatable {
    /// The tab-aligned summary.
    case text
    /// One JSON object; with `-buckets` it carries a `buckets` object.
    case json(buckets: Buckets?)
    /// The bucketed latency histogram with `#` bars.
    case hist(Buckets)
    /// HdrHistogram-style percentile distribution for plotting.
    case hdrplot

    /// Parses `-type` (`text`, `json`, `hdrplot`, `hist[...]`) and `-buckets`.
    ///
    /// - Throws: `ReportError` with vegeta's message: a type shorter than 4 bytes, `plot`, an unknown type,
    ///   `hist` without buckets, or a bad bucket list.
    public init(type: String, buckets: String) throws(ReportError) {
        if type.utf8.count < 4 { throw .invalidType(type) }
        switch type {
        case "plot": throw .plotDeprecated
        case "text": self = .text
        case "json": self = .json(buckets: buckets.isEmpty ? nil : try Buckets(parsing: buckets))
        case "hdrplot": self = .hdrplot
        default:
            guard type.hasPrefix("hist") else { throw .unknownType(type) }
            var list = buckets
            if list.isEmpty {
                let rest = String(decoding: Array(type.utf8).dropFirst(4), as: UTF8.self)
                if type.utf8.count < 6 { throw .missingBuckets(rest) }
                list = rest
            }
            self = .hist(try Buckets(parsing: list))
        }
    }

    /// The buckets the metrics must count for this report, if any.
    public var buckets: Buckets? {
        switch self {
        case .json(let buckets): return buckets
        case .hist(let buckets): return buckets
        case .text, .hdrplot: return nil
        }
    }
}
