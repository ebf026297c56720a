import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGINT, SIGTERM, SIGUSR1 and SIGUSR2 into `Interruption`s that the runner's main-thread waits see.
///
/// The signals are read from the process's `SignalWatcher` (a signalfd); every blocking wait on the runner's own
/// thread (pauses, processes, HTTP, the python bridge) polls its descriptor too, so a signal interrupts it at once,
/// as Python's exceptions-from-signal-handlers do. Background activities don't poll it: like Python threads, they
/// go on. Children get the default actions back (`Spawn`).
public final class SignalWatch: Sendable {
    private let watcher: SignalWatcher?

    /// The descriptor to poll for a pending signal; -1 for a watch that never fires.
    var readFD: Int32 { watcher?.fd ?? -1 }

    private init(_ watcher: SignalWatcher?) { self.watcher = watcher }

    /// The process's watch: the first call (on the main thread, before any other thread starts) blocks the four
    /// signals and opens the signalfd; later calls return the same watch.
    public static func install() -> SignalWatch { shared }

    private static let shared = SignalWatch(SignalWatcher(signals: [SIGINT, SIGTERM, SIGUSR1, SIGUSR2]))

    /// A watch that never fires (for tests and background threads).
    public static let none = SignalWatch(nil)

    /// Consumes one pending signal, if any.
    func take() -> Interruption? {
        switch watcher?.next() {
        case SIGINT?: return .sigint
        case SIGTERM?: return .sigterm
        case SIGUSR1?: return .exit(20)
        case SIGUSR2?: return .exit(30)
        default: return nil
        }
    }

    /// Sleeps `seconds`, returning early with the interruption if a signal arrives.
    func sleep(_ seconds: Double) throws(Interruption) {
        _ = try wait(fd: -1, events: 0, timeout: seconds)
    }

    /// Waits until `fd` is ready for `events` (POLLIN/POLLOUT), the timeout passes (returns false), or a signal
    /// arrives (throws). A negative fd only waits for the timeout or the signal. nil timeout waits forever.
    func wait(fd: Int32, events: Int16, timeout: Double?) throws(Interruption) -> Bool {
        let deadline = timeout.flatMap { $0.isNaN ? nil : Clock.monotonic() + max(0, $0) }
        while true {
            if let signal = take() { throw signal }
            var fds = [
                pollfd(fd: fd, events: events, revents: 0), pollfd(fd: readFD, events: Int16(POLLIN), revents: 0),
            ]
            var ms: Int32 = -1
            if let deadline {
                let left = deadline - Clock.monotonic()
                if left <= 0 { return false }
                ms = Clock.pollMillis(left)
            }
            let n = poll(&fds, 2, ms)
            if n < 0 {
                if errno == EINTR { continue }
                return true
            }
            if fds[1].revents != 0, let signal = take() { throw signal }
            if fd >= 0, fds[0].revents != 0 { return true }
        }
    }
}

/// Wall and monotonic clocks, and the timestamp formats the runner prints.
enum Clock {
    static func monotonic() -> Double { OSClock.monotonicSeconds() }

    static func wall() -> (seconds: Int, micros: Int) {
        let now = OSClock.wall()
        return (Int(now.seconds), Int(now.nanoseconds) / 1000)
    }

    /// Milliseconds for poll(2) from seconds left: at least 1, at most an hour, NaN-safe.
    static func pollMillis(_ left: Double) -> Int32 {
        guard left.isFinite else { return 3_600_000 }
        return Int32(max(1, min(left * 1000 + 1, 3_600_000)))
    }

    static func wallSeconds() -> Double {
        let w = wall()
        return Double(w.seconds) + Double(w.micros) / 1e6
    }

    private static func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// `2026-11-22T01:50:28.755564+00:00` (Python's `datetime.now(timezone.utc).isoformat()`).
    static func isoUTC(_ w: (seconds: Int, micros: Int) = wall()) -> String {
        RFC3339.string(seconds: Int64(w.seconds), nanoseconds: Int32(w.micros * 1000), utcOffset: 0, .python)
    }

    /// `2026-11-22 01:50:28` in local time (the console log's asctime).
    static func localStamp() -> String {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
