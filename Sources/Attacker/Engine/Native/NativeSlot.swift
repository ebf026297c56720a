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
    var target: WireRequest?
    /// The request being sent: the target's, or a redirect's.
    var wire: WireRequest?
    var redirects = 0
    /// A request that failed on a reused connection before any answer is sent again once, on a new one.
    var retried = false
    /// The slot's own bytes of the request (the head and the sequence digits); the rest is the request's shared
    /// tail, sent from where it is (`sendmsg` with both).
    var out: [UInt8] = []
    /// Bytes of the whole request (`out` and the tail), and how many went out.
    var outTotal = 0
    var outSent = 0
    var conn: NativeConnection?
    var body: [UInt8] = []
    /// Decodes a gzip body as it arrives.
    let gzip = GzipBody()
    var headerBytes: [UInt8] = []
    // An HTTP/2 stream's state (the connection's own fields serve HTTP/1.1).
    /// The stream carrying the hit (0: none).
    var h2Stream: Int32 = 0
    var h2Status = 0
    /// The final response's header block is in (what follows is body and trailers).
    var h2HeadersDone = false
    var h2Gzip = false
    var h2SeenEncoding = false
    var h2Location = ""
    /// Bytes of the request body handed to nghttp2.
    var h2BodySent = 0
    /// Body bytes the response's content-length still promises (-1: none promised, or not to be checked).
    var h2Remaining = -1
    var h2SeenLength = false
    /// The server reset the stream (RST_STREAM), as opposed to this end.
    var h2ResetByPeer = false
    /// Why this end refused the response (Go's text), or "".
    var h2LocalError = ""

    /// Whether the response's head is in and its body is being read.
    var inBody: Bool { conn.map { $0.h2 == nil ? $0.inBody : h2HeadersDone } ?? false }

    func resetH2() {
        h2Status = 0
        h2HeadersDone = false
        h2Gzip = false
        h2SeenEncoding = false
        h2Location = ""
        h2BodySent = 0
        h2Remaining = -1
        h2SeenLength = false
        h2ResetByPeer = false
        h2LocalError = ""
        body.removeAll(keepingCapacity: true)
        gzip.reset()
        headerBytes.removeAll(keepingCapacity: true)
    }

    init(index: Int) {
        self.index = index
        out.reserveCapacity(256)
        headerBytes.reserveCapacity(256)
    }
}
