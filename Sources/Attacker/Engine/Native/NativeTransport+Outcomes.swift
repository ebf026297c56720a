import BarrageCore
import CLinux
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// How a hit ends: a response, a redirect followed, a retry on a new connection, a failure or a timeout.
extension NativeTransport {
    func endOfStream(_ c: NativeConnection, _ slot: NativeSlot) {
        if c.inBody {
            if case .close = c.framing {
                responseDone(c, slot)
                return
            }
            transportFailure(c, slot, "unexpected EOF", retry: false)
            return
        }
        // Go: EOF before any byte is the read's own error; inside the head, a broken connection.
        transportFailure(
            c, slot, c.gotBytes ? GoResponseRules.broken + "unexpected EOF" : "EOF", retry: !c.gotBytes && c.reused)
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
        hitFailed(slot, text, afterHead: gotResponse)
    }

    /// A hit whose exchange failed (HTTP/1.1 connection or h2 stream): before the response head, Go's
    /// `Method "url": ` and `text`; after it, `text` bare with what of the body arrived.
    func hitFailed(_ slot: NativeSlot, _ text: String, afterHead: Bool) {
        guard let target = slot.target else { return }
        if afterHead {
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
        detach(slot)
        finishSlot(slot, r)
    }

    /// Takes a hit off its connection before its response is complete: an HTTP/1.1 connection closes (the rest of
    /// the answer would be in the way), an h2 stream is reset (the connection carries on).
    func detach(_ slot: NativeSlot) {
        guard let c = slot.conn else { return }
        slot.conn = nil
        if let h2 = c.h2 {
            if slot.h2Stream > 0 {
                h2.cancel(slot.h2Stream)
                h2.active -= 1
                slot.h2Stream = 0
                markDirty(c)
            }
        } else {
            c.slot = nil
            closeConnection(c)
        }
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
        // An answer before the whole request went out (a 413, say): the connection cannot carry another.
        if slot.outSent < slot.outTotal { c.closeAfter = true }
        slot.conn = nil
        let (status, location, gzip) = (c.status, c.location, c.gzip)
        release(c)
        complete(slot, status: status, location: location, gzip: gzip)
    }

    /// A response is in (HTTP/1.1 or h2, its connection already free): a redirect is followed, else the hit's
    /// result is made.
    func complete(_ slot: NativeSlot, status: Int, location: String, gzip: Bool) {
        guard let target = slot.target, let wire = slot.wire else { return }
        // -redirects=-1 returns the 3xx; below -1 every redirect fails, as Go's check `n < len(via)` does.
        if options.redirects != -1 && !location.isEmpty
            && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        {
            let next = URLParts(wire.target.url)?.resolve(location) ?? location
            if slot.redirects >= options.redirects {
                fail(slot, "\(target.errorOp) \"\(next)\": stopped after \(options.redirects) redirects")
                return
            }
            slot.redirects += 1
            let asGet = status != 307 && status != 308 && wire.method != "GET" && wire.method != "HEAD"
            slot.wire = wire.redirected(to: next, asGet: asGet)
            dispatch(slot)
            return
        }
        var r = core.result(seq: slot.seq, target: target, started: slot.started, end: now)
        if gzip {
            let problem = slot.gzip.outcome
            if !problem.isEmpty {
                // A body Go's gzip reader refuses: code 0, the error, what decoded (vegeta's read error path).
                r.error = problem
                if !slot.body.isEmpty { r.body = slot.body }
                finishSlot(slot, r)
                return
            }
        }
        r.bytesOut = UInt64(target.bodyCount)
        slot.headerBytes.withUnsafeBytes { raw in
            core.fillResponse(&r, status: status, headerBlock: raw, body: slot.body, gzipDecoded: gzip)
        }
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
            if slot.inBody {
                var r = core.result(seq: slot.seq, target: target, started: slot.started, end: now)
                r.error = "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
                if !slot.body.isEmpty { r.body = slot.body }
                detach(slot)
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
