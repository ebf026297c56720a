import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// A Go `time.Time` as vegeta's encodings carry it: an instant plus the zone offset it was recorded in.
///
/// `utcOffset == nil` means Go's `time.UTC` location (gob writes offset -1, JSON writes `Z`); a number is a
/// fixed or local zone offset in seconds (gob writes it in minutes, JSON as `+hh:mm`, and `Z` when zero).
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z (may be negative).
    public var seconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    public var nanoseconds: Int32
    /// Zone offset east of UTC in seconds, or nil for the UTC location.
    public var utcOffset: Int32?

    /// Go's zero time, 0001-01-01T00:00:00Z.
    public static let zero = Timestamp(seconds: -62_135_596_800, nanoseconds: 0, utcOffset: nil)

    /// Seconds between 0001-01-01 and 1970-01-01, the base of gob's time encoding.
    package static let unixToInternal: Int64 = 62_135_596_800

    /// Creates a timestamp from its parts.
    public init(seconds: Int64, nanoseconds: Int32, utcOffset: Int32?) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.utcOffset = utcOffset
    }

    /// Creates a timestamp from Unix nanoseconds in the process's local zone, as Go's `time.Unix(0, ns)` does.
    public init(unixNanoseconds ns: Int64) {
        var s = ns / 1_000_000_000
        var n = ns % 1_000_000_000
        if n < 0 {
            n += 1_000_000_000
            s -= 1
        }
        self.init(seconds: s, nanoseconds: Int32(n), utcOffset: Timestamp.localOffset(at: s))
    }

    /// True for Go's zero time (gob leaves such a field out).
    public var isZero: Bool { seconds == Timestamp.zero.seconds && nanoseconds == 0 }

    /// Nanoseconds since the Unix epoch with Go's `UnixNano` wrap-around for times outside int64's range.
    public var unixNanoseconds: Int64 {
        seconds &* 1_000_000_000 &+ Int64(nanoseconds)
    }

    /// Orders by instant only (the zone does not matter), as Go's `Before`/`After` do.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
    }

    /// Nanoseconds from `other` to `self`, saturating like Go's `Time.Sub`.
    public func nanoseconds(since other: Timestamp) -> Int64 {
        let ds = seconds.subtractingReportingOverflow(other.seconds)
        let mul = ds.partialValue.multipliedReportingOverflow(by: 1_000_000_000)
        let sum = mul.partialValue.addingReportingOverflow(Int64(nanoseconds) - Int64(other.nanoseconds))
        if ds.overflow || mul.overflow || sum.overflow {
            return self < other ? Int64.min : Int64.max
        }
        return sum.partialValue
    }

    /// The timestamp `ns` nanoseconds later, in the same zone.
    public func adding(nanoseconds ns: Int64) -> Timestamp {
        var s = seconds &+ ns / 1_000_000_000
        var n = Int64(nanoseconds) + ns % 1_000_000_000
        if n >= 1_000_000_000 {
            n -= 1_000_000_000
            s &+= 1
        } else if n < 0 {
            n += 1_000_000_000
            s &-= 1
        }
        return Timestamp(seconds: s, nanoseconds: Int32(n), utcOffset: utcOffset)
    }

    /// The local zone's offset from UTC, in seconds, at the given Unix time (`localtime_r`'s `tm_gmtoff`).
    public static func localOffset(at unixSeconds: Int64) -> Int32 {
        var t = time_t(truncatingIfNeeded: unixSeconds)
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return 0 }
        return Int32(truncatingIfNeeded: parts.tm_gmtoff)
    }

    /// The current wall-clock time in the local zone.
    public static func now() -> Timestamp {
        let now = OSClock.wall()
        return Timestamp(seconds: now.seconds, nanoseconds: now.nanoseconds, utcOffset: localOffset(at: now.seconds))
    }
}
