import BarrageCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("OSClock")
struct OSClockTests {
    @Test("the monotonic clock never goes back, in nanoseconds and in seconds")
    func monotonic() {
        var last = OSClock.monotonicNanoseconds()
        var lastSeconds = OSClock.monotonicSeconds()
        for _ in 0..<10_000 {
            let now = OSClock.monotonicNanoseconds()
            let seconds = OSClock.monotonicSeconds()
            #expect(now >= last)
            #expect(seconds >= lastSeconds)
            last = now
            lastSeconds = seconds
        }
        #expect(last > 0)
    }

    @Test("the wall clock is Unix time with the nanoseconds of the second")
    func wall() {
        let before = Int64(time(nil))
        let now = OSClock.wall()
        let after = Int64(time(nil))
        // time(2) may read the coarse clock, a tick behind: allow one second either side.
        #expect(now.seconds >= before - 1 && now.seconds <= after + 1)
        #expect(now.nanoseconds >= 0 && now.nanoseconds < 1_000_000_000)
    }
}
