import BarrageCore
import CCurl
import CLinux
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

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
    /// How long a failed host-name lookup is kept (ns).
    static let lookupFailureTTL: Int64 = 1_000_000_000

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
        let key = "\(host):\(port)"
        if let p = pools[key] { return p }
        let p = HostPool(host: host, port: port)
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

    func attach(_ c: NativeConnection, _ slot: NativeSlot) {
        c.slot = slot
        slot.conn = c
        c.resetResponse()
        buildRequest(slot)
        if !c.connecting { writeRequest(c) }
    }

    func buildRequest(_ slot: NativeSlot) {
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
        // The tail (headers after the sequence number, and the body) is the request's own, shared by every slot.
        slot.outTotal = slot.out.count + wire.tail.count
        slot.outSent = 0
        slot.body.removeAll(keepingCapacity: true)
        slot.gzip.reset()
        slot.headerBytes.removeAll(keepingCapacity: true)
    }

    /// Opens a connection for `slot` to the pool's address number `attempt` (the next is tried when one fails).
    func openConnection(_ pool: HostPool, for slot: NativeSlot, attempt: Int = 0) {
        guard let target = slot.target, let wire = slot.wire else { return }
        let prefix = "\(target.errorOp) \"\(wire.target.url)\": "
        var addr: [UInt8]
        let unix = !options.unixSocket.isEmpty
        if unix {
            addr = NativeTransport.unixAddress(options.unixSocket)
        } else {
            let ttl = options.dnsTTL
            if attempt == 0 && (pool.resolvedAt < 0 || ttl < 0 || (ttl > 0 && now - pool.resolvedAt > ttl)) {
                // A failed lookup is kept for a second (or the shorter -dns-ttl), so hits to a bad name do not all
                // block the loop in getaddrinfo again.
                let failureTTL = ttl > 0 ? min(ttl, NativeTransport.lookupFailureTTL) : NativeTransport.lookupFailureTTL
                if ttl < 0 || pool.lookupError.isEmpty || now - pool.failedAt >= failureTTL {
                    let found = NativeTransport.resolve(pool.host, port: pool.port)
                    pool.addresses = found.addresses
                    pool.lookupError = found.error
                    pool.resolvedAt = found.addresses.isEmpty ? -1 : now
                    pool.failedAt = now
                }
            }
            guard attempt < pool.addresses.count else {
                fail(slot, prefix + "dial tcp: lookup \(pool.host): " + pool.lookupError)
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
            fail(slot, prefix + "dial tcp: socket: " + errnoText(.go))
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
                fail(slot, prefix + "\(dial): bind: " + errnoText(.go, code: e))
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
                fail(slot, prefix + "\(dial): connect: " + errnoText(.go, code: e))
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

    func setOutputInterest(_ c: NativeConnection, _ on: Bool) {
        guard c.wantsOutput != on else { return }
        c.wantsOutput = on
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | (on ? EPOLLOUT.rawValue : 0)
        ev.data.u64 = UInt64(c.fd)
        _ = epoll_ctl(core.epfd, EPOLL_CTL_MOD, c.fd, &ev)
    }

    func closeConnection(_ c: NativeConnection, handOn: Bool = true) {
        guard !c.closed else { return }
        c.closed = true
        close(c.fd)
        if Int(c.fd) < connections.count { connections[Int(c.fd)] = nil }
        c.pool.open -= 1
        c.slot = nil
        if handOn { handOnPlaces(c.pool) }
    }

    /// Hits queued behind `-max-connections` get the free places. An open that fails at once (a lookup, EMFILE,
    /// EADDRNOTAVAIL) finishes its hit without taking a place, so the place goes on to the next.
    func handOnPlaces(_ pool: HostPool) {
        while maxPerHost == 0 || pool.open < maxPerHost, let next = nextWaiting(pool) {
            openConnection(pool, for: next)
        }
    }

    func nextWaiting(_ pool: HostPool) -> NativeSlot? {
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
    func release(_ c: NativeConnection) {
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

    func handle(_ c: NativeConnection, events: UInt32) {
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
        if events & EPOLLOUT.rawValue != 0 && slot.outSent < slot.outTotal {
            writeRequest(c)
            if c.slot !== slot || c.closed { return }
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readResponse(c, slot) }
    }

    func connectFailed(_ c: NativeConnection, _ err: Int32) {
        guard let slot = c.slot, let target = slot.target, let wire = slot.wire else {
            closeConnection(c)
            return
        }
        let unix = !options.unixSocket.isEmpty
        if !unix && c.attempt + 1 < c.pool.addresses.count {
            // The next address of the host name (IPv6 after IPv4, say), before the place goes to a waiting hit
            // (else one more than -max-connections would be open).
            slot.conn = nil
            closeConnection(c, handOn: false)
            openConnection(c.pool, for: slot, attempt: c.attempt + 1)
            handOnPlaces(c.pool)
            return
        }
        var remote = unix ? options.unixSocket : NativeTransport.describe(c.remote)
        if remote.isEmpty { remote = "\(c.pool.host):\(c.pool.port)" }
        let local = (options.localAddress.contains(":") ? "[\(options.localAddress)]" : options.localAddress) + ":0"
        let dial = unix ? "dial unix \(remote)" : "dial tcp \(local)->\(remote)"
        slot.conn = nil
        closeConnection(c)
        fail(slot, "\(target.errorOp) \"\(wire.target.url)\": \(dial): connect: " + errnoText(.go, code: err))
    }

    func writeRequest(_ c: NativeConnection) {
        guard let slot = c.slot, let wire = slot.wire else { return }
        while slot.outSent < slot.outTotal {
            let n = slot.out.withUnsafeBytes { head in
                wire.tail.withUnsafeBytes { tail in NativeTransport.send(c.fd, head, tail, from: slot.outSent) }
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

    /// One `sendmsg` of what is left of `head` + `tail` after the first `sent` bytes (a partial write goes on
    /// from there).
    static func send(_ fd: Int32, _ head: UnsafeRawBufferPointer, _ tail: UnsafeRawBufferPointer, from sent: Int)
        -> Int
    {
        var parts = (iovec(), iovec())
        var count = 0
        if sent < head.count, let h = head.baseAddress {
            parts.0 = iovec(iov_base: UnsafeMutableRawPointer(mutating: h + sent), iov_len: head.count - sent)
            count = 1
            if let t = tail.baseAddress, tail.count > 0 {
                parts.1 = iovec(iov_base: UnsafeMutableRawPointer(mutating: t), iov_len: tail.count)
                count = 2
            }
        } else if let t = tail.baseAddress, sent - head.count < tail.count {
            let skip = sent - head.count
            parts.0 = iovec(iov_base: UnsafeMutableRawPointer(mutating: t + skip), iov_len: tail.count - skip)
            count = 1
        }
        guard count > 0 else { return 0 }
        return withUnsafeMutablePointer(to: &parts) { p in
            p.withMemoryRebound(to: iovec.self, capacity: 2) { iov in
                var msg = msghdr()
                msg.msg_iov = iov
                msg.msg_iovlen = count
                return sendmsg(fd, &msg, Int32(MSG_NOSIGNAL))
            }
        }
    }

    func readResponse(_ c: NativeConnection, _ slot: NativeSlot) {
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
    func keepPartial(_ c: NativeConnection) {
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
    func grow(_ c: NativeConnection) {
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

    func endOfStream(_ c: NativeConnection, _ slot: NativeSlot) {
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

    func transportError(_ c: NativeConnection, _ slot: NativeSlot, op: String, errno e: Int32) {
        let text = "\(op) tcp \(endpoints(c)): \(op): " + errnoText(.go, code: e)
        transportFailure(c, slot, text, retry: !c.gotBytes && c.reused)
    }

    func protocolError(_ c: NativeConnection, _ slot: NativeSlot, _ text: String) {
        c.closeAfter = true
        transportFailure(c, slot, text, retry: false)
    }

    /// `L->R` of a TCP connection, as Go prints them in read/write errors.
    func endpoints(_ c: NativeConnection) -> String {
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
    func transportFailure(_ c: NativeConnection, _ slot: NativeSlot, _ text: String, retry: Bool) {
        let gotResponse = c.inBody
        slot.conn = nil
        c.slot = nil
        closeConnection(c)
        // As Go: sent again only when nothing of it went out, or when it is replayable (a POST the server may have
        // acted on is not).
        if retry && !slot.retried && (slot.outSent == 0 || slot.wire?.replayable == true) {
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

    func fail(_ slot: NativeSlot, _ text: String) {
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

    func finishSlot(_ slot: NativeSlot, _ r: Result) {
        core.batch.append(r)
        slot.active = false
        slot.target = nil
        slot.wire = nil
        inFlight -= 1
        slots.free(slot)
    }

    func responseDone(_ c: NativeConnection, _ slot: NativeSlot) {
        guard let target = slot.target, let wire = slot.wire else { return }
        let status = c.status
        // An answer before the whole request went out (a 413, say): the connection cannot carry another.
        if slot.outSent < slot.outTotal { c.closeAfter = true }
        if options.redirects >= 0 && !c.location.isEmpty
            && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        {
            let next = URLParts(wire.target.url)?.resolve(c.location) ?? c.location
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
        if c.gzip {
            let problem = slot.gzip.outcome
            if !problem.isEmpty {
                // A body Go's gzip reader refuses: code 0, the error, what decoded (vegeta's read error path).
                r.error = problem
                if !slot.body.isEmpty { r.body = slot.body }
                slot.conn = nil
                release(c)
                finishSlot(slot, r)
                return
            }
        }
        r.bytesOut = UInt64(target.bodyCount)
        slot.headerBytes.withUnsafeBytes { raw in
            core.fillResponse(&r, status: status, headerBlock: raw, body: slot.body, gzipDecoded: c.gzip)
        }
        slot.conn = nil
        release(c)
        finishSlot(slot, r)
    }

    func expireTimeouts() {
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
}
