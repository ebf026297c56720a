import BarrageCore
import CLinux
import CNghttp2
import COpenSSL
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// HTTP/2 on the native transport: hits as streams of a few connections per host (a new one when the others are
/// at the server's stream limit, up to `-max-connections`), h2 chosen by ALPN over TLS or by `-h2c` over TCP.
/// A stream's failure (RST_STREAM, GOAWAY) is the failure of its hit only.
extension NativeTransport {
    /// Sends `slot`'s request on a connection of an h2 pool: a stream of one with room, else after the connection
    /// being opened, else on a new one.
    func dispatchH2(_ slot: NativeSlot, _ pool: HostPool) {
        if let c = roomyConnection(pool) {
            submit(slot, on: c)
        } else if pool.pending > 0 || (maxPerHost > 0 && pool.open >= maxPerHost) {
            pool.waiting.append((slot, slot.generation))
        } else {
            openConnection(pool, for: slot)
        }
    }

    /// A connection of the pool that may open another stream (the newest first).
    func roomyConnection(_ pool: HostPool) -> NativeConnection? {
        for c in pool.h2Connections.reversed() where !c.closed {
            if let h2 = c.h2, h2.capacity > 0 { return c }
        }
        return nil
    }

    /// The connection speaks h2 from now: its opening hit becomes its first stream, waiting hits follow.
    func startH2(_ c: NativeConnection) {
        guard let h2 = H2Session(transport: self) else {
            handshakeFailed(c, "http2: cannot start a session")
            return
        }
        c.h2 = h2
        markReady(c)
        c.pool.speaks = .http2
        c.pool.h2Connections.append(c)
        setOutputInterest(c, false)
        if let slot = c.slot {
            c.slot = nil
            submit(slot, on: c)
        }
        handOnH2(c.pool)
        flushH2(c)
    }

    /// A connection no longer counts as being opened.
    func markReady(_ c: NativeConnection) {
        guard c.pendingReady else { return }
        c.pendingReady = false
        c.pool.opening.removeAll { $0 === c }
    }

    /// Waiting hits go to connections with room; one more connection opens when none has room and none is opening.
    func handOnH2(_ pool: HostPool) {
        while pool.waitingHead < pool.waiting.count {
            if let c = roomyConnection(pool) {
                guard let next = nextWaiting(pool) else { return }
                submit(next, on: c)
            } else {
                guard pool.pending == 0, maxPerHost == 0 || pool.open < maxPerHost, let next = nextWaiting(pool)
                else { return }
                openConnection(pool, for: next)
            }
        }
    }

