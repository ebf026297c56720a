import CCurl
import CZlib
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// One hit in flight on the native transport (reused for the next hit once finished).
final class NativeSlot: PooledSlot {
    let index: Int
    var seq: UInt64 = 0
    var started: Int64 = 0
    var deadline: Int64 = 0
    /// Bumped per hit, so stale timeout entries and queue places are recognised.
    var generation: UInt32 = 0
    var active = false
    var target: PreparedTarget?
    /// The request being sent: the target's, or a redirect's.
    var wire: WireRequest?
    var redirects = 0
    /// A request that failed on a reused connection before any answer is sent again once, on a new one.
    var retried = false
    var out: [UInt8] = []
    var outSent = 0
    var conn: NativeConnection?
    var body: [UInt8] = []
    /// Compressed bytes of a gzip response, decoded when complete.
    var compressed: [UInt8] = []
    var headerBytes: [UInt8] = []

    init(index: Int) {
        self.index = index
        out.reserveCapacity(256)
        headerBytes.reserveCapacity(256)
    }
}

/// How a response body ends.
enum BodyFraming {
    case none
    case length(Int)
    case chunked
    case close
}

/// Where the chunked decoder is.
enum ChunkPhase {
    case size
    case data
    case dataEnd
    case trailer
}

/// One TCP (or unix) connection with its receive buffer and response parser state.
final class NativeConnection {
    let fd: Int32
    let pool: HostPool
    var slot: NativeSlot?
    var connecting = true
    var wantsOutput = true
    /// Whether a response was completed on it (a failure before any answer is then retried).
    var reused = false
    var closed = false
    /// The bytes being parsed: the loop's shared receive buffer, or the connection's own memory while a partial
    /// message (a header block or chunk line cut by the read) waits for the rest.
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var own: UnsafeMutablePointer<UInt8>?
    var ownCapacity = 0
    var start = 0
    var end = 0
    // Response state.
    var inBody = false
    var gotBytes = false
    var status = 0
    var framing = BodyFraming.none
    var remaining = 0
    var chunkPhase = ChunkPhase.size
    var gzip = false
    var closeAfter = false
    var location = ""
    /// Which of the pool's addresses this connection dialled, and that address.
    var attempt = 0
    var remote: [UInt8] = []

    init(fd: Int32, pool: HostPool, buffer: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.fd = fd
        self.pool = pool
        self.buffer = buffer
        self.capacity = capacity
    }

    deinit { own?.deallocate() }

    func resetResponse() {
        inBody = false
        gotBytes = false
        status = 0
        framing = .none
        remaining = 0
        chunkPhase = .size
        gzip = false
        closeAfter = false
        location = ""
    }
}

/// Connections to one host:port (after `-connect-to`), with its resolved addresses.
final class HostPool {
    let host: String
    let port: UInt16
    /// Socket addresses to try in order (IPv4 first).
    var addresses: [[UInt8]] = []
    var resolvedAt: Int64 = -1
    var idle: [NativeConnection] = []
    var open = 0
    var waiting: [(slot: NativeSlot, generation: UInt32)] = []
    var waitingHead = 0

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }
}

