import BarrageCore
import CCurl
import CLinux
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What an event loop needs from a transport (libcurl or the native HTTP/1.1 one): free transfer slots, sending
/// a hit on one, and waiting for I/O. The pacing, sequence numbers and result hand-off live in `LoopDriver`,
/// shared by both.
///
/// A transport appends finished results to `core.batch`.
protocol EngineTransport: AnyObject {
    var core: LoopCore { get }
    /// Transfers started and not yet finished.
    var inFlight: Int { get }
    /// Reserves an idle slot for the next `send`; false when none is idle.
    func takeIdleSlot() -> Bool
    /// Adds a slot (when under the loop's cap) and reserves it.
    func growSlot() -> Bool
    /// Gives back the slot reserved by `takeIdleSlot`/`growSlot` without sending.
    func returnSlot()
    /// Starts hit `seq` to `target` on the reserved slot; `now` is its start time.
    func send(seq: UInt64, target: PreparedTarget, now: Int64)
    /// Waits up to `wait` ns (-1: no limit of the caller's), handles what is ready and finishes transfers.
    /// Returns the clock read that finished transfers got as their end time.
    func poll(wait: Int64, now: Int64) -> Int64
}

/// A transfer slot a transport keeps in a `SlotPool`.
protocol PooledSlot: AnyObject {
    /// Its place in the pool.
    var index: Int { get }
}

/// A transport's slots: created up front, grown up to a cap, handed out from a free list. One slot at a time is
/// reserved for the next `send`.
struct SlotPool<S: PooledSlot> {
    private(set) var all: [S] = []
    private var idle: [Int] = []
    private var reserved: S?
    let cap: Int

    init(cap: Int) { self.cap = max(1, cap) }

    var canGrow: Bool { all.count < cap }
    var count: Int { all.count }
    subscript(i: Int) -> S { all[i] }

    mutating func add(_ slot: S) {
        all.append(slot)
        idle.append(slot.index)
    }

    /// Reserves an idle slot; false when none is idle.
    mutating func reserve() -> Bool {
        guard let i = idle.popLast() else { return false }
        reserved = all[i]
        return true
    }

    /// The reserved slot, now taken for a send.
    mutating func claim() -> S? {
        defer { reserved = nil }
        return reserved
    }

    /// Gives the reserved slot back unused.
    mutating func unreserve() {
        if let slot = reserved { idle.append(slot.index) }
        reserved = nil
    }

    /// A finished slot becomes idle.
    mutating func free(_ slot: S) { idle.append(slot.index) }
}

/// The per-loop state every transport shares: identity, epoll set, wake descriptor, the result batch and the
/// caches that let results share header/body storage.
final class LoopCore {
    let id: Int
    let shared: EngineShared
    let start: AttackStart
    let epfd: Int32
    /// Written by `Attack.stop()` to end `epoll_wait` at once.
    let wakeFD: Int32
    let events: UnsafeMutablePointer<epoll_event>
    let eventCapacity: Int32 = 256
    var batch: [Result] = []
    /// Bytes of body to keep; negative keeps everything.
    let bodyLimit: Int
    /// Last header block and body seen, and their parsed forms: most responses repeat them, so results share
    /// the same storage instead of allocating it again.
    var lastHeaderBytes: [UInt8] = []
    var lastHeaders: (status: String, headers: [Header]) = ("", [])
    var lastGzipDecoded: Bool?
    var lastBody: [UInt8] = []

    static let wakeTag: UInt64 = 1 << 40

