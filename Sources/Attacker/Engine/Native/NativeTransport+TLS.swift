import BarrageCore
import CLinux
import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// TLS on the event loop: the non-blocking handshake after the TCP connect, record reads and writes, session
/// resumption with `-session-tickets`, and Go's words for what fails.
extension NativeTransport {
    /// What `tlsRead` returns when TLS itself failed (its text is then in `tlsFailure`).
    static let tlsFailed = -2

    /// Drives the handshake one step; on success the connection speaks what ALPN chose.
    func handshake(_ c: NativeConnection) {
        guard let ssl = c.tls else { return }
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            c.handshaking = false
            handshakeDone(c, ssl)
            return
        }
        switch SSL_get_error(ssl, rc) {
        case SSL_ERROR_WANT_READ: setOutputInterest(c, false)
        case SSL_ERROR_WANT_WRITE: setOutputInterest(c, true)
        case let e: handshakeFailed(c, handshakeFailureText(c, ssl, error: e))
        }
    }

    func handshakeDone(_ c: NativeConnection, _ ssl: OpaquePointer) {
        setOutputInterest(c, false)
        // Many small records (h2 frames, pipelined answers) come in one read from now; SSL_has_pending then says
        // more wait. Off during the handshake, so a plain-HTTP answer's bytes stay in the socket to be named.
        SSL_set_read_ahead(ssl, 1)
        let chosen = alpn(ssl)
        if chosen == "h2" {
            startH2(c)
            return
        }
        if tls.requiresH2 {
            // Go's HTTP/2-only transport (-h2c) over TLS.
            handshakeFailed(c, "http2: unexpected ALPN protocol \(goQuote(chosen)); want \"h2\"")
            return
        }
        markReady(c)
        if c.pool.speaks == .unknown { c.pool.speaks = .http1 }
        if c.slot != nil { writeRequest(c) } else { release(c, answered: false) }
        handOnPlaces(c.pool)  // hits that waited for a handshake place
    }

    /// After a failed write: the server's alert when one came before the reset (Go reads it: a TLS 1.3 server
    /// that refuses the client's certificate says so after the handshake), else nil.
    func alertAfterFailedWrite(_ c: NativeConnection) -> String? {
        guard let ssl = c.tls else { return nil }
        c.buffer = receiveBuffer
        c.capacity = NativeTransport.receiveCapacity
        c.start = 0
        c.end = 0
        let saved = errno
        defer { errno = saved }
        guard tlsRead(c, ssl) == NativeTransport.tlsFailed, tlsFailure.hasPrefix("remote error") else { return nil }
        return tlsFailure
    }

    /// The protocol ALPN chose ("" when none was).
    func alpn(_ ssl: OpaquePointer) -> String {
        var data: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The hit on a connection whose handshake failed ends with Go's `Method "url": ` and `text`.
    func handshakeFailed(_ c: NativeConnection, _ text: String) {
        guard let slot = c.slot, let target = slot.target, let wire = slot.wire else {
            closeConnection(c)
            return
        }
        slot.conn = nil
        closeConnection(c)
        fail(slot, "\(target.errorOp) \"\(wire.target.url)\": \(text)")
    }

    /// One `SSL_read` into the connection's buffer: bytes, 0 at the end of the stream, -1 with `errno` (EAGAIN
    /// when OpenSSL waits for the socket), or `tlsFailed`.
    func tlsRead(_ c: NativeConnection, _ ssl: OpaquePointer) -> Int {
        let n = SSL_read(ssl, c.buffer + c.end, Int32(clamping: c.capacity - c.end))
        if n > 0 { return Int(n) }
        let e = SSL_get_error(ssl, n)
        switch e {
        case SSL_ERROR_WANT_READ:
            errno = EAGAIN
            return -1
        case SSL_ERROR_WANT_WRITE:
            setOutputInterest(c, true)
            errno = EAGAIN
            return -1
        case SSL_ERROR_ZERO_RETURN:
            return 0
        case SSL_ERROR_SYSCALL where errno != 0:
            ERR_clear_error()
            return -1
        case SSL_ERROR_SYSCALL:
            ERR_clear_error()
            return 0
        default:
            tlsFailure = TLSFailure.queuedText()
            return NativeTransport.tlsFailed
        }
    }

    /// One `SSL_write` of `bytes` from `sent`: bytes written, or -1 with `errno` (EAGAIN when the socket is full).
    func tlsWrite(_ ssl: OpaquePointer, _ bytes: UnsafeRawBufferPointer, from sent: Int) -> Int {
        guard let base = bytes.baseAddress, sent < bytes.count else { return 0 }
        let n = SSL_write(ssl, base + sent, Int32(clamping: bytes.count - sent))
        if n > 0 { return Int(n) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            errno = EAGAIN
        case SSL_ERROR_SYSCALL where errno != 0:
            break
        default:
            errno = EPIPE
        }
        ERR_clear_error()
        return -1
    }

    /// Whether an idle connection's readable bytes were only TLS records for OpenSSL (a TLS 1.3 session ticket):
    /// false when the server sent data or closed it.
    func onlyTLSRecords(_ c: NativeConnection) -> Bool {
        guard let ssl = c.tls else { return false }
        var byte: UInt8 = 0
        let n = SSL_read(ssl, &byte, 1)
        if n > 0 { return false }
        let e = SSL_get_error(ssl, n)
        ERR_clear_error()
        return e == SSL_ERROR_WANT_READ
    }

    /// With `-session-tickets`, keeps the connection's session for the pool's next connections once it can be
    /// resumed (TLS 1.3 tickets arrive after the handshake).
    func keepSession(_ pool: HostPool, _ ssl: OpaquePointer) {
        guard tls.resumes, pool.session == nil, let s = SSL_get1_session(ssl) else { return }
        if SSL_SESSION_is_resumable(s) == 1 {
            pool.session = s
        } else {
            SSL_SESSION_free(s)
        }
    }

    /// Go's text for a failed handshake.
    func handshakeFailureText(_ c: NativeConnection, _ ssl: OpaquePointer, error e: Int32) -> String {
        defer { ERR_clear_error() }
        switch e {
        case SSL_ERROR_SYSCALL where errno != 0:
            return "read tcp \(endpoints(c)): read: " + errnoText(.go, code: errno)
        case SSL_ERROR_SYSCALL, SSL_ERROR_ZERO_RETURN:
            return "EOF"
        default:
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK, let host = c.pool.serverName {
                return "tls: failed to verify certificate: " + TLSFailure.verifyText(verify, ssl: ssl, host: host)
            }
            if TLSFailure.isRecordHeaderError() {
                ERR_clear_error()
                return TLSFailure.plainAnswerText(fd: c.fd)
            }
            return TLSFailure.queuedText()
        }
    }
}
