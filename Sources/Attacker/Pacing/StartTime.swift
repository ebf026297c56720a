import BarrageCore
public import Encoder

/// `-start-at`: the wall-clock instant an attack's schedule starts from, so shards on different hosts start
/// together.
///
/// The schedule is anchored to the instant itself (hit n due at instant + (n+1)·interval, timestamps measured from
/// it), not to whenever the process got there; the event loops wait for the first hit as they wait for any other.
public enum StartTime {
    /// Reads an RFC 3339 time as Go's `time.Parse(time.RFC3339, …)` does (`2026-12-03T18:00:00Z`,
    /// `2026-12-03T19:00:00.5+01:00`).
    ///
    /// - Returns: the instant, or nil when the text is not one.
    public static func parse(_ text: String) -> Timestamp? {
        var bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeMutableBufferPointer { b in
            b.baseAddress.flatMap { RFC3339.parse($0, b.count, .go) }
        }
        guard let parsed else { return nil }
        return Timestamp(seconds: parsed.seconds, nanoseconds: parsed.nanoseconds, utcOffset: parsed.utcOffset)
    }

    /// How long after the instant a process may still start: the time to the schedule's first hit (one interval of
    /// `-rate`; the first step of a ramp or plan), 0 when unpaced. Starting within it loses no hit.
    public static func tolerance(_ pacer: Pacer) -> Int64 {
        switch pacer {
        case .unlimited, .stopped: return 0
        default: return max(0, pacer.due(0) ?? 0)
        }
    }

    /// Why `startAt` cannot be used at `now`: it passed longer ago than `tolerance(pacer)`.
    ///
    /// - Returns: nil when the attack can start (now or later), else the one-line reason.
    public static func problem(_ startAt: Timestamp, now: Timestamp, pacer: Pacer) -> ShardError? {
        let late = now.nanoseconds(since: startAt)
        let allowed = tolerance(pacer)
        guard late > allowed else { return nil }
        let limit =
            allowed > 0
            ? "up to \(GoDuration.format(allowed)) late, the time to the first hit, is allowed"
            : "an unpaced attack must start on time"
        let shown = late >= 1_000_000 ? late / 1_000_000 * 1_000_000 : late  // to the millisecond
        return ShardError(
            "\(startAt.rfc3339Nano) passed \(GoDuration.format(shown)) ago (\(limit)); choose a later time")
    }
}

extension AttackStart {
    /// The start of an attack whose schedule begins at the wall-clock instant `instant` (past or future): its
    /// monotonic reading is now's plus the distance to it, and timestamps are written in the local zone, as those
    /// of an attack started now.
    static func at(_ instant: Timestamp) -> AttackStart {
        let mono = OSClock.monotonicNanoseconds()
        let wall = Timestamp.now()
        let anchor = Timestamp(
            seconds: instant.seconds, nanoseconds: instant.nanoseconds,
            utcOffset: Timestamp.localOffset(at: instant.seconds))
        return AttackStart(mono: mono &+ anchor.nanoseconds(since: wall), anchor: anchor)
    }
}
