import BarrageCore

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the self-pipe; written only by the signal handler (async-signal-safe `write`).
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

private func chaosSignalHandler(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriteFD, &byte, 1)
}

/// Turns SIGINT, SIGTERM, SIGUSR1 and SIGUSR2 into `Interruption`s that the runner's main-thread waits see.
///
/// The handler writes the signal number into a pipe; every blocking wait on the runner's own thread (pauses,
/// processes, HTTP, the python bridge) polls that pipe too, so a signal interrupts it at once, as Python's
/// exceptions-from-signal-handlers do. Background activities don't poll it: like Python threads, they go on.
public final class SignalWatch: @unchecked Sendable {
    let readFD: Int32

    private init(readFD: Int32) { self.readFD = readFD }

    /// Installs the handlers (once per process) and returns the watch.
    public static func install() -> SignalWatch {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        signalPipeWriteFD = fds[1]
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGUSR1, SIGUSR2] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM, SIGUSR1, SIGUSR2] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = chaosSignalHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        return SignalWatch(readFD: fds[0])
    }

    /// A watch that never fires (for tests and background threads).
    public static let none = SignalWatch(readFD: -1)

    /// Consumes one pending signal, if any.
    func take() -> Interruption? {
        guard readFD >= 0 else { return nil }
        var byte: UInt8 = 0
        guard read(readFD, &byte, 1) == 1 else { return nil }
        switch Int32(byte) {
        case SIGINT: return .sigint
        case SIGTERM: return .sigterm
        case SIGUSR1: return .exit(20)
        case SIGUSR2: return .exit(30)
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
            var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)]
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
    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func wall() -> (seconds: Int, micros: Int) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Int(ts.tv_sec), Int(ts.tv_nsec) / 1000)
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
