import BarrageCore
import CLinux
import COpenSSL
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// Socket I/O: connect completion, request writes (`sendmsg` of head and shared tail), reads into the loop's
/// buffer.
extension NativeTransport {
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
            if c.tls != nil {
                c.handshaking = true
                handshake(c)
                return
            }
            if c.pool.speaks == .http2 {
                startH2(c)  // -h2c: prior knowledge
                return
            }
            setOutputInterest(c, false)
            markReady(c)
            if c.slot != nil { writeRequest(c) } else { release(c, answered: false) }
            return
        }
        if c.handshaking {
            handshake(c)
            return
        }
        if c.h2 != nil {
            handleH2(c, events: events)
            return
        }
        guard let slot = c.slot else {
            // Idle: the server closed it (or sent something unasked for); a TLS 1.3 session ticket is no answer.
            if c.tls != nil && onlyTLSRecords(c) { return }
            c.pool.idle.removeAll { $0 === c }
            closeConnection(c)
            return
        }
        if events & EPOLLOUT.rawValue != 0 && slot.outSent < slot.outTotal {
            writeRequest(c)
            if c.slot !== slot || c.closed { return }
        }
        // OpenSSL may want the socket writable to go on reading (a key update): reading is then retried.
        let reading = EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | (c.tls == nil ? 0 : EPOLLOUT.rawValue)
        if events & reading != 0 { readResponse(c, slot) }
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
        let dial = dialText(remote, unix: unix)
        slot.conn = nil
        closeConnection(c)
        fail(slot, "\(target.errorOp) \"\(wire.target.url)\": \(dial): connect: " + errnoText(.go, code: err))
    }

    func writeRequest(_ c: NativeConnection) {
        guard let slot = c.slot, let wire = slot.wire else { return }
        while slot.outSent < slot.outTotal {
            let n: Int
            if let ssl = c.tls {
                n = slot.out.withUnsafeBytes { tlsWrite(ssl, $0, from: slot.outSent) }
            } else {
                n = slot.out.withUnsafeBytes { head in
                    wire.tail.withUnsafeBytes { tail in NativeTransport.send(c.fd, head, tail, from: slot.outSent) }
                }
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
            if let alert = alertAfterFailedWrite(c) {
                transportFailure(c, slot, alert, retry: false)
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
        let n = c.tls.map { tlsRead(c, $0) } ?? recv(c.fd, c.buffer + c.end, c.capacity - c.end, 0)
        if n < 0 {
            if n == NativeTransport.tlsFailed {
                transportFailure(c, slot, tlsFailure, retry: false)
                return
            }
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
        // Records OpenSSL has already read raise no event: read them now.
        if !c.closed, c.slot === slot, let ssl = c.tls, SSL_has_pending(ssl) == 1 { readResponse(c, slot) }
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
}
