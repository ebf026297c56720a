import BarrageCore
import CLinux
import CNghttp2
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// The native transport of one event-loop thread: non-blocking sockets on the loop's epoll set, TLS by OpenSSL
/// on the same loop, keep-alive pools per host, pre-serialized requests and a response parser working in the
/// receive buffer. Results are Go's (fields, header canonicalisation, error texts).
final class NativeTransport: EngineTransport {
    let core: LoopCore
    let options: AttackOptions
    let tls: TLSContext
    var slots: SlotPool<NativeSlot>
    var inFlight = 0
    var pools: [String: HostPool] = [:]
    var connections: [NativeConnection?] = []
    /// Hits by deadline; the timeout is the same for all, so start order is deadline order.
    var timeouts: [(deadline: Int64, slot: Int, generation: UInt32)] = []
    var timeoutsHead = 0
    let idlePerHost: Int
    let maxPerHost: Int
    let connectTo: [String: (host: String, port: UInt16)]
    let localAddress: [UInt8]?
    var now: Int64 = 0
    /// Go's text for the last TLS failure `tlsRead` met.
    var tlsFailure = ""
    /// h2 connections with frames to write before the loop waits.
    var h2Dirty: [NativeConnection] = []
    /// Reused for each stream's header list.
    var nvScratch: [nghttp2_nv] = []
    /// Every read lands here first; only a partial message is copied out to its connection.
    let receiveBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NativeTransport.receiveCapacity)
    static let receiveCapacity = 65536
    /// How long a failed host-name lookup is kept (ns).
    static let lookupFailureTTL: Int64 = 1_000_000_000

    init(core: LoopCore, tls: TLSContext, maxSlots: Int) {
        self.core = core
        self.tls = tls
        options = core.shared.options
        slots = SlotPool(cap: maxSlots)
        let loops = core.shared.loopCount
        let perLoop = { (v: Int) in max(1, (v + loops - 1) / loops) }
        idlePerHost = options.connections < 0 ? 0 : perLoop(options.connections)  // Go: below 0 keeps none
        maxPerHost = options.maxConnections > 0 ? perLoop(options.maxConnections) : 0
        connectTo = NativeTransport.parseConnectTo(options.connectTo)
        let laddr = options.localAddress
        localAddress = laddr.isEmpty || laddr == "0.0.0.0" ? nil : NativeTransport.socketAddress(laddr, port: 0)
        let initial = min(slots.cap, max(1, Int(clamping: options.workers) / loops))
        for _ in 0..<initial { slots.add(NativeSlot(index: slots.count)) }
    }

    deinit {
        for case let c? in connections where !c.closed { closeConnection(c, handOn: false) }
        receiveBuffer.deallocate()
    }

    // MARK: the transport interface

    func takeIdleSlot() -> Bool { slots.reserve() }

    func growSlot() -> Bool {
        guard slots.canGrow else { return false }
        slots.add(NativeSlot(index: slots.count))
        return slots.reserve()
    }

    func returnSlot() { slots.unreserve() }

    func send(seq: UInt64, target: WireRequest, now: Int64) {
        guard let slot = slots.claim() else { return }
        self.now = now
        slot.seq = seq
        slot.started = now
        slot.generation &+= 1
        slot.active = true
        slot.target = target
        slot.wire = target
        slot.redirects = 0
        slot.retried = false
        inFlight += 1
        if options.timeout > 0 {
            slot.deadline = now + options.timeout
            timeouts.append((slot.deadline, slot.index, slot.generation))
        }
        dispatch(slot)
    }

    func poll(wait callerWait: Int64, now before: Int64) -> Int64 {
        var wait = callerWait
        if timeoutsHead < timeouts.count {
            let t = max(0, timeouts[timeoutsHead].deadline - before)
            wait = wait < 0 ? t : min(wait, t)
        }
        flushDirty()
        let count = core.wait(wait)
        now = OSClock.monotonicNanoseconds()
        core.forEachEvent(count) { ev in
            let fd = Int(ev.data.u64)
            guard fd < connections.count, let conn = connections[fd] else { return }
            handle(conn, events: ev.events)
        }
        expireTimeouts()
        if timeoutsHead > 4096 && timeoutsHead * 2 > timeouts.count {
            timeouts.removeFirst(timeoutsHead)
            timeoutsHead = 0
        }
        return now
    }

    // MARK: connections

    /// The pool the last lookup found, for the request it was found for (most hits repeat it).
    private var lastPool: (wire: WireRequest, pool: HostPool)?

    func pool(for wire: WireRequest) -> HostPool {
        if let last = lastPool, last.wire === wire { return last.pool }
        let found = lookUpPool(wire)
        lastPool = (wire, found)
        return found
    }

    func lookUpPool(_ wire: WireRequest) -> HostPool {
        var host = wire.host
        var port = wire.port
        if !options.unixSocket.isEmpty {
            host = "unix"
            port = 0
        } else if let m = connectTo["\(host):\(port)"] ?? connectTo[":\(port)"] {
            if !m.host.isEmpty { host = m.host }
            if m.port != 0 { port = m.port }
        }
        // TLS connections are kept apart per name the certificate must show, as Go's pool keys on the URL.
        let key = wire.tls ? "\(host):\(port) tls \(wire.host)" : "\(host):\(port)"
        if let p = pools[key] { return p }
        let speaks: PoolProtocol =
            wire.tls ? (tls.offersH2 ? .unknown : .http1) : (options.h2c ? .http2 : .http1)
        let p = HostPool(host: host, port: port, serverName: wire.tls ? wire.host : nil, speaks: speaks)
        pools[key] = p
        return p
    }

    /// Sends the slot's request on an idle connection, a new one, or queues it behind `-max-connections`.
    func dispatch(_ slot: NativeSlot) {
        guard let target = slot.target else { return }
        guard let wire = slot.wire else {
            // Not reached: targets get their wire bytes whenever this transport runs.
            fail(slot, "\(target.errorOp) \"\(target.url)\": no request for the native transport")
            return
        }
        if !wire.problem.isEmpty {
            fail(slot, "\(target.errorOp) \"\(wire.target.url)\": \(wire.problem)")
            return
        }
        let hostPool = pool(for: wire)
        switch hostPool.speaks {
        case .http2:
            dispatchH2(slot, hostPool)
            return
        case .unknown where hostPool.pending > 0:
            hostPool.waiting.append((slot, slot.generation))  // the first handshake tells whether h2 is spoken
            return
        default: break
        }
        while let c = hostPool.idle.popLast() {
            if c.closed { continue }
            attach(c, slot)
            return
        }
        if (maxPerHost > 0 && hostPool.open >= maxPerHost) || !mayDial(hostPool) {
            hostPool.waiting.append((slot, slot.generation))
            return
        }
        openConnection(hostPool, for: slot)
    }

    func attach(_ c: NativeConnection, _ slot: NativeSlot) {
        c.slot = slot
        slot.conn = c
        c.resetResponse()
        buildRequest(slot, whole: c.tls != nil)
        if !c.connecting && !c.handshaking { writeRequest(c) }
    }

    /// The slot's request bytes: the head and the sequence number in `out`, then the request's shared tail,
    /// copied after them when `whole` (TLS encrypts one buffer per record) or sent from where it is.
    /// TLS handshakes under way per pool and loop at most: a hit beyond them waits for the first connection to
    /// come free. A handshake costs the server far more than a request, so a burst that opened one connection per
    /// hit would slow the server, make hits late and open more connections still.
    static let tlsDialsPerPool = 4

    /// Whether another connection may be opened for the pool now (always for plain TCP).
    @inline(__always)
    func mayDial(_ pool: HostPool) -> Bool {
        pool.serverName == nil || pool.pending < NativeTransport.tlsDialsPerPool
    }

    /// Writes `value`'s decimal digits at the start of `buffer` (20 bytes at least); returns how many.
    @inline(__always)
    static func decimal(_ value: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var n = 0
        var v = value
        repeat {
            n += 1
            v /= 10
        } while v > 0
        v = value
        for i in stride(from: n - 1, through: 0, by: -1) {
            buffer[i] = UInt8(truncatingIfNeeded: v % 10) + 0x30
            v /= 10
        }
        return n
    }

    func buildRequest(_ slot: NativeSlot, whole: Bool) {
        guard let wire = slot.wire else { return }
        slot.out.removeAll(keepingCapacity: true)
        slot.out.append(contentsOf: wire.head)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            let n = NativeTransport.decimal(slot.seq, into: d)
            slot.out.append(contentsOf: d[..<n])
        }
        // The tail (headers after the sequence number, and the body) is the request's own, shared by every slot.
        if whole { slot.out.append(contentsOf: wire.tail) }
        slot.outTotal = slot.out.count + (whole ? 0 : wire.tail.count)
        slot.outSent = 0
        slot.body.removeAll(keepingCapacity: true)
        slot.gzip.reset()
        slot.headerBytes.removeAll(keepingCapacity: true)
    }
}
