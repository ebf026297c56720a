import BarrageCore
import Synchronization
import Testing

@Suite("OSSemaphore", .timeLimit(.minutes(3)))
struct SemaphoreTests {
    @Test("a signal lets exactly one wait through")
    func countsSignals() {
        let semaphore = OSSemaphore()
        #expect(!semaphore.tryWait())
        semaphore.signal()
        semaphore.signal()
        #expect(semaphore.tryWait())
        semaphore.wait()
        #expect(!semaphore.tryWait())
    }

    @Test("an initial count is taken without blocking")
    func initialValue() {
        let semaphore = OSSemaphore(value: 2)
        #expect(semaphore.wait(timeoutNanoseconds: 0))
        #expect(semaphore.tryWait())
        #expect(!semaphore.tryWait())
    }

    @Test("a timed wait with nothing signalled runs out and takes nothing")
    func timedWaitRunsOut() {
        let semaphore = OSSemaphore()
        #expect(!semaphore.wait(timeoutNanoseconds: 1_000_000))
        #expect(!semaphore.wait(timeoutNanoseconds: -5))
        semaphore.signal()
        #expect(semaphore.wait(timeoutNanoseconds: 1_000_000))
    }

    @Test("a wait blocks until another thread signals, and sees what it wrote")
    func handsOverBetweenThreads() throws {
        let ready = OSSemaphore()
        let reply = OSSemaphore()
        let value = Mutex(0)
        let thread = try #require(
            OSThread.spawn(name: "barrage-test") {
                ready.wait()
                value.withLock { $0 = 42 }
                reply.signal()
            })
        ready.signal()
        // A timed wait with a generous limit: it returns as soon as the thread signals.
        #expect(reply.wait(timeoutNanoseconds: 30_000_000_000))
        #expect(value.withLock { $0 } == 42)
        thread.join()
    }

    @Test("many signals from many threads are all counted")
    func manyThreads() throws {
        let semaphore = OSSemaphore()
        var threads: [OSThread] = []
        for _ in 0..<4 {
            threads.append(
                try #require(
                    OSThread.spawn(name: "barrage-test") {
                        for _ in 0..<250 { semaphore.signal() }
                    }))
        }
        for _ in 0..<1000 { semaphore.wait() }
        for thread in threads { thread.join() }
        #expect(!semaphore.tryWait())
    }
}