    init(id: Int, shared: EngineShared, start: AttackStart, wakeFD: Int32) {
        self.id = id
        self.shared = shared
        self.start = start
        self.wakeFD = wakeFD
        bodyLimit = shared.options.maxBody < 0 ? -1 : Int(clamping: shared.options.maxBody)
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(eventCapacity))
        batch.reserveCapacity(512)
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.u64 = LoopCore.wakeTag
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, &ev)
    }

    deinit {
        close(epfd)
        events.deallocate()
    }

    /// Waits up to `ns` nanoseconds (-1: until something happens) for events; returns how many arrived.
    @inline(__always)
    func wait(_ ns: Int64) -> Int {
        let timeoutMs: Int32 = ns < 0 ? -1 : Int32(clamping: (ns + 999_999) / 1_000_000)
        return max(0, Int(epoll_wait(epfd, events, eventCapacity, timeoutMs)))
    }

    /// Calls `body` for each of the `count` events `wait` got, except the wake-up (which it drains).
    @inline(__always)
    func forEachEvent(_ count: Int, _ body: (epoll_event) -> Void) {
        for i in 0..<count {
            let ev = events[i]
            if ev.data.u64 == LoopCore.wakeTag {
                var v: UInt64 = 0
                _ = read(wakeFD, &v, 8)
                continue
            }
            body(ev)
        }
    }

    /// A result for a hit on `target` started at `started` (monotonic ns) and ended at `end`.
    @inline(__always)
    func result(seq: UInt64, target: PreparedTarget, started: Int64, end: Int64) -> Result {
        var r = Result(
            attack: shared.options.name, seq: seq, timestamp: start.anchor.adding(nanoseconds: started - start.mono))
        r.latency = end - started
        r.method = target.method
        r.url = target.url
        return r
    }

    /// Fills a received response into `r`: code, body and its size, headers (parsed from the raw block, shared
    /// with the previous result when the bytes repeat), and the status line as error for < 200 or >= 400.
    @inline(__always)
    /// `gzipDecoded`: whether the body was gzip-decoded (Content-Encoding/Content-Length are then dropped); nil
    /// for libcurl, which decodes whenever a Content-Encoding value is gzip.
    func fillResponse(
        _ r: inout Result, status: Int, headerBlock: UnsafeRawBufferPointer, body: [UInt8], gzipDecoded: Bool? = nil
    ) {
        r.code = UInt16(truncatingIfNeeded: status)
        r.bytesIn = UInt64(body.count)
        if body != lastBody { lastBody = body }
        r.body = lastBody
        let same =
            headerBlock.count == lastHeaderBytes.count
            && lastHeaderBytes.withUnsafeBytes { last in
                guard let a = last.baseAddress, let b = headerBlock.baseAddress else { return true }
                return memcmp(a, b, headerBlock.count) == 0
            }
        if !same || gzipDecoded != lastGzipDecoded {
            lastHeaderBytes = Array(headerBlock)
            lastGzipDecoded = gzipDecoded
            lastHeaders = ResponseParsing.parse(lastHeaderBytes, gzipDecoded: gzipDecoded)
        }
        r.headers = lastHeaders.headers
        if status < 200 || status >= 400 { r.error = lastHeaders.status }
    }
}

/// The event loop's schedule: runs hits on a transport until the schedule ends (or stop) and every transfer
/// has finished.
///
/// Paced hits are split across loops by number (loop k sends hits k, k+N, k+2N, ...), so each loop follows the
/// absolute schedule on its own with no shared counter; the closed loop (`-rate=0`) draws sequence numbers from
/// one atomic.
struct LoopDriver<T: EngineTransport> {
    let transport: T
    var nextLocal: UInt64 = 0
    var sendingDone = false
    var sent: UInt64 = 0
    var grewThisRound = false
    var lastPush: Int64 = 0
    /// When this loop last sent a paced hit (ns since the start).
    var lastSendElapsed: Int64 = 0

    /// How late (ns) after the duration a loop may still send hits that were due within it.
    static var lateGrace: Int64 { 100_000_000 }

    init(_ transport: T) { self.transport = transport }

