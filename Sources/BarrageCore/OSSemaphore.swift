#if canImport(Glibc)
    import Glibc
#endif

/// A counting semaphore with timed waits: the one blocking hand-off between OS threads.
///
/// `signal()` adds one; `wait()` blocks until the count is above zero and takes one. A one-shot event is a
/// semaphore signalled once (a thread that has started, a block that is decoded); a work queue is a `Mutex` over
/// the items plus a semaphore counting them. Timed waits use `CLOCK_MONOTONIC`, so a wall-clock jump neither
/// shortens nor stretches them.
///
/// Built on a pthread mutex and condition variable (`Synchronization.Mutex` has no condition). Waiting blocks the
/// OS thread: never wait on Swift's cooperative pool. No allocation after `init`.
package final class OSSemaphore: @unchecked Sendable {
    // @unchecked Sendable: `count` is read and written only with `mutex` held; the three pointers are set in `init`
    // and never change, and the pthread objects they point to never move.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private let count: UnsafeMutablePointer<Int>

    /// A semaphore whose count starts at `value` (0: the first `wait()` blocks until a `signal()`).
    package init(value: Int = 0) {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        count = .allocate(capacity: 1)
        count.initialize(to: max(0, value))
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
        count.deallocate()
    }

    /// Adds one to the count and wakes one waiter. Safe from any thread (not from a signal handler).
    package func signal() {
        pthread_mutex_lock(mutex)
        count.pointee += 1
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    /// Blocks until the count is above zero, then takes one.
    package func wait() {
        pthread_mutex_lock(mutex)
        while count.pointee == 0 { pthread_cond_wait(condition, mutex) }
        count.pointee -= 1
        pthread_mutex_unlock(mutex)
    }

    /// Takes one if the count is above zero, without blocking.
    ///
    /// - Returns: whether one was taken.
    package func tryWait() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard count.pointee > 0 else { return false }
        count.pointee -= 1
        return true
    }

    /// Blocks until the count is above zero (then takes one) or `nanoseconds` pass.
    ///
    /// - Parameter nanoseconds: the longest wait; 0 or less only checks.
    /// - Returns: whether one was taken (false: the time ran out first).
    package func wait(timeoutNanoseconds nanoseconds: Int64) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let total = Int64(deadline.tv_nsec) + max(0, nanoseconds) % 1_000_000_000
        deadline.tv_sec += Int(max(0, nanoseconds) / 1_000_000_000 + total / 1_000_000_000)
        deadline.tv_nsec = Int(total % 1_000_000_000)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count.pointee == 0 {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT {
                guard count.pointee > 0 else { return false }
            }
        }
        count.pointee -= 1
        return true
    }
}
