#if canImport(Glibc)
    import Glibc
#endif

/// The response parser: works in the receive buffer, keeps the body up to `-max-body`, decodes gzip at the end.
extension NativeTransport {
    /// Runs the parser over what the buffer holds; completes the response when its end is in.
    func parse(_ c: NativeConnection, _ slot: NativeSlot) {
        if !c.inBody {
            while true {
                guard let headerEnd = findHeaderEnd(c) else {
                    // Go reads the status line first: a bad one fails at once, whatever follows.
                    if let lf = findByte(c, 0x0a),
                        let problem = GoResponseRules.statusLineProblem(
                            UnsafeRawBufferPointer(start: c.buffer + c.start, count: lf - c.start))
                    {
                        protocolError(c, slot, GoResponseRules.broken + problem)
                    } else if c.end - c.start > 1 << 20 {
                        protocolError(c, slot, GoResponseRules.broken + "malformed HTTP response")
                    }
                    return
                }
                guard readHead(c, slot, headerEnd) else { return }
                c.headerScanned = 0
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
    func keep(_ slot: NativeSlot, _ c: NativeConnection, _ count: Int) {
        guard count > 0 else { return }
        keepBody(slot, c.buffer + c.start, count, gzip: c.gzip)
        c.start += count
    }

    /// Body bytes of a response: decoded when gzip, kept up to `-max-body`.
    @inline(__always)
    func keepBody(_ slot: NativeSlot, _ bytes: UnsafePointer<UInt8>, _ count: Int, gzip: Bool) {
        if gzip {
            slot.gzip.feed(bytes, count, into: &slot.body, limit: core.bodyLimit)
        } else {
            var k = count
            if core.bodyLimit >= 0 { k = max(0, min(count, core.bodyLimit - slot.body.count)) }
            if k > 0 { slot.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: k)) }
        }
    }

    func parseChunks(_ c: NativeConnection, _ slot: NativeSlot) -> Bool {
        while true {
            switch c.chunkPhase {
            case .data:
                let take = min(c.remaining, c.end - c.start)
                keep(slot, c, take)
                c.remaining -= take
                if c.remaining > 0 { return false }
                c.chunkPhase = .dataEnd
            case .dataEnd:
                // Go reads exactly "\r\n" after a chunk's data.
                guard c.end - c.start >= 2 else { return false }
                guard c.buffer[c.start] == 0x0d && c.buffer[c.start + 1] == 0x0a else {
                    protocolError(c, slot, "malformed chunked encoding")
                    return false
                }
                c.start += 2
                c.chunkPhase = .size
            case .size, .trailer:
                guard let lf = findByte(c, 0x0a) else {
                    if c.end - c.start > 4096 { protocolError(c, slot, "header line too long") }
                    return false
                }
                let lineStart = c.start
                var lineEnd = lf
                if lineEnd > lineStart && c.buffer[lineEnd - 1] == 0x0d { lineEnd -= 1 }
                c.start = lf + 1
                if c.chunkPhase == .trailer {
                    if lineEnd == lineStart { return true }
                } else {
                    let (size, problem) = GoResponseRules.chunkSize(
                        UnsafeRawBufferPointer(start: c.buffer + lineStart, count: lineEnd - lineStart))
                    guard problem.isEmpty else {
                        protocolError(c, slot, problem)
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
    func findByte(_ c: NativeConnection, _ byte: UInt8) -> Int? {
        guard c.end > c.start, let p = memchr(c.buffer + c.start, Int32(byte), c.end - c.start) else { return nil }
        return UnsafeMutableRawPointer(mutating: p) - UnsafeMutableRawPointer(c.buffer)
    }

    /// The index just past the blank line ending the header block, if it is in.
    /// A trickled header block is scanned once: a later call goes on from where the last stopped (less the two
    /// bytes a blank line may straddle).
    func findHeaderEnd(_ c: NativeConnection) -> Int? {
        var i = max(c.start, c.start + c.headerScanned - 2)
        let b = c.buffer
        defer { c.headerScanned = c.end - c.start }
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
    func readHead(_ c: NativeConnection, _ slot: NativeSlot, _ headerEnd: Int) -> Bool {
        let b = c.buffer
        var i = c.start
        // "HTTP/1.x NNN ...", checked as Go's http.ReadResponse does.
        let lineLength =
            memchr(b + i, 0x0a, headerEnd - i).map {
                UnsafeMutableRawPointer(mutating: $0) - UnsafeMutableRawPointer(b + i)
            } ?? 0
        if let problem = GoResponseRules.statusLineProblem(UnsafeRawBufferPointer(start: b + i, count: lineLength)) {
            protocolError(c, slot, GoResponseRules.broken + problem)
            return false
        }
        var s = i + 9
        while b[s - 1] == 0x20 && b[s] == 0x20 { s += 1 }  // Go skips extra spaces before the code
        let http10 = b[i + 5] == 0x31 && b[i + 7] == 0x30
        var status = 0
        for k in s..<(s + 3) { status = status * 10 + Int(b[k] - 0x30) }
        c.status = status
        var length = -1
        var lengthSuspect = false  // a second Content-Length or one this parser does not take: Go's rules decide
        var chunked = false
        var keepAliveToken = false
        c.closeAfter = false
        c.gzip = false
        var seenEncoding = false
        let addsGzip = slot.wire?.addsGzip ?? false
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
                if length >= 0 { lengthSuspect = true }
                if let v = decimal(b, vs, ve) { length = v } else { lengthSuspect = true }
            case 17 where matches(b + lineStart, "transfer-encoding"):
                chunked = contains(b + vs, ve - vs, "chunked")
            case 10 where matches(b + lineStart, "connection"):
                if contains(b + vs, ve - vs, "close") { c.closeAfter = true }
                if contains(b + vs, ve - vs, "keep-alive") { keepAliveToken = true }
            case 16 where matches(b + lineStart, "content-encoding"):
                // Go decodes only what its transport asked for, when the first value is "gzip" (any case).
                if !seenEncoding {
                    seenEncoding = true
                    c.gzip = addsGzip && ve - vs == 4 && matches(b + vs, "gzip")
                }
            case 8 where matches(b + lineStart, "location"):
                c.location = String(decoding: UnsafeBufferPointer(start: b + vs, count: ve - vs), as: UTF8.self)
            default: break
            }
        }
        if lengthSuspect,
            let problem = GoResponseRules.contentLengthProblem(
                UnsafeRawBufferPointer(start: b + c.start, count: headerEnd - c.start))
        {
            protocolError(c, slot, GoResponseRules.broken + problem)
            return false
        }
        if http10 && !keepAliveToken { c.closeAfter = true }
        setFraming(c, isHead: slot.wire?.isHead ?? false, status: status, chunked: chunked, length: length)
        return true
    }

    /// The decimal value of bytes `vs..<ve` at `b`, or nil when there are none, one is not a digit, or it is too
    /// large.
    @inline(__always)
    func decimal(_ b: UnsafeMutablePointer<UInt8>, _ vs: Int, _ ve: Int) -> Int? {
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
        return ok ? v : nil
    }

    /// How the body ends: no body (HEAD, 204, 304, 1xx), chunked, a length, or the connection's close.
    @inline(__always)
    func setFraming(_ c: NativeConnection, isHead: Bool, status: Int, chunked: Bool, length: Int) {
        defer {
            // Go wraps only a body that may have bytes (not HEAD, 204, 304, nor Content-Length: 0).
            if case .none = c.framing { c.gzip = false }
        }
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
    }

    /// Case-insensitive compare of `count(lower)` bytes at `p` with the lower-case ASCII `lower`.
    @inline(__always)
    func matches(_ p: UnsafeMutablePointer<UInt8>, _ lower: StaticString) -> Bool {
        let s = lower.utf8Start
        for k in 0..<lower.utf8CodeUnitCount where p[k] | 0x20 != s[k] && p[k] != s[k] { return false }
        return true
    }

    /// Whether the `count` bytes at `p` contain `token` (lower case), ignoring case.
    func contains(_ p: UnsafeMutablePointer<UInt8>, _ count: Int, _ token: StaticString) -> Bool {
        let n = token.utf8CodeUnitCount
        guard count >= n else { return false }
        for start in 0...(count - n) where matches(p + start, token) { return true }
        return false
    }
}