    mutating func run() {
        let core = transport.core
        let shared = core.shared
        let o = shared.options
        let n = UInt64(shared.loopCount)
        let pacer = o.pacer
        let closedLoop = pacer == .unlimited
        let startMono = core.start.mono
        if pacer == .stopped { sendingDone = true }
        var now = OSClock.monotonicNanoseconds()
        while true {
            let elapsed = now - startMono
            var nextDue: Int64 = -1
            if !sendingDone {
                if shared.stopping.load(ordering: .acquiring) {
                    sendingDone = true
                } else if closedLoop {
                    if o.duration > 0 && elapsed > o.duration {
                        sendingDone = true
                    } else {
                        while !sendingDone, freeSlot(paced: false) {
                            let seq = shared.nextSeq.wrappingAdd(1, ordering: .relaxed).oldValue
                            startHit(seq: seq, now: now)
                        }
                    }
                } else if o.duration > 0 && lastSendElapsed > o.duration + Self.lateGrace {
                    // vegeta checks the clock once per hit, after sending the previous one, so a late pacer stops
                    // at the duration. Several loops each follow their share of the schedule; one that stalls
                    // briefly near the end still sends the hits due within the duration, up to this grace.
                    sendingDone = true
                } else {
                    grewThisRound = false
                    while !sendingDone {
                        let hit = UInt64(core.id) &+ nextLocal &* n
                        guard let due = pacer.due(hit), o.duration <= 0 || due <= o.duration else {
                            sendingDone = true
                            break
                        }
                        if due > elapsed {
                            nextDue = due
                            break
                        }
                        guard freeSlot(paced: true) else { break }  // all busy: catch up when one frees
                        nextLocal &+= 1
                        startHit(seq: hit, now: now)
                        lastSendElapsed = elapsed
                        if o.duration > 0 && elapsed > o.duration + Self.lateGrace { sendingDone = true }
                    }
                }
            }
            if sendingDone && transport.inFlight == 0 { break }
            let wait: Int64 = nextDue >= 0 ? max(0, nextDue - elapsed) : -1
            let after = transport.poll(wait: wait, now: now)
            // Hand results over in batches: each hand-off costs a lock and a wake-up of the writer.
            if core.batch.count >= 256
                || (!core.batch.isEmpty && (after - lastPush >= 2_000_000 || transport.inFlight == 0))
            {
                shared.collector.push(&core.batch)
                lastPush = after
                // Backpressure: wait (bounded steps) while the writer is far behind.
                while shared.collector.isBackedUp && !shared.stopping.load(ordering: .relaxed) { usleep(1000) }
            }
            now = OSClock.monotonicNanoseconds()
        }
        if !core.batch.isEmpty { shared.collector.push(&core.batch) }
        _ = shared.sent.wrappingAdd(sent, ordering: .relaxed)
    }

    /// Reserves a slot. Paced mode grows by at most one transfer per loop round: a late loop would otherwise open
    /// a burst of new connections at once, which slows everything further (a connection storm). Late hits catch
    /// up as transfers finish, the schedule being absolute.
    @inline(__always)
    private mutating func freeSlot(paced: Bool) -> Bool {
        if transport.takeIdleSlot() { return true }
        guard !grewThisRound else { return false }
        if paced { grewThisRound = true }
        return transport.growSlot()
    }

    private func targetFor(_ seq: UInt64) -> (PreparedTarget?, String) {
        switch transport.core.shared.supply {
        case .eager(let list): return (list[Int(seq % UInt64(list.count))], "")
        case .lazy(let feed): return feed.next()
        }
    }

    private mutating func startHit(seq: UInt64, now: Int64) {
        let (target, problem) = targetFor(seq)
        guard let target else {
            // vegeta: a targeter error becomes this hit's result and stops the attack.
            transport.returnSlot()
            let core = transport.core
            var r = Result(
                attack: core.shared.options.name, seq: seq,
                timestamp: core.start.anchor.adding(nanoseconds: now - core.start.mono))
            r.latency = OSClock.monotonicNanoseconds() - now
            r.error = problem
            core.batch.append(r)
            core.shared.stopping.store(true, ordering: .releasing)
            sendingDone = true
            return
        }
        sent &+= 1
        transport.send(seq: seq, target: target, now: now)
    }
}
