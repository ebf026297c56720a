import CLinux
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Hands result batches from the loops to the single writer; the loops lock once per batch, not per result.
final class ResultCollector: Sendable {
    private let queue = Mutex<[Result]>([])
    /// Written after each push so the writer wakes.
    let wakeFD: Int32

    init() {
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
    }

    deinit { close(wakeFD) }

    /// Results queued and not yet taken by the writer.
    private let queued = Atomic<Int>(0)
    /// Past this many queued results a loop waits for the writer (a slow output would otherwise grow memory
    /// without bound; vegeta's workers block on its results channel the same way).
    static let queueLimit = 65_536

    /// True while the writer is far behind.
    var isBackedUp: Bool { queued.load(ordering: .relaxed) > ResultCollector.queueLimit }

    /// Moves `batch` into the queue (leaving `batch` empty with its capacity) and wakes the writer.
    func push(_ batch: inout [Result]) {
        queued.add(batch.count, ordering: .relaxed)
        queue.withLock { q in
            if q.isEmpty {
                swap(&q, &batch)
            } else {
                q.append(contentsOf: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        wake()
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Swaps the queued results into `into` (which must be empty).
    func take(into: inout [Result]) {
        queue.withLock { q in swap(&q, &into) }
        queued.subtract(into.count, ordering: .relaxed)
    }

    /// Blocks until a push or wake.
    func wait() {
        var v: UInt64 = 0
        while read(wakeFD, &v, 8) < 0 && errno == EINTR {}
    }
}
