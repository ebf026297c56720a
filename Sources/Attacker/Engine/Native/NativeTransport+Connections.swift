import BarrageCore
import CLinux
import COpenSSL
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// Connections: opening (with the next address on failure), `-max-connections` places, keep-alive reuse.
extension NativeTransport {
    /// Opens a connection for `slot` to the pool's address number `attempt` (the next is tried when one fails).
    func openConnection(_ pool: HostPool, for slot: NativeSlot, attempt: Int = 0) {
        guard let target = slot.target, let wire = slot.wire else { return }
        let prefix = "\(target.errorOp) \"\(wire.target.url)\": "
        let unix = !options.unixSocket.isEmpty
        guard let addr = address(pool, for: slot, attempt: attempt, prefix: prefix) else { return }
        let family = addr.withUnsafeBytes { $0.load(as: sa_family_t.self) }
        let fd = socket(
            Int32(family),
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            fail(slot, prefix + "dial tcp: socket: " + errnoText(.go, code: errno))
            return
        }
        if !unix {
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let dial = dialText(unix ? options.unixSocket : NativeTransport.describe(addr), unix: unix)
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
        if let name = pool.serverName {
            guard let ssl = tls.session(fd: fd, host: name, resuming: pool.session) else {
                close(fd)
                fail(slot, prefix + "tls: " + TLSContext.lastError())
                return
            }
            c.tls = ssl
        }
        c.pendingReady = true
        pool.opening.append(c)
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

    /// The address to dial for `slot`: the `-unix-socket` path, or the pool's address number `attempt` (the host
    /// looked up again first when its last lookup is stale); nil when there is none, the hit having then failed.
    func address(_ pool: HostPool, for slot: NativeSlot, attempt: Int, prefix: String) -> [UInt8]? {
        if !options.unixSocket.isEmpty { return NativeTransport.unixAddress(options.unixSocket) }
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
            return nil
        }
        return pool.addresses[attempt]
    }

    /// Go's `dial tcp L->R` (L being `-laddr` with port 0) or `dial unix PATH`, as its connect errors start.
    func dialText(_ remote: String, unix: Bool) -> String {
        let local = (options.localAddress.contains(":") ? "[\(options.localAddress)]" : options.localAddress) + ":0"
        return unix ? "dial unix \(remote)" : "dial tcp \(local)->\(remote)"
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
        if let ssl = c.tls {
            // Go's tls.Conn says goodbye (close_notify) after a finished handshake; nothing is awaited.
            if !c.handshaking && !c.connecting { _ = SSL_shutdown(ssl) }
            ERR_clear_error()
            SSL_free(ssl)
            c.tls = nil
        }
        close(c.fd)
        if Int(c.fd) < connections.count { connections[Int(c.fd)] = nil }
        c.pool.open -= 1
        markReady(c)
        if c.h2 != nil {
            c.pool.h2Connections.removeAll { $0 === c }
            c.h2 = nil
        }
        c.slot = nil
        if handOn { handOnPlaces(c.pool) }
    }

    /// Hits queued behind `-max-connections` get the free places. An open that fails at once (a lookup, EMFILE,
    /// EADDRNOTAVAIL) finishes its hit without taking a place, so the place goes on to the next.
    func handOnPlaces(_ pool: HostPool) {
        switch pool.speaks {
        case .http2:
            handOnH2(pool)
        case .unknown:
            // One handshake at a time until ALPN has spoken.
            while pool.speaks == .unknown && pool.pending == 0, maxPerHost == 0 || pool.open < maxPerHost,
                let next = nextWaiting(pool)
            {
                openConnection(pool, for: next)
            }
        case .http1:
            while maxPerHost == 0 || pool.open < maxPerHost, mayDial(pool), let next = nextWaiting(pool) {
                openConnection(pool, for: next)
            }
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

    /// A connection whose response is complete (`answered`), or a new one whose hit went elsewhere: to the next
    /// queued hit, to a hit still waiting for a connection being opened (Go's transport too takes whichever comes
    /// first, and the new connection then joins the idle ones), the idle list, or closed.
    func release(_ c: NativeConnection, answered: Bool = true) {
        c.slot = nil
        if answered { c.reused = true }
        if let ssl = c.tls, answered { keepSession(c.pool, ssl) }
        if c.closeAfter || !options.keepAlive || c.end != c.start || (c.tls.map { SSL_has_pending($0) == 1 } ?? false) {
            closeConnection(c)
            return
        }
        c.start = 0
        c.end = 0
        if let next = nextWaiting(c.pool) {
            attach(c, next)
            return
        }
        if c.pool.speaks == .http1, let dialing = c.pool.opening.first(where: { $0.slot != nil }),
            let next = dialing.slot
        {
            dialing.slot = nil
            attach(c, next)
            return
        }
        if c.pool.idle.count >= idlePerHost {
            closeConnection(c)
            return
        }
        c.pool.idle.append(c)
    }
}
