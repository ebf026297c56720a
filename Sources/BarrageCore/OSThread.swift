import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A joinable POSIX thread for the event loops, the writer and the chaos runner's background work (blocking work
/// stays off the cooperative pool).
///
/// Every thread starts with the asynchronous process signals (`blockedSignals`) blocked, as Dispatch's workers do,
/// so SIGINT and friends reach only the main thread (default action) or the `SignalWatcher`, never a worker in the
/// middle of its loop. Children it spawns must set their own mask (`posix_spawnattr_setsigmask`).
package struct OSThread: Sendable {
    private let handle: pthread_t

    private final class Box {
        let name: String
        let body: () -> Void
        init(_ name: String, _ body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts `body` on a new thread. The closure is handed over once (retained box, released by the thread).
    ///
    /// - Parameter name: the thread's name as `top -H` and `/proc/<pid>/task/<tid>/comm` show it (at most 15
    ///   bytes are kept).
    package static func spawn(name: String, _ body: @escaping @Sendable () -> Void) -> OSThread? {
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        var tid = pthread_t()
        // The new thread inherits the creator's mask: block for the call, then restore the creator's.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in blockedSignals { sigaddset(&blocked, signal) }
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let rc = pthread_create(
            &tid, nil,
            { raw in
                guard let raw else { return nil }
                let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
                clinux_name_this_thread(box.name)
                box.body()
                return nil
            }, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        // Named twice, to the same name: by the thread itself (so its body sees its name) and here (so the name is
        // there once `spawn` returns; the thread is joinable until the caller detaches it, so `tid` is valid).
        clinux_name_thread(tid, name)
        return Self(handle: tid)
    }

    /// The signals a new thread starts with blocked: those sent to the whole process to stop or poke it (not the
    /// ones a thread raises itself, such as SIGPIPE or SIGSEGV).
    package static let blockedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]

    /// Lets the thread clean up after itself when it ends (nobody will join it).
    package func detach() { pthread_detach(handle) }

    /// Waits for the thread to finish.
    package func join() { pthread_join(handle, nil) }
}
