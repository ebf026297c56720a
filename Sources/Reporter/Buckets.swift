import BarrageCore
import Encoder

/// Latency bucket bounds for the histogram report (`[0,500us,1ms]`), in ns.
public struct Buckets: Sendable, Equatable {
    /// Lower bounds in the order given; a 0 bound is prepended when the first one is above 0.
    public let bounds: [Int64]

    /// Creates buckets from bounds already parsed (prepends 0 when the first bound is positive, like vegeta).
    public init(bounds: [Int64]) {
        if let first = bounds.first, first > 0 {
            self.bounds = [0] + bounds
        } else {
            self.bounds = bounds
        }
    }

    /// Parses vegeta's bucket syntax: `[` Go durations separated by commas `]`, spaces around items allowed.
    ///
    /// - Throws: `ReportError.badBuckets` when the brackets are missing, `ReportError.badDuration` for an item
    ///   that is not a Go duration.
    public init(parsing text: String) throws(ReportError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else {
            throw .badBuckets(text)
        }
        let inner = String(decoding: bytes[1..<(bytes.count - 1)], as: UTF8.self)
        var bounds: [Int64] = []
        for item in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = String(
                item.drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
            guard let ns = GoDuration.parse(trimmed) else { throw .badDuration(trimmed) }
            bounds.append(ns)
        }
        guard !bounds.isEmpty else { throw .badBuckets(text) }
        self.init(bounds: bounds)
    }
}

/// Per-bucket latency counts (vegeta's `Histogram.Add`).
public struct BucketCounts: Sendable {
    /// The buckets being counted.
    public let buckets: Buckets
    /// One count per bucket, in bucket order.
    public private(set) var counts: [UInt64]
    /// Results counted.
    public private(set) var total: UInt64 = 0

    /// Creates zero counts for `buckets`.
    public init(buckets: Buckets) {
        self.buckets = buckets
        self.counts = Array(repeating: 0, count: buckets.bounds.count)
    }

    /// Counts a latency into the first bucket i with `bounds[i] <= latency < bounds[i+1]`; the last bucket takes
    /// everything else (vegeta's linear rule, which also holds for unsorted bounds).
    public mutating func add(_ latency: Int64) {
        let bounds = buckets.bounds
        guard !bounds.isEmpty else { return }
        var i = 0
        while i < bounds.count - 1 {
            if latency >= bounds[i] && latency < bounds[i + 1] { break }
            i += 1
        }
        total &+= 1
        counts[i] &+= 1
    }
}
