/// Which `Result` fields a reader fills in; the others are skipped while decoding and stay zero.
///
/// A report needs only codes, times, latencies, byte counts and errors; skipping bodies, URLs and headers
/// avoids most of a decoder's allocations.
public struct ResultFields: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let attack = ResultFields(rawValue: 1 << 0)
    public static let seq = ResultFields(rawValue: 1 << 1)
    public static let code = ResultFields(rawValue: 1 << 2)
    public static let timestamp = ResultFields(rawValue: 1 << 3)
    public static let latency = ResultFields(rawValue: 1 << 4)
    public static let bytesOut = ResultFields(rawValue: 1 << 5)
    public static let bytesIn = ResultFields(rawValue: 1 << 6)
    public static let error = ResultFields(rawValue: 1 << 7)
    public static let body = ResultFields(rawValue: 1 << 8)
    public static let method = ResultFields(rawValue: 1 << 9)
    public static let url = ResultFields(rawValue: 1 << 10)
    public static let headers = ResultFields(rawValue: 1 << 11)

    /// Every field.
    public static let all = ResultFields(rawValue: 0xfff)
    /// What `report` reads.
    public static let metrics: ResultFields = [.code, .timestamp, .latency, .bytesOut, .bytesIn, .error]
}
