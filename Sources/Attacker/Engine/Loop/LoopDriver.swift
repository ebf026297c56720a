import BarrageCore
import CLinux
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The event loop's schedule: runs hits on a transport until the schedule ends (or stop) and every transfer
/// has finished.
///
/// Paced hits are split across loops by number (loop k sends hits k, k+N, k+2N, ...), so each loop follows the
/// absolute schedule on its own with no shared counter; the closed loop (`-rate=0`) draws sequence numbers from
/// one atomic. With `-shard`, those numbers count the shard's own hits and `Shard.hit` turns them into the global
/// hit numbers (schedule slot and seq).
struct LoopDriver<T: EngineTransport> {
    let transport: T
    /// Where the hits' requests come from.
    let supply: TargetSupply<T.Request>
    var nextLocal: UInt64 = 0
    var sendingDone = false
    var sent: UInt64 = 0
    /// Hits started, a failed target read included (each gets a result); published in `counter`.
    var started: UInt64 = 0
    let counter: HitCounter
    var grewThisRound = false
    var lastPush: Int64 = 0
    /// When this loop last sent a paced hit (ns since the start).
    var lastSendElapsed: Int64 = 0

    /// How late (ns) after the duration a loop may still send hits that were due within it.
    static var lateGrace: Int64 { 100_000_000 }

    init(_ transport: T, supply: TargetSupply<T.Request>) {
        self.transport = transport
        self.supply = supply
        counter = transport.core.shared.hitsStarted[transport.core.id]
    }

    mutating func run() {
        let core = transport.core
        let shared = core.shared
        let o = shared.options
        let loops = shared.loopCount
        let shard = o.shard
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
                    if elapsed < 0 {
                        nextDue = 0  // -start-at is still ahead
                    } else if o.duration > 0 && elapsed > o.duration {
                        sendingDone = true
                    } else {
                        while !sendingDone, freeSlot(paced: false) {
                            let seq = shard.hit(shared.nextSeq.wrappingAdd(1, ordering: .relaxed).oldValue)
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
                        let hit = shard.hit(loop: core.id, of: loops, round: nextLocal)
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

    private func targetFor(_ seq: UInt64) -> (T.Request?, String) {
        switch supply {
        case .eager(let list): return (list[Int(seq % UInt64(list.count))], "")
        case .lazy(let feed): return feed.next()
        }
    }

    private mutating func startHit(seq: UInt64, now: Int64) {
        started &+= 1
        counter.value.store(started, ordering: .relaxed)
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
