public import Encoder
import Histogram

/// Streaming report metrics over a result stream (vegeta's `Metrics.Add`), in constant memory.
///
/// Counts, byte totals, latency total/min/max and the earliest/latest/end timestamps are exact. Percentiles come
/// from an HdrHistogram with three significant decimal digits: a reported percentile is within 0.1% of a latency
/// that was really observed at that rank (vegeta's t-digest interpolates between neighbours instead). Memory is a
/// fixed ~300 KB histogram, a small status-code table and the distinct error strings.
///
/// Thread confinement: a value type; `add(_:)` must not run concurrently with anything else on the same value.
public struct Metrics: Sendable, ResultStatsConsumer {
    /// Number of results added.
    public private(set) var requests: UInt64 = 0
    /// Results with 200 <= code < 400, whatever their error says.
    public private(set) var successes: UInt64 = 0
    /// Sum of `bytesIn` (wrapping like Go's uint64).
    public private(set) var bytesInTotal: UInt64 = 0
    /// Sum of `bytesOut`.
    public private(set) var bytesOutTotal: UInt64 = 0
    /// Sum of latencies in ns (wrapping like Go's int64).
    public private(set) var latencyTotal: Int64 = 0
    /// Smallest latency; 0 means unset, as in vegeta (a later latency replaces a 0 minimum).
    public private(set) var latencyMin: Int64 = 0
    /// Largest latency (0 until a larger one arrives).
    public private(set) var latencyMax: Int64 = 0
    /// Smallest timestamp (Go's zero time until set).
    public private(set) var earliest: Timestamp = .zero
    /// Largest timestamp.
    public private(set) var latest: Timestamp = .zero
    /// Largest `timestamp + latency`.
    public private(set) var end: Timestamp = .zero
    /// Distinct non-empty error strings, in the order first seen.
    public private(set) var errors: [String] = []
    /// Results with a non-empty error string.
    public private(set) var errored: UInt64 = 0

    private var errorSet: Set<String> = []
    /// Counts for codes 0..<600, indexed by code; the rest go to `otherCodes`.
    private var codeCounts: [UInt64] = Array(repeating: 0, count: 600)
    private var otherCodes: [UInt16: UInt64] = [:]
    private var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    /// Latency histogram buckets for `-type=hist` and `-buckets`, if any.
    public private(set) var buckets: BucketCounts?

    /// Creates empty metrics, optionally counting latencies into `buckets`.
    public init(buckets: Buckets? = nil) {
        histogram.autoResize = true
        self.buckets = buckets.map { BucketCounts(buckets: $0) }
    }

    /// Adds a run of results' statistics fields, in order.
    public mutating func add(_ batch: UnsafeBufferPointer<ResultStats>) {
        for i in batch.indices { add(batch[i]) }
    }

    /// Adds one result's statistics fields (what `add(_: Result)` reads). O(1), allocation-free unless the
    /// result carries an error string not seen before.
    @inline(__always)
    public mutating func add(_ result: ResultStats) {
        requests &+= 1
        let code = Int(result.code)
        if code < codeCounts.count {
            codeCounts[code] &+= 1
        } else {
            otherCodes[result.code, default: 0] &+= 1
        }
        bytesOutTotal &+= result.bytesOut
        bytesInTotal &+= result.bytesIn
        let latency = result.latency
        latencyTotal &+= latency
        if latency > latencyMax { latencyMax = latency }
        if latency < latencyMin || latencyMin == 0 { latencyMin = latency }
        histogram.record(latency > 0 ? UInt64(latency) : 0)
        let timestamp = result.timestamp
        if earliest.isZero || timestamp < earliest { earliest = timestamp }
        if latest < timestamp { latest = timestamp }
        let finish = timestamp.adding(nanoseconds: latency)
        if end < finish { end = finish }
        if code >= 200 && code < 400 { successes &+= 1 }
        if !result.error.isEmpty {
            errored &+= 1
            if !errorSet.contains(result.error) {
                errorSet.insert(result.error)
                errors.append(result.error)
            }
        }
        if buckets != nil { buckets?.add(latency) }
    }

    /// Status codes and their counts, keys as decimal strings sorted as strings (vegeta's order).
    public var statusCodes: [(code: String, count: UInt64)] {
        var pairs: [(code: String, count: UInt64)] = []
        for (code, count) in codeCounts.enumerated() where count > 0 { pairs.append((String(code), count)) }
        for (code, count) in otherCodes { pairs.append((String(code), count)) }
        pairs.sort { Array($0.code.utf8).lexicographicallyPrecedes(Array($1.code.utf8)) }
        return pairs
    }

    /// Results with status `code`.
    public func count(code: UInt16) -> UInt64 {
        Int(code) < codeCounts.count ? codeCounts[Int(code)] : otherCodes[code, default: 0]
    }

    /// Results with a status code in `low..<high`.
    public func count(codesFrom low: UInt16, below high: UInt16) -> UInt64 {
        var total: UInt64 = 0
        for code in Int(low)..<Swift.max(Int(low), Int(high)) where code < codeCounts.count {
            total &+= codeCounts[code]
        }
        for (code, count) in otherCodes where code >= low && code < high { total &+= count }
        return total
    }

    /// `latest - earliest` in ns.
    public var duration: Int64 { latest.nanoseconds(since: earliest) }

    /// `end - latest` in ns.
    public var wait: Int64 { end.nanoseconds(since: latest) }

    /// Requests per second over `duration`, or the request count when the duration is 0.
    public var rate: Double {
        let seconds = Self.seconds(duration)
        return seconds > 0 ? Double(requests) / seconds : Double(requests)
    }

    /// Successes per second over `duration + wait`, or the success count when the duration is 0.
    public var throughput: Double {
        guard Self.seconds(duration) > 0 else { return Double(successes) }
        return Double(successes) / Self.seconds(duration &+ wait)
    }

    /// Successful fraction of requests (0 with no requests).
    public var successRatio: Double { requests == 0 ? 0 : Double(successes) / Double(requests) }

    /// Mean bytes in per request (0 with no requests).
    public var bytesInMean: Double { requests == 0 ? 0 : Double(bytesInTotal) / Double(requests) }

    /// Mean bytes out per request (0 with no requests).
    public var bytesOutMean: Double { requests == 0 ? 0 : Double(bytesOutTotal) / Double(requests) }

    /// Mean latency, truncated to whole ns as Go's `time.Duration(float64)` conversion does.
    public var latencyMean: Int64 {
        guard requests > 0 else { return 0 }
        let mean = Double(latencyTotal) / Double(requests)
        guard mean.isFinite, mean > -9.2e18, mean < 9.2e18 else { return 0 }
        return Int64(mean)
    }

    /// The latency at quantile `q` (0...1) in ns, from the histogram, clamped to the exact min and max.
    ///
    /// The result is within HdrHistogram's 3-significant-digit precision (relative error below 0.1%) of an
    /// observed latency at that rank. q = 0 gives the exact minimum, q = 1 the exact maximum.
    public func quantile(_ q: Double) -> Int64 {
        guard requests > 0 else { return 0 }
        if q <= 0 { return latencyMin }
        if q >= 1 { return latencyMax }
        let value = histogram.valueAtPercentile(q * 100)
        let clamped = Int64(clamping: value)
        return Swift.max(latencyMin, Swift.min(latencyMax, clamped))
    }

    private static func seconds(_ ns: Int64) -> Double {
        let whole = ns / 1_000_000_000
        let fraction = ns % 1_000_000_000
        return Double(whole) + Double(fraction) / 1e9
    }
}