    /// Opens a stream for the slot's request on `c`.
    func submit(_ slot: NativeSlot, on c: NativeConnection) {
        guard let h2 = c.h2, let session = h2.session, let wire = slot.wire else { return }
        slot.conn = c
        slot.resetH2()
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let stream = wire.h2Block.withUnsafeBufferPointer { block -> Int32 in
            withUnsafeMutableBytes(of: &digits) { d -> Int32 in
                let seq = UnsafeBufferPointer(
                    rebasing: d.bindMemory(to: UInt8.self)[..<NativeTransport.decimal(slot.seq, into: d)])
                guard let base = block.baseAddress else { return -1 }
                var fields: [nghttp2_nv] = []
                swap(&fields, &nvScratch)
                fields.removeAll(keepingCapacity: true)
                for (i, f) in wire.h2Fields.enumerated() {
                    let name = UnsafeMutablePointer(mutating: base + f.name.lowerBound)
                    var value = UnsafeMutablePointer(mutating: base + f.value.lowerBound)
                    var valueCount = f.value.count
                    if i == wire.h2SeqField, let s = seq.baseAddress {
                        value = UnsafeMutablePointer(mutating: s)
                        valueCount = seq.count
                    }
                    fields.append(
                        nghttp2_nv(
                            name: name, value: value, namelen: f.name.count, valuelen: valueCount,
                            flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                }
                defer { nvScratch = fields }
                let user = Unmanaged.passUnretained(slot).toOpaque()
                guard wire.sendsBody else {
                    return nghttp2_submit_request(session, nil, fields, fields.count, nil, user)
                }
                var provider = nghttp2_data_provider(
                    source: nghttp2_data_source(ptr: nil), read_callback: H2Session.readBody)
                return nghttp2_submit_request(session, nil, fields, fields.count, &provider, user)
            }
        }
        guard stream > 0 else {
            slot.conn = nil
            fail(slot, "\(wire.errorOp) \"\(wire.target.url)\": http2: " + String(cString: nghttp2_strerror(stream)))
            return
        }
        slot.h2Stream = stream
        slot.outSent = slot.outTotal
        h2.active += 1
        if !options.keepAlive { h2.retiring = true }
        markDirty(c)
    }

    func markDirty(_ c: NativeConnection) {
        guard !c.h2Dirty else { return }
        c.h2Dirty = true
        h2Dirty.append(c)
    }

    /// Writes what every connection with new frames has (once per loop round: many streams per write).
    func flushDirty() {
        guard !h2Dirty.isEmpty else { return }
        let list = h2Dirty
        h2Dirty.removeAll(keepingCapacity: true)
        for c in list {
            c.h2Dirty = false
            if !c.closed { flushH2(c) }
        }
    }

    /// Writes nghttp2's frames; what the socket does not take waits for it to drain.
    func flushH2(_ c: NativeConnection) {
        guard let h2 = c.h2 else { return }
        while true {
            guard h2.gather() else {
                failH2Connection(c, "http2: connection error")
                return
            }
            guard h2.outSent < h2.out.count else { break }
            let n = h2.out.withUnsafeBytes { raw -> Int in
                if let ssl = c.tls { return tlsWrite(ssl, raw, from: h2.outSent) }
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(c.fd, base + h2.outSent, raw.count - h2.outSent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                h2.outSent += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setOutputInterest(c, true)
                return
            }
            failH2Connection(c, "write tcp \(endpoints(c)): write: " + errnoText(.go, code: n < 0 ? errno : EPIPE))
            return
        }
        setOutputInterest(c, false)
        // Streams this end reset (a response Go refuses) close as their RST_STREAM goes out.
        if !h2.closed.isEmpty { finishStreams(c) }
        if (h2.goingAway || h2.retiring) && h2.active == 0 { closeConnection(c) }
    }

    /// Events on an h2 connection: frames out when the socket drains, frames in.
    func handleH2(_ c: NativeConnection, events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 { flushH2(c) }
        guard !c.closed else { return }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readH2(c) }
    }

    func readH2(_ c: NativeConnection) {
        guard let h2 = c.h2 else { return }
        while !c.closed {
            c.buffer = receiveBuffer
            c.capacity = NativeTransport.receiveCapacity
            c.start = 0
            c.end = 0
            let n = c.tls.map { tlsRead(c, $0) } ?? recv(c.fd, receiveBuffer, NativeTransport.receiveCapacity, 0)
            if n > 0 {
                guard h2.receive(receiveBuffer, n) else {
                    finishStreams(c)
                    failH2Connection(c, "http2: connection error: PROTOCOL_ERROR")
                    return
                }
                finishStreams(c)
                if let ssl = c.tls, SSL_has_pending(ssl) == 1 { continue }
                if n == NativeTransport.receiveCapacity { continue }
                break
            }
            if n == 0 {
                finishStreams(c)
                // Go: the end of a connection that sent GOAWAY is named by it; otherwise the stream was cut.
                failH2Connection(c, h2.goAwayText.isEmpty ? "unexpected EOF" : h2.goAwayText)
                return
            }
            if n == NativeTransport.tlsFailed {
                failH2Connection(c, tlsFailure)
                return
            }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { break }
            failH2Connection(c, "read tcp \(endpoints(c)): read: " + errnoText(.go, code: errno))
            return
        }
        guard !c.closed else { return }
        flushH2(c)
        handOnH2(c.pool)
    }

    /// Hits whose streams nghttp2 closed: responses, retries of refused streams, or the streams' errors.
    func finishStreams(_ c: NativeConnection) {
        guard let h2 = c.h2 else { return }
        while !h2.closed.isEmpty {
            var list: [(slot: Int, stream: Int32, code: UInt32)] = []
            swap(&list, &h2.closed)
            defer {
                list.removeAll(keepingCapacity: true)
                if h2.closed.isEmpty { swap(&list, &h2.closed) }
            }
            for (index, stream, code) in list {
                h2.active -= 1
                let slot = slots[index]
                guard slot.active, slot.h2Stream == stream, slot.conn === c else { continue }
                slot.conn = nil
                slot.h2Stream = 0
                if !slot.h2LocalError.isEmpty {
                    streamFailed(slot, "stream error: stream ID \(stream); PROTOCOL_ERROR; " + slot.h2LocalError)
                } else if code == 0 && slot.h2HeadersDone {
                    if slot.h2Remaining > 0 {
                        streamFailed(slot, "unexpected EOF")  // fewer bytes than the content-length promised
                    } else {
                        complete(slot, status: slot.h2Status, location: slot.h2Location, gzip: slot.h2Gzip)
                    }
                } else if slot.h2ResetByPeer && !slot.h2HeadersDone && !slot.retried
                    && (code == NGHTTP2_REFUSED_STREAM.rawValue || code == NGHTTP2_PROTOCOL_ERROR.rawValue)
                {
                    // Go sends it again (`canRetryError`): the server did not process it.
                    slot.retried = true
                    dispatch(slot)
                } else if slot.h2ResetByPeer {
                    streamFailed(slot, H2Errors.streamText(stream, code: code))
                } else if code == NGHTTP2_REFUSED_STREAM.rawValue && !slot.retried {
                    // Above a GOAWAY's last stream: never processed (Go's errClientConnGotGoAway, retried).
                    slot.retried = true
                    dispatch(slot)
                } else {
                    streamFailed(slot, h2.goAwayText.isEmpty ? "http2: client connection lost" : h2.goAwayText)
                }
            }
        }
    }

    /// A hit whose stream or connection failed.
    func streamFailed(_ slot: NativeSlot, _ text: String) { hitFailed(slot, text, afterHead: slot.h2HeadersDone) }

    /// The connection is lost: each of its hits fails with `text`.
    func failH2Connection(_ c: NativeConnection, _ text: String) {
        guard !c.closed else { return }
        for slot in slots.all where slot.active && slot.conn === c {
            slot.conn = nil
            slot.h2Stream = 0
            streamFailed(slot, text)
        }
        closeConnection(c)
    }

    /// One response header field of a stream (`:status` first).
    func h2Header(_ slot: NativeSlot, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if slot.h2HeadersDone { return }  // trailers: Go keeps them out of the headers
        if H2Errors.equal(name, ":status") {
            var code = 0
            for d in value {
                guard d >= 0x30 && d <= 0x39, code < 100_000 else {
                    slot.h2LocalError = "malformed response from server: malformed non-numeric status pseudo header"
                    return
                }
                code = code * 10 + Int(d - 0x30)
            }
            slot.h2Status = code
            slot.headerBytes.removeAll(keepingCapacity: true)
            slot.headerBytes += "HTTP/2.0 ".utf8
            slot.headerBytes += value
            slot.headerBytes += [0x0d, 0x0a]
            return
        }
        slot.headerBytes += name
        slot.headerBytes += [0x3a, 0x20]
        slot.headerBytes += value
        slot.headerBytes += [0x0d, 0x0a]
        if H2Errors.equal(name, "content-encoding") && !slot.h2SeenEncoding {
            slot.h2SeenEncoding = true
            slot.h2Gzip =
                (slot.wire?.addsGzip ?? false) && value.count == 4
                && value.elementsEqual("gzip".utf8) { ($0 | 0x20) == $1 }
        } else if H2Errors.equal(name, "location") {
            slot.h2Location = String(decoding: value, as: UTF8.self)
        } else if H2Errors.equal(name, "content-length") {
            // Go takes one content-length that is a number below 2^63; a second one, or another value, is ignored.
            var length = 0
            var valid = !value.isEmpty && !slot.h2SeenLength
            for d in value where valid {
                valid = d >= 0x30 && d <= 0x39 && length <= (Int.max - 9) / 10
                length = length &* 10 &+ Int(d &- 0x30)
            }
            slot.h2Remaining = valid && !(slot.wire?.isHead ?? false) ? length : -1
            slot.h2SeenLength = true
        }
    }
}

/// Go's texts (`golang.org/x/net/http2`) for HTTP/2 errors.
enum H2Errors {
    /// Whether a received name is `text` (names arrive lower-case).
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, text.utf8Start, bytes.count) == 0
    }

    /// `stream error: stream ID N; CODE; received from peer`.
    static func streamText(_ stream: Int32, code: UInt32) -> String {
        "stream error: stream ID \(stream); \(codeName(code)); received from peer"
    }

    static func codeName(_ code: UInt32) -> String {
        switch code {
        case 0x0: return "NO_ERROR"
        case 0x1: return "PROTOCOL_ERROR"
        case 0x2: return "INTERNAL_ERROR"
        case 0x3: return "FLOW_CONTROL_ERROR"
        case 0x4: return "SETTINGS_TIMEOUT"
        case 0x5: return "STREAM_CLOSED"
        case 0x6: return "FRAME_SIZE_ERROR"
        case 0x7: return "REFUSED_STREAM"
        case 0x8: return "CANCEL"
        case 0x9: return "COMPRESSION_ERROR"
        case 0xa: return "CONNECT_ERROR"
        case 0xb: return "ENHANCE_YOUR_CALM"
        case 0xc: return "INADEQUATE_SECURITY"
        case 0xd: return "HTTP_1_1_REQUIRED"
        default: return "unknown error code 0x\(String(code, radix: 16))"
        }
    }
}
