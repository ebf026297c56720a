import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// A joinable POSIX thread for the event loops and the writer (blocking work stays off the cooperative pool).
package struct OSThread {
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
        return OSThread(handle: tid)
    }

    /// Lets the thread clean up after itself when it ends (nobody will join it).
    package func detach() { pthread_detach(handle) }

    /// Waits for the thread to finish.
    package func join() { pthread_join(handle, nil) }
}
