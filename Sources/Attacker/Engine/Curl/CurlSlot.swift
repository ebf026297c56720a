import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// One reusable transfer: an easy handle with its buffers. Owned by one `EventLoop`, touched only on its thread.
///
/// libcurl's write and header callbacks append into `body`/`headerBytes` through an unretained pointer to the
/// slot (`WRITEDATA`/`HEADERDATA`); the slot outlives its handle, which `deinit` frees.
final class Slot: PooledSlot {
    let index: Int
    let easy: UnsafeMutableRawPointer
    /// The first header node, `X-Vegeta-Seq: <n>`, owned here; its `next` points at the target's list.
    let seqNode: UnsafeMutablePointer<curl_slist>
    let seqText: UnsafeMutablePointer<CChar>
    let errorBuffer: UnsafeMutablePointer<CChar>
    var body: [UInt8] = []
    var headerBytes: [UInt8] = []
    /// Whether the body has begun (the header block is then final), and whether it is being gzip-decoded.
    var bodyStarted = false
    var decoding = false
    let gzip = GzipBody()
    /// Bytes of body to keep; negative keeps everything.
    let bodyLimit: Int
    var seq: UInt64 = 0
    var started: Int64 = 0
    /// The target the handle is configured for (retained while configured).
    var target: CurlRequest?

    static let seqPrefix = Array("X-Vegeta-Seq: ".utf8)

    init(index: Int, easy: UnsafeMutableRawPointer, bodyLimit: Int) {
        self.index = index
        self.easy = easy
        self.bodyLimit = bodyLimit
        seqText = UnsafeMutablePointer<CChar>.allocate(capacity: 48)
        seqText.initialize(repeating: 0, count: 48)
        for (i, c) in Slot.seqPrefix.enumerated() { seqText[i] = CChar(bitPattern: c) }
        seqNode = UnsafeMutablePointer<curl_slist>.allocate(capacity: 1)
        seqNode.initialize(to: curl_slist(data: seqText, next: nil))
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        // Small to start (slots may number in the thousands); they grow to what responses need and keep it.
        body.reserveCapacity(bodyLimit >= 0 ? min(bodyLimit, 512) : 512)
        headerBytes.reserveCapacity(512)
    }

    /// Writes the decimal `seq` after the prefix, NUL-terminated (no allocation).
    @inline(__always)
    func setSeq(_ seq: UInt64) {
        self.seq = seq
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var v = seq
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
            var p = Slot.seqPrefix.count
            var i = n
            while i > 0 {
                i -= 1
                seqText[p] = CChar(bitPattern: d[i])
                p += 1
            }
            seqText[p] = 0
        }
    }

    deinit {
        curl_easy_cleanup(easy)
        seqNode.deallocate()
        seqText.deallocate()
        errorBuffer.deallocate()
    }
}

/// libcurl's WRITEFUNCTION: keeps up to the slot's limit, reads and discards the rest (vegeta drains the body).
let slotWriteBody: ccurl_data_cb = { ptr, size, nmemb, userdata in
    let n = size * nmemb
    guard let userdata else { return n }
    let slot = Unmanaged<Slot>.fromOpaque(userdata).takeUnretainedValue()
    if !slot.bodyStarted {
        // Go decodes what its transport asked gzip for, when Content-Encoding is exactly gzip.
        slot.bodyStarted = true
        slot.decoding = (slot.target?.addsGzip ?? false) && GzipBody.isGzip(headerBlock: slot.headerBytes)
    }
    if slot.decoding {
        slot.gzip.feed(ptr, n, into: &slot.body, limit: slot.bodyLimit)
        return n
    }
    var keep = n
    if slot.bodyLimit >= 0 { keep = max(0, min(n, slot.bodyLimit - slot.body.count)) }
    if keep > 0 {
        slot.body.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: keep))
    }
    return n
}

/// libcurl's HEADERFUNCTION: collects the raw header block of the final response (a new status line starts over,
/// which drops 1xx and followed redirects).
let slotWriteHeader: ccurl_data_cb = { ptr, size, nmemb, userdata in
    let n = size * nmemb
    guard let userdata else { return n }
    let slot = Unmanaged<Slot>.fromOpaque(userdata).takeUnretainedValue()
    if n >= 5 && ptr[0] == 0x48 && ptr[1] == 0x54 && ptr[2] == 0x54 && ptr[3] == 0x50 && ptr[4] == 0x2f {  // "HTTP/"
        slot.headerBytes.removeAll(keepingCapacity: true)
    }
    slot.headerBytes.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: n))
    return n
}
