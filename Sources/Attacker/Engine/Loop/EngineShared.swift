import BarrageCore
import CLinux
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The transport the attack runs on, with the targets built as its requests: decided once, in `Attack.init`.
enum EngineSupply: Sendable {
    case native(TargetSupply<WireRequest>, TLSContext)
    case curl(TargetSupply<CurlRequest>, CurlShared)
}

/// What every loop shares: options, targets, the schedule and the stop flag. Read-only except the atomics.
final class EngineShared: Sendable {
    let options: AttackOptions
    let supply: EngineSupply
    let collector: ResultCollector
    /// Set by `stop()` (release) and read by the loops (acquire).
    let stopping = Atomic<Bool>(false)
    /// Sequence numbers for the closed loop (`-rate=0`), where hits are not pre-assigned to loops.
    let nextSeq = Atomic<UInt64>(0)
    /// Loops still running.
    let running = Atomic<Int>(0)
    /// Threads actually started.
    let loopCount: Int
    /// Hits sent, summed from the loops at the end (stats only).
    let sent = Atomic<UInt64>(0)
    /// Hits each loop has started (its own counter, stored by that loop only), for `Attack.hitsWithoutResult`.
    let hitsStarted: [HitCounter]
    /// Results the writer has written and flushed to the sink.
    let resultsWritten = Atomic<UInt64>(0)

    init(options: AttackOptions, supply: EngineSupply, loopCount: Int) {
        self.options = options
        self.supply = supply
        self.loopCount = loopCount
        collector = ResultCollector()
        hitsStarted = (0..<loopCount).map { _ in HitCounter() }
    }
}

/// One loop's count of hits started: written by that loop alone (a plain relaxed store, no shared cache line with
/// the other loops), read by whoever asks how many hits are still without a result.
final class HitCounter: Sendable {
    let value = Atomic<UInt64>(0)
}

/// When the attack started: a monotonic reading and the wall clock taken at the same moment.
struct AttackStart: Sendable {
    let mono: Int64
    let anchor: Timestamp

    static func now() -> AttackStart { AttackStart(mono: OSClock.monotonicNanoseconds(), anchor: Timestamp.now()) }
}
