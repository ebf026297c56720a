#if canImport(Glibc)
    import Glibc
#endif

/// The system's two clocks, read with `clock_gettime`: monotonic for durations and deadlines, the wall clock for
/// timestamps.
///
/// Latencies, pacing and deadlines use the monotonic clock (it never jumps); a timestamp is one wall-clock reading
/// plus monotonic offsets. Both reads are a vDSO call: no syscall, no allocation, safe from any thread.
package enum OSClock {
    /// `CLOCK_MONOTONIC` in nanoseconds (since an unspecified start, typically boot).
    ///
    /// Inlinable: the attack engine reads it several times per request, and it was an inlined call in the engine
    /// before it moved here.
    @inlinable
    package static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    /// `CLOCK_MONOTONIC` in seconds, for the chaos runner's pauses and timeouts.
    package static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `CLOCK_REALTIME`: seconds since the Unix epoch and the nanoseconds within that second (0 ..< 1e9).
    package static func wall() -> (seconds: Int64, nanoseconds: Int32) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Int64(ts.tv_sec), Int32(truncatingIfNeeded: ts.tv_nsec))
    }
}
