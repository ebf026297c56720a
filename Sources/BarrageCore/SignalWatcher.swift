import CLinux
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The process's one way to receive signals: a `signalfd`, so no code ever runs inside a signal handler.
///
/// Creating a watcher blocks its signals in the calling thread and resets them to the default action (an ignored
/// signal, as a shell's `&` leaves SIGINT, would be discarded instead of queued). A blocked signal stays pending
/// until it is read from `fd`. Consumers either poll `fd` beside their own descriptors and call `next()` (the
/// chaos runner's waits), or let `startHandling(_:)` call a closure on a dedicated thread (attack, report).
///
/// Threads: a signal sent to the process goes to any thread that does not block it, and the default action of
/// SIGINT or SIGTERM there ends the process. So create the watcher on the main thread, early: threads started
/// later inherit its mask, and `OSThread`s and Dispatch's workers block these signals themselves. The main thread
/// must then stay out of Dispatch's main loop (an async `main` that suspends), whose `sigsuspend` unblocks every
/// signal. Children must be spawned with an empty mask and default actions (`posix_spawnattr_setsigmask` and
/// `setsigdefault`), since both are inherited across `exec`.
package final class SignalWatcher: Sendable {
    /// The signalfd: readable while a watched signal is pending. Non-blocking, close-on-exec.
    package let fd: Int32
    /// The signals watched.
    package let signals: [Int32]
    /// The handling thread and the eventfd that stops it, while `startHandling` runs.
    private let handling = Mutex<(thread: OSThread, stopFD: Int32)?>(nil)

    /// Watches `signals` (see the type's notes on threads).
    ///
    /// - Returns: nil if the kernel refuses a signalfd (the signals stay blocked in the calling thread).
    package init?(signals: [Int32]) {
        var set = Self.set(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        let fd = signalfd(-1, &set, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.signals = signals
    }

    deinit { close(fd) }

    /// The next pending watched signal, without waiting.
    ///
    /// - Returns: its number, or nil when none is pending.
    package func next() -> Int32? {
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while true {
            let n = read(fd, &info, size)
            if n == size { return Int32(bitPattern: info.ssi_signo) }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Waits for a watched signal.
    ///
    /// - Parameter nanoseconds: the longest wait (rounded up to whole milliseconds); nil waits until one comes.
    /// - Returns: the signal's number, or nil when the time ran out first.
    package func wait(timeoutNanoseconds nanoseconds: Int64?) -> Int32? {
        let deadline = nanoseconds.map { OSClock.monotonicNanoseconds() &+ max(0, $0) }
        while true {
            if let signal = next() { return signal }
            var ms: Int32 = -1
            if let deadline {
                let left = deadline - OSClock.monotonicNanoseconds()
                if left <= 0 { return nil }
                ms = Int32(clamping: (left + 999_999) / 1_000_000)
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, ms)
        }
    }

    /// Calls `handler` with each watched signal as it arrives, on a dedicated thread (`barrage-signals`), until
    /// `stop()`.
    ///
    /// - Parameter handler: runs on the watcher's thread, one signal at a time; it may block (it holds up only the
    ///   next signals) or `exit`.
    /// - Returns: false if no thread could be started (or one already runs).
    @discardableResult
    package func startHandling(_ handler: @escaping @Sendable (Int32) -> Void) -> Bool {
        handling.withLock { current in
            guard current == nil else { return false }
            let stopFD = eventfd(0, Int32(EFD_CLOEXEC))
            guard stopFD >= 0 else { return false }
            guard let thread = OSThread.spawn(name: "barrage-signals", { self.handle(stopFD: stopFD, handler) }) else {
                close(stopFD)
                return false
            }
            current = (thread, stopFD)
            return true
        }
    }

    private func handle(stopFD: Int32, _ handler: (Int32) -> Void) {
        while true {
            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, 2, -1) < 0 { continue }  // EINTR (nothing else can fail here)
            if fds[1].revents != 0 { return }
            while let signal = next() { handler(signal) }
        }
    }

    /// Stops the handling thread (waiting for a handler call in progress) and unblocks the watched signals in the
    /// calling thread, so from now on they take their default action there.
    package func stop() {
        let running = handling.withLock { current in
            let running = current
            current = nil
            return running
        }
        if let running {
            var one: UInt64 = 1
            _ = write(running.stopFD, &one, 8)
            running.thread.join()
            close(running.stopFD)
        }
        var set = Self.set(signals)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static func set(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}
