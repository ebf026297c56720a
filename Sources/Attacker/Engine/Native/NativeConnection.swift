#if canImport(Glibc)
    import Glibc
#endif

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
    /// The OpenSSL session (`SSL *`) of an `https://` connection, nil on plain TCP; freed when it closes.
    var tls: OpaquePointer?
    /// TLS handshake under way (after the TCP connect, before the first request byte).
    var handshaking = false
    /// The HTTP/2 session once the connection speaks h2 (its hits are streams; `slot` stays nil).
    var h2: H2Session?
    /// Frames are waiting to be written (it is on the transport's list to flush).
    var h2Dirty = false
    /// Counted in its pool's `pending` until it can carry requests (connected, handshake done).
    var pendingReady = false
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
    /// Bytes past `start` already searched for the end of the header block.
    var headerScanned = 0
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
        headerScanned = 0
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