/// The native plain-HTTP/1.1 transport of one event-loop thread: non-blocking sockets on the loop's epoll set,
/// keep-alive pools per host, pre-serialized requests and a response parser working in the receive buffer.
/// Results are the same as libcurl's (fields, header canonicalisation, Go-like error texts).
final class NativeTransport: EngineTransport {
    let core: LoopCore
    let options: AttackOptions
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
    /// Every read lands here first; only a partial message is copied out to its connection.
    let receiveBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: NativeTransport.receiveCapacity)
    static let receiveCapacity = 65536

    init(core: LoopCore, maxSlots: Int) {
        self.core = core
        options = core.shared.options
        slots = SlotPool(cap: maxSlots)
        let loops = core.shared.loopCount
        let perLoop = { (v: Int) in max(1, (v + loops - 1) / loops) }
        idlePerHost = perLoop(options.connections)
        maxPerHost = options.maxConnections > 0 ? perLoop(options.maxConnections) : 0
        connectTo = NativeTransport.parseConnectTo(options.connectTo)
        let laddr = options.localAddress
        localAddress = laddr.isEmpty || laddr == "0.0.0.0" ? nil : NativeTransport.socketAddress(laddr, port: 0)
        let initial = min(slots.cap, max(1, Int(clamping: options.workers) / loops))
        for _ in 0..<initial { slots.add(NativeSlot(index: slots.count)) }
    }

    deinit {
        for case let c? in connections where !c.closed { close(c.fd) }
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

    func send(seq: UInt64, target: PreparedTarget, now: Int64) {
        guard let slot = slots.claim() else { return }
        self.now = now
        slot.seq = seq
        slot.started = now
        slot.generation &+= 1
        slot.active = true
        slot.target = target
        slot.wire = target.wire
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
        let count = core.wait(wait)
        now = monotonicNow()
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

    private func pool(for wire: WireRequest) -> HostPool {
        if let last = lastPool, last.wire === wire { return last.pool }
        let found = lookUpPool(wire)
        lastPool = (wire, found)
        return found
    }

    private func lookUpPool(_ wire: WireRequest) -> HostPool {
        var host = wire.host
        var port = wire.port
        if !options.unixSocket.isEmpty {
            host = "unix"
            port = 0
        } else if let m = connectTo["\(host):\(port)"] ?? connectTo[":\(port)"] {
            if !m.host.isEmpty { host = m.host }
            if m.port != 0 { port = m.port }
        }
        let key = "\(host):\(port)"
        if let p = pools[key] { return p }
        let p = HostPool(host: host, port: port)
        pools[key] = p
        return p
    }

    /// Sends the slot's request on an idle connection, a new one, or queues it behind `-max-connections`.
    private func dispatch(_ slot: NativeSlot) {
        guard let wire = slot.wire, let target = slot.target else { return }
        if !wire.problem.isEmpty {
            fail(slot, "\(target.errorOp) \"\(wire.target.url)\": \(wire.problem)")
            return
        }
        let hostPool = pool(for: wire)
        while let c = hostPool.idle.popLast() {
            if c.closed { continue }
            attach(c, slot)
            return
        }
        if maxPerHost > 0 && hostPool.open >= maxPerHost {
            hostPool.waiting.append((slot, slot.generation))
            return
        }
        openConnection(hostPool, for: slot)
    }

    private func attach(_ c: NativeConnection, _ slot: NativeSlot) {
        c.slot = slot
        slot.conn = c
        c.resetResponse()
        buildRequest(slot)
        if !c.connecting { writeRequest(c) }
    }

    private func buildRequest(_ slot: NativeSlot) {
        guard let wire = slot.wire else { return }
        slot.out.removeAll(keepingCapacity: true)
        slot.out.append(contentsOf: wire.head)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            var n = 0
            var v = slot.seq
            repeat {
                d[n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
            while n > 0 {
                n -= 1
                slot.out.append(d[n])
            }
        }
        slot.out.append(contentsOf: wire.tail)
        slot.outSent = 0
        slot.body.removeAll(keepingCapacity: true)
        slot.compressed.removeAll(keepingCapacity: true)
        slot.headerBytes.removeAll(keepingCapacity: true)
    }

    /// Opens a connection for `slot` to the pool's address number `attempt` (the next is tried when one fails).
    private func openConnection(_ pool: HostPool, for slot: NativeSlot, attempt: Int = 0) {
        guard let target = slot.target, let wire = slot.wire else { return }
        let prefix = "\(target.errorOp) \"\(wire.target.url)\": "
        var addr: [UInt8]
        let unix = !options.unixSocket.isEmpty
        if unix {
            addr = NativeTransport.unixAddress(options.unixSocket)
        } else {
            let ttl = options.dnsTTL
            if attempt == 0 && (pool.resolvedAt < 0 || ttl < 0 || (ttl > 0 && now - pool.resolvedAt > ttl)) {
                pool.addresses = NativeTransport.resolve(pool.host, port: pool.port)
                pool.resolvedAt = pool.addresses.isEmpty ? -1 : now
            }
            guard attempt < pool.addresses.count else {
                fail(slot, prefix + "dial tcp: lookup \(pool.host): no such host")
                return
            }
            addr = pool.addresses[attempt]
        }
        let family = addr.withUnsafeBytes { $0.load(as: sa_family_t.self) }
        let fd = socket(
            Int32(family),
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            fail(slot, prefix + "dial tcp: socket: " + errnoText(errno))
            return
        }
        if !unix {
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let remote = unix ? options.unixSocket : NativeTransport.describe(addr)
        let local = (options.localAddress.contains(":") ? "[\(options.localAddress)]" : options.localAddress) + ":0"
        let dial = unix ? "dial unix \(remote)" : "dial tcp \(local)->\(remote)"
        if let laddr = localAddress, !unix {
            let rc = laddr.withUnsafeBytes { raw in
                bind(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
            if rc != 0 {
                let e = errno
                close(fd)
                fail(slot, prefix + "\(dial): bind: " + errnoText(e))
                return
            }
        }
        let rc = addr.withUnsafeBytes { raw in
            connect(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if rc != 0 && errno != EINPROGRESS {
            let e = errno
            close(fd)
            if !unix && attempt + 1 < pool.addresses.count {
                openConnection(pool, for: slot, attempt: attempt + 1)
            } else {
                fail(slot, prefix + "\(dial): connect: " + errnoText(e))
            }
            return
        }
        let c = NativeConnection(
            fd: fd, pool: pool, buffer: receiveBuffer, capacity: NativeTransport.receiveCapacity)
        c.attempt = attempt
        c.remote = addr
        pool.open += 1
        if Int(fd) >= connections.count {
            connections += [NativeConnection?](repeating: nil, count: max(1024, Int(fd) + 1 - connections.count))
        }
        connections[Int(fd)] = c
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | EPOLLOUT.rawValue
        ev.data.u64 = UInt64(fd)
        _ = epoll_ctl(core.epfd, EPOLL_CTL_ADD, fd, &ev)
        attach(c, slot)
    }

    private func setOutputInterest(_ c: NativeConnection, _ on: Bool) {
        guard c.wantsOutput != on else { return }
        c.wantsOutput = on
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | (on ? EPOLLOUT.rawValue : 0)
        ev.data.u64 = UInt64(c.fd)
        _ = epoll_ctl(core.epfd, EPOLL_CTL_MOD, c.fd, &ev)
    }

    private func closeConnection(_ c: NativeConnection) {
        guard !c.closed else { return }
        c.closed = true
        close(c.fd)
        if Int(c.fd) < connections.count { connections[Int(c.fd)] = nil }
        c.pool.open -= 1
        c.slot = nil
        // A hit queued behind -max-connections gets the freed place.
        if let next = nextWaiting(c.pool) { openConnection(c.pool, for: next) }
    }

    private func nextWaiting(_ pool: HostPool) -> NativeSlot? {
        while pool.waitingHead < pool.waiting.count {
            let w = pool.waiting[pool.waitingHead]
            pool.waitingHead += 1
            if pool.waitingHead == pool.waiting.count {
                pool.waiting.removeAll(keepingCapacity: true)
                pool.waitingHead = 0
            } else if pool.waitingHead > 4096 && pool.waitingHead * 2 > pool.waiting.count {
                pool.waiting.removeFirst(pool.waitingHead)
                pool.waitingHead = 0
            }
            if w.slot.active && w.slot.generation == w.generation && w.slot.conn == nil { return w.slot }
        }
        return nil
    }

    /// A connection whose response is complete: to the next queued hit, the idle list, or closed.
    private func release(_ c: NativeConnection) {
        c.slot = nil
        c.reused = true
        if c.closeAfter || !options.keepAlive || c.end != c.start {
            closeConnection(c)
            return
        }
        c.start = 0
        c.end = 0
        if let next = nextWaiting(c.pool) {
            attach(c, next)
            return
        }
        if c.pool.idle.count >= idlePerHost {
            closeConnection(c)
            return
        }
        c.pool.idle.append(c)
    }

    // MARK: I/O

    private func handle(_ c: NativeConnection, events: UInt32) {
        if c.connecting {
            guard events & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 else { return }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err != 0 {
                connectFailed(c, err)
                return
            }
            c.connecting = false
            setOutputInterest(c, false)
            if c.slot != nil { writeRequest(c) }
            return
        }
        guard let slot = c.slot else {
            // Idle: the server closed it (or sent something unasked for).
            c.pool.idle.removeAll { $0 === c }
            closeConnection(c)
            return
        }
        if events & EPOLLOUT.rawValue != 0 && slot.outSent < slot.out.count {
            writeRequest(c)
            if c.slot !== slot || c.closed { return }
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readResponse(c, slot) }
    }

    private func connectFailed(_ c: NativeConnection, _ err: Int32) {
        guard let slot = c.slot, let target = slot.target, let wire = slot.wire else {
            closeConnection(c)
            return
        }
        let unix = !options.unixSocket.isEmpty
        if !unix && c.attempt + 1 < c.pool.addresses.count {
            // The next address of the host name (IPv6 after IPv4, say).
            slot.conn = nil
            closeConnection(c)
            openConnection(c.pool, for: slot, attempt: c.attempt + 1)
            return
        }
        var remote = unix ? options.unixSocket : NativeTransport.describe(c.remote)
        if remote.isEmpty { remote = "\(c.pool.host):\(c.pool.port)" }
        let local = (options.localAddress.contains(":") ? "[\(options.localAddress)]" : options.localAddress) + ":0"
        let dial = unix ? "dial unix \(remote)" : "dial tcp \(local)->\(remote)"
        slot.conn = nil
        closeConnection(c)
        fail(slot, "\(target.errorOp) \"\(wire.target.url)\": \(dial): connect: " + errnoText(err))
    }

    private func writeRequest(_ c: NativeConnection) {
        guard let slot = c.slot else { return }
        while slot.outSent < slot.out.count {
            let n = slot.out.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(c.fd, base + slot.outSent, raw.count - slot.outSent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                slot.outSent += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setOutputInterest(c, true)
                return
            }
            transportError(c, slot, op: "write", errno: n < 0 ? errno : EPIPE)
            return
        }
        setOutputInterest(c, false)
    }

    private func readResponse(_ c: NativeConnection, _ slot: NativeSlot) {
        if c.start == c.end {
            // Nothing pending: read into the loop's buffer (connections keep no receive memory of their own).
            c.buffer = receiveBuffer
            c.capacity = NativeTransport.receiveCapacity
            c.start = 0
            c.end = 0
        } else if c.end == c.capacity {
            if c.start > 0 {
                memmove(c.buffer, c.buffer + c.start, c.end - c.start)
                c.end -= c.start
                c.start = 0
            } else {
                grow(c)
            }
        }
        let n = recv(c.fd, c.buffer + c.end, c.capacity - c.end, 0)
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            transportError(c, slot, op: "read", errno: errno)
            return
        }
        if n == 0 {
            endOfStream(c, slot)
            return
        }
        c.end += n
        c.gotBytes = true
        parse(c, slot)
        if !c.closed && c.start < c.end && c.buffer == receiveBuffer { keepPartial(c) }
    }

    /// Moves the unparsed rest of a read from the shared buffer into the connection's own memory.
    private func keepPartial(_ c: NativeConnection) {
        let n = c.end - c.start
        if c.own == nil || c.ownCapacity < n {
            c.own?.deallocate()
            c.ownCapacity = max(4096, n * 2)
            c.own = UnsafeMutablePointer<UInt8>.allocate(capacity: c.ownCapacity)
        }
        guard let own = c.own else { return }
        own.update(from: c.buffer + c.start, count: n)
        c.buffer = own
        c.capacity = c.ownCapacity
        c.start = 0
        c.end = n
    }

    /// Doubles the buffer of a message longer than it (a huge header block).
    private func grow(_ c: NativeConnection) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c.capacity * 2)
        bigger.update(from: c.buffer + c.start, count: c.end - c.start)
        if c.buffer == c.own { c.own?.deallocate() }
        c.own = bigger
        c.ownCapacity = c.capacity * 2
        c.buffer = bigger
        c.end -= c.start
        c.start = 0
        c.capacity = c.ownCapacity
    }

    /// Runs the parser over what the buffer holds; completes the response when its end is in.
    private func parse(_ c: NativeConnection, _ slot: NativeSlot) {
        if !c.inBody {
            while true {
                guard let headerEnd = findHeaderEnd(c) else {
                    if c.end - c.start > 1 << 20 { protocolError(c, slot, "malformed HTTP response") }
                    return
                }
                guard readHead(c, slot, headerEnd) else { return }
                if c.status >= 100 && c.status < 200 && c.status != 101 {
                    c.start = headerEnd  // 1xx: the final response follows
                    continue
                }
                slot.headerBytes.append(
                    contentsOf: UnsafeBufferPointer(start: c.buffer + c.start, count: headerEnd - c.start))
                c.start = headerEnd
                c.inBody = true
                break
            }
        }
        var complete = false
        switch c.framing {
        case .none:
            complete = true
        case .length:
            let take = min(c.remaining, c.end - c.start)
            keep(slot, c, take)
            c.remaining -= take
            complete = c.remaining == 0
        case .close:
            keep(slot, c, c.end - c.start)
        case .chunked:
            complete = parseChunks(c, slot)
        }
        if c.start == c.end {
            c.start = 0
            c.end = 0
        }
        if complete { responseDone(c, slot) }
    }

    @inline(__always)
    private func keep(_ slot: NativeSlot, _ c: NativeConnection, _ count: Int) {
        guard count > 0 else { return }
        if c.gzip {
            slot.compressed.append(contentsOf: UnsafeBufferPointer(start: c.buffer + c.start, count: count))
        } else {
            var k = count
            if core.bodyLimit >= 0 { k = max(0, min(count, core.bodyLimit - slot.body.count)) }
            if k > 0 { slot.body.append(contentsOf: UnsafeBufferPointer(start: c.buffer + c.start, count: k)) }
        }
        c.start += count
    }

    private func parseChunks(_ c: NativeConnection, _ slot: NativeSlot) -> Bool {
        while true {
            switch c.chunkPhase {
            case .data:
                let take = min(c.remaining, c.end - c.start)
                keep(slot, c, take)
                c.remaining -= take
                if c.remaining > 0 { return false }
                c.chunkPhase = .dataEnd
            case .size, .dataEnd, .trailer:
                guard let lf = findByte(c, 0x0a) else {
                    if c.end - c.start > 4096 { protocolError(c, slot, "malformed chunked encoding") }
                    return false
                }
                let lineStart = c.start
                var lineEnd = lf
                if lineEnd > lineStart && c.buffer[lineEnd - 1] == 0x0d { lineEnd -= 1 }
                c.start = lf + 1
                switch c.chunkPhase {
                case .dataEnd:
                    c.chunkPhase = .size
                case .trailer:
                    if lineEnd == lineStart { return true }
                default:
                    var size = 0
                    var digits = 0
                    var i = lineStart
                    while i < lineEnd {
                        let b = c.buffer[i]
                        let v: Int
                        switch b {
                        case 0x30...0x39: v = Int(b - 0x30)
                        case 0x61...0x66: v = Int(b - 0x61 + 10)
                        case 0x41...0x46: v = Int(b - 0x41 + 10)
                        default: v = -1
                        }
                        if v < 0 { break }
                        size = size &* 16 &+ v
                        digits += 1
                        i += 1
                    }
                    guard digits > 0, digits <= 15 else {
                        protocolError(c, slot, "malformed chunked encoding")
                        return false
                    }
                    if size == 0 {
                        c.chunkPhase = .trailer
                    } else {
                        c.remaining = size
                        c.chunkPhase = .data
                    }
                }
            }
        }
    }

    @inline(__always)
    private func findByte(_ c: NativeConnection, _ byte: UInt8) -> Int? {
        guard c.end > c.start, let p = memchr(c.buffer + c.start, Int32(byte), c.end - c.start) else { return nil }
        return UnsafeMutableRawPointer(mutating: p) - UnsafeMutableRawPointer(c.buffer)
    }

    /// The index just past the blank line ending the header block, if it is in.
    private func findHeaderEnd(_ c: NativeConnection) -> Int? {
        var i = c.start
        let b = c.buffer
        while i < c.end {
            guard let p = memchr(b + i, 0x0a, c.end - i) else { return nil }
            let lf = UnsafeMutableRawPointer(mutating: p) - UnsafeMutableRawPointer(b)
            if lf + 1 < c.end && b[lf + 1] == 0x0a { return lf + 2 }
            if lf + 2 < c.end && b[lf + 1] == 0x0d && b[lf + 2] == 0x0a { return lf + 3 }
            i = lf + 1
        }
        return nil
    }

    /// Reads the status line and the headers that decide framing and reuse.
    private func readHead(_ c: NativeConnection, _ slot: NativeSlot, _ headerEnd: Int) -> Bool {
        let b = c.buffer
        var i = c.start
        // "HTTP/1.x NNN"
        guard headerEnd - i >= 12, b[i] == 0x48, b[i + 1] == 0x54, b[i + 2] == 0x54, b[i + 3] == 0x50,
            b[i + 4] == 0x2f, b[i + 8] == 0x20
        else {
            protocolError(c, slot, "malformed HTTP response")
            return false
        }
        let http10 = b[i + 5] == 0x31 && b[i + 7] == 0x30
        var status = 0
        for k in 9..<12 {
            let d = b[i + k]
            guard d >= 0x30 && d <= 0x39 else {
                protocolError(c, slot, "malformed HTTP status code")
                return false
            }
            status = status * 10 + Int(d - 0x30)
        }
        c.status = status
        var length = -1
        var chunked = false
        var keepAliveToken = false
        c.closeAfter = false
        c.gzip = false
        c.location = ""
        // Header lines.
        while let p = memchr(b + i, 0x0a, headerEnd - i) {
            i = (UnsafeMutableRawPointer(mutating: p) - UnsafeMutableRawPointer(b)) + 1
            let lineStart = i
            guard let q = memchr(b + i, 0x0a, headerEnd - i) else { break }
            var lineEnd = UnsafeMutableRawPointer(mutating: q) - UnsafeMutableRawPointer(b)
            if lineEnd > lineStart && b[lineEnd - 1] == 0x0d { lineEnd -= 1 }
            guard lineEnd > lineStart, let colonP = memchr(b + lineStart, 0x3a, lineEnd - lineStart) else { continue }
            let colon = UnsafeMutableRawPointer(mutating: colonP) - UnsafeMutableRawPointer(b)
            var vs = colon + 1
            var ve = lineEnd
            while vs < ve && (b[vs] == 0x20 || b[vs] == 0x09) { vs += 1 }
            while ve > vs && (b[ve - 1] == 0x20 || b[ve - 1] == 0x09) { ve -= 1 }
            let nameLength = colon - lineStart
            switch nameLength {
            case 14 where matches(b + lineStart, "content-length"):
                var v = 0
                var ok = ve > vs
                for k in vs..<ve {
                    let d = b[k]
                    if d < 0x30 || d > 0x39 || v > Int.max / 20 {
                        ok = false
                        break
                    }
                    v = v * 10 + Int(d - 0x30)
                }
                if !ok {
                    protocolError(c, slot, "bad Content-Length")
                    return false
                }
                length = v
            case 17 where matches(b + lineStart, "transfer-encoding"):
                chunked = contains(b + vs, ve - vs, "chunked")
            case 10 where matches(b + lineStart, "connection"):
                if contains(b + vs, ve - vs, "close") { c.closeAfter = true }
                if contains(b + vs, ve - vs, "keep-alive") { keepAliveToken = true }
            case 16 where matches(b + lineStart, "content-encoding"):
                c.gzip = contains(b + vs, ve - vs, "gzip")
            case 8 where matches(b + lineStart, "location"):
                c.location = String(decoding: UnsafeBufferPointer(start: b + vs, count: ve - vs), as: UTF8.self)
            default: break
            }
        }
        if http10 && !keepAliveToken { c.closeAfter = true }
        let isHead = slot.wire?.isHead ?? false
        if isHead || status == 204 || status == 304 || (status >= 100 && status < 200) {
            c.framing = .none
        } else if chunked {
            c.framing = .chunked
            c.chunkPhase = .size
        } else if length >= 0 {
            c.framing = length == 0 ? .none : .length(length)
            c.remaining = length
        } else {
            c.framing = .close
            c.closeAfter = true
        }
        return true
    }

    /// Case-insensitive compare of `count(lower)` bytes at `p` with the lower-case ASCII `lower`.
    @inline(__always)
    private func matches(_ p: UnsafeMutablePointer<UInt8>, _ lower: StaticString) -> Bool {
        let s = lower.utf8Start
        for k in 0..<lower.utf8CodeUnitCount where p[k] | 0x20 != s[k] && p[k] != s[k] { return false }
        return true
    }

    /// Whether the `count` bytes at `p` contain `token` (lower case), ignoring case.
    private func contains(_ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ token: StaticString) -> Bool {
        let n = token.utf8CodeUnitCount
        guard count >= n else { return false }
        for start in 0...(count - n) where matches(p + start, token) { return true }
        return false
    }

    private func endOfStream(_ c: NativeConnection, _ slot: NativeSlot) {
        if c.inBody {
            if case .close = c.framing {
                responseDone(c, slot)
                return
            }
            transportFailure(c, slot, "unexpected EOF", retry: false)
            return
        }
        transportFailure(c, slot, c.gotBytes ? "unexpected EOF" : "EOF", retry: !c.gotBytes && c.reused)
    }

    private func transportError(_ c: NativeConnection, _ slot: NativeSlot, op: String, errno e: Int32) {
        let text = "\(op) tcp \(endpoints(c)): \(op): " + errnoText(e)
        transportFailure(c, slot, text, retry: !c.gotBytes && c.reused)
    }

    private func protocolError(_ c: NativeConnection, _ slot: NativeSlot, _ text: String) {
        c.closeAfter = true
        transportFailure(c, slot, text, retry: false)
    }

    /// `L->R` of a TCP connection, as Go prints them in read/write errors.
    private func endpoints(_ c: NativeConnection) -> String {
        var local = sockaddr_storage()
        var remote = sockaddr_storage()
        var ll = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var rl = ll
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(c.fd, $0, &ll) }
        }
        _ = withUnsafeMutablePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(c.fd, $0, &rl) }
        }
        let l = withUnsafeBytes(of: &local) { NativeTransport.describe(Array($0.prefix(Int(ll)))) }
        let r = withUnsafeBytes(of: &remote) { NativeTransport.describe(Array($0.prefix(Int(rl)))) }
        return "\(l)->\(r.isEmpty ? NativeTransport.describe(c.remote) : r)"
    }

    /// A failed exchange: retried once on a new connection when a reused one died before answering, else the
    /// hit's error (prefixed with `Method "url": ` while no response had arrived, as Go).
    private func transportFailure(_ c: NativeConnection, _ slot: NativeSlot, _ text: String, retry: Bool) {
        let gotResponse = c.inBody
        slot.conn = nil
        c.slot = nil
        closeConnection(c)
        if retry && !slot.retried {
            slot.retried = true
            guard let wire = slot.wire else { return }
            let hostPool = pool(for: wire)
            if maxPerHost > 0 && hostPool.open >= maxPerHost {
                hostPool.waiting.append((slot, slot.generation))
            } else {
                openConnection(hostPool, for: slot)
            }
            return
        }
        guard let target = slot.target else { return }
        if gotResponse {
            var r = core.result(seq: slot.seq, target: target, started: slot.started, end: now)
            r.error = text
            if !slot.body.isEmpty { r.body = slot.body }
            finishSlot(slot, r)
        } else {
            fail(slot, "\(target.errorOp) \"\(slot.wire?.target.url ?? target.url)\": \(text)")
        }
    }

    private func fail(_ slot: NativeSlot, _ text: String) {
        guard let target = slot.target else { return }
        var r = core.result(seq: slot.seq, target: target, started: slot.started, end: now)
        r.error = text
        if let c = slot.conn {
            slot.conn = nil
            c.slot = nil
            closeConnection(c)
        }
        finishSlot(slot, r)
    }

    private func finishSlot(_ slot: NativeSlot, _ r: Result) {
        core.batch.append(r)
        slot.active = false
        slot.target = nil
        slot.wire = nil
        inFlight -= 1
        slots.free(slot)
    }

    private func responseDone(_ c: NativeConnection, _ slot: NativeSlot) {
        guard let target = slot.target, let wire = slot.wire else { return }
        let status = c.status
        // An answer before the whole request went out (a 413, say): the connection cannot carry another.
        if slot.outSent < slot.out.count { c.closeAfter = true }
        if options.redirects >= 0 && !c.location.isEmpty
            && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        {
            let next = WireURL.resolve(c.location, against: wire.target.url)
            slot.conn = nil
            release(c)
            if slot.redirects >= options.redirects {
                fail(slot, "\(target.errorOp) \"\(next)\": stopped after \(slot.redirects) redirects")
                return
            }
            slot.redirects += 1
            let asGet = status != 307 && status != 308 && wire.method != "GET" && wire.method != "HEAD"
            slot.wire = wire.redirected(to: next, asGet: asGet)
            dispatch(slot)
            return
        }
        var r = core.result(seq: slot.seq, target: target, started: slot.started, end: now)
        if c.gzip { decodeGzip(slot) }
        r.bytesOut = UInt64(target.bodyCount)
        slot.headerBytes.withUnsafeBytes { raw in
            core.fillResponse(&r, status: status, headerBlock: raw, body: slot.body)
        }
        slot.conn = nil
        release(c)
        finishSlot(slot, r)
    }

    /// Inflates the gzip body into `slot.body`, up to the body limit (a bad stream keeps what decoded).
    private func decodeGzip(_ slot: NativeSlot) {
        slot.body.removeAll(keepingCapacity: true)
        guard !slot.compressed.isEmpty else { return }
        // zlib keeps a pointer back to the stream, so it lives on the heap.
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        z.initialize(to: z_stream())
        defer { z.deallocate() }
        guard czlib_inflate_init_gzip(z) == Z_OK else { return }
        defer { inflateEnd(z) }
        var chunk = [UInt8](repeating: 0, count: 16384)
        let limit = core.bodyLimit
        slot.compressed.withUnsafeMutableBytes { input in
            z.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
            z.pointee.avail_in = uInt(input.count)
            while true {
                let rc = chunk.withUnsafeMutableBytes { out -> Int32 in
                    z.pointee.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    z.pointee.avail_out = uInt(out.count)
                    return inflate(z, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(z.pointee.avail_out)
                var k = produced
                if limit >= 0 { k = max(0, min(produced, limit - slot.body.count)) }
                if k > 0 { slot.body.append(contentsOf: chunk[0..<k]) }
                if rc == Z_STREAM_END && z.pointee.avail_in > 0 {
                    // Concatenated members.
                    if inflateReset(z) != Z_OK { break }
                    continue
                }
                if rc != Z_OK || (limit >= 0 && slot.body.count >= limit) { break }
                if z.pointee.avail_in == 0 && produced == 0 { break }
            }
        }
    }

    private func expireTimeouts() {
        while timeoutsHead < timeouts.count {
            // Finished hits leave their entries behind; popping them as they reach the head keeps the queue about
            // as long as the hits in flight (not rate x timeout).
            let t = timeouts[timeoutsHead]
            let slot = slots[t.slot]
            let live = slot.active && slot.generation == t.generation
            if live && t.deadline > now { break }
            timeoutsHead += 1
            guard live, let target = slot.target else { continue }
            let inBody = slot.conn?.inBody ?? false
            if inBody {
                var r = core.result(seq: slot.seq, target: target, started: slot.started, end: now)
                r.error = "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
                if !slot.body.isEmpty { r.body = slot.body }
                if let c = slot.conn {
                    slot.conn = nil
                    c.slot = nil
                    closeConnection(c)
                }
                finishSlot(slot, r)
            } else {
                fail(
                    slot,
                    "\(target.errorOp) \"\(slot.wire?.target.url ?? target.url)\": context deadline exceeded "
                        + "(Client.Timeout exceeded while awaiting headers)")
            }
        }
        if timeoutsHead == timeouts.count {
            timeouts.removeAll(keepingCapacity: true)
            timeoutsHead = 0
        }
    }

    // MARK: addresses

    /// `-connect-to` values `host:port:host:port` (IPv6 in brackets) keyed by `host:port`; the first mapping
    /// of a source wins (as libcurl).
    static func parseConnectTo(_ items: [String]) -> [String: (host: String, port: UInt16)] {
        var map: [String: (host: String, port: UInt16)] = [:]
        for item in items {
            var parts: [String] = []
            var current = ""
            var inBracket = false
            for ch in item {
                if ch == "[" { inBracket = true } else if ch == "]" { inBracket = false }
                if ch == ":" && !inBracket {
                    parts.append(current)
                    current = ""
                } else {
                    current.append(ch)
                }
            }
            parts.append(current)
            guard parts.count == 4 else { continue }
            func bare(_ h: String) -> String {
                h.hasPrefix("[") && h.hasSuffix("]") ? String(h.dropFirst().dropLast()).lowercased() : h.lowercased()
            }
            let key = "\(bare(parts[0])):\(parts[1])"
            if map[key] == nil { map[key] = (bare(parts[2]), UInt16(parts[3]) ?? 0) }
        }
        return map
    }

    /// A socket address for an IP literal, or nil.
    static func socketAddress(_ ip: String, port: UInt16) -> [UInt8]? {
        var a4 = sockaddr_in()
        if inet_pton(AF_INET, ip, &a4.sin_addr) == 1 {
            a4.sin_family = sa_family_t(AF_INET)
            a4.sin_port = port.bigEndian
            return withUnsafeBytes(of: &a4) { Array($0) }
        }
        var a6 = sockaddr_in6()
        var text = ip
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if inet_pton(AF_INET6, text, &a6.sin6_addr) == 1 {
            a6.sin6_family = sa_family_t(AF_INET6)
            a6.sin6_port = port.bigEndian
            return withUnsafeBytes(of: &a6) { Array($0) }
        }
        return nil
    }

    /// The addresses of `host`: an IP literal, or getaddrinfo's answers with IPv4 first (Go tries them in turn
    /// too); [] when it does not resolve.
    static func resolve(_ host: String, port: UInt16) -> [[UInt8]] {
        if let a = socketAddress(host, port: port) { return [a] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var v4: [[UInt8]] = []
        var v6: [[UInt8]] = []
        var p = list
        while let ai = p {
            p = ai.pointee.ai_next
            guard let sa = ai.pointee.ai_addr else { continue }
            if ai.pointee.ai_family == AF_INET {
                var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                a.sin_port = port.bigEndian
                let bytes = withUnsafeBytes(of: &a) { Array($0) }
                if !v4.contains(bytes) { v4.append(bytes) }
            } else if ai.pointee.ai_family == AF_INET6 {
                var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                a.sin6_port = port.bigEndian
                let bytes = withUnsafeBytes(of: &a) { Array($0) }
                if !v6.contains(bytes) { v6.append(bytes) }
            }
        }
        return v4 + v6
    }

    static func unixAddress(_ path: String) -> [UInt8] {
        var a = sockaddr_un()
        a.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(107))
        withUnsafeMutableBytes(of: &a.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        return withUnsafeBytes(of: &a) { Array($0) }
    }

    /// `ip:port` (`[ip]:port` for IPv6) of a socket address.
    static func describe(_ addr: [UInt8]) -> String {
        guard addr.count >= MemoryLayout<sa_family_t>.size else { return "" }
        var text = [CChar](repeating: 0, count: 64)
        func ip(_ t: [CChar]) -> String {
            String(decoding: t.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return addr.withUnsafeBytes { raw -> String in
            let family = raw.load(as: sa_family_t.self)
            if family == sa_family_t(AF_INET) && raw.count >= MemoryLayout<sockaddr_in>.size {
                var a = raw.loadUnaligned(as: sockaddr_in.self)
                inet_ntop(AF_INET, &a.sin_addr, &text, 64)
                return ip(text) + ":\(UInt16(bigEndian: a.sin_port))"
            }
            if family == sa_family_t(AF_INET6) && raw.count >= MemoryLayout<sockaddr_in6>.size {
                var a = raw.loadUnaligned(as: sockaddr_in6.self)
                inet_ntop(AF_INET6, &a.sin6_addr, &text, 64)
                return "[" + ip(text) + "]:\(UInt16(bigEndian: a.sin6_port))"
            }
            return ""
        }
    }
}
