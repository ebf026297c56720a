import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// The attack's OpenSSL client settings, made once and shared by every loop (an `SSL_CTX` may make sessions on
/// any thread once set up): certificate checks unless `-insecure`, `-root-certs` or the system store, the
/// `-cert`/`-key` pair, ALPN as Go's transport offers it, and no session tickets unless `-session-tickets`.
final class TLSContext: @unchecked Sendable {
    /// `SSL_CTX *`, never changed after `init`.
    let context: OpaquePointer
    let verify: Bool
    /// Whether hosts are offered h2 (ALPN), and whether only h2 is (`-h2c` with an `https://` target, as Go's
    /// HTTP/2-only transport).
    let offersH2: Bool
    let requiresH2: Bool
    let resumes: Bool

    /// - Throws: `AttackError.tlsSetup` when OpenSSL refuses the certificates or key.
    init(options o: AttackOptions) throws(AttackError) {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw .tlsSetup(TLSContext.lastError()) }
        context = ctx
        verify = !o.insecure
        offersH2 = o.http2 || o.h2c
        requiresH2 = o.h2c
        resumes = o.sessionTickets
        // Go's client: TLS 1.2 and 1.3.
        _ = copenssl_ctx_set_min_version(ctx, copenssl_tls1_2)
        // Record buffers are freed between uses: thousands of connections cost little more than plain TCP ones.
        _ = copenssl_ctx_set_mode(
            ctx, copenssl_mode_partial_write | copenssl_mode_moving_buffer | copenssl_mode_release_buffers)
        if !o.sessionTickets { _ = SSL_CTX_set_options(ctx, copenssl_op_no_ticket) }
        // Go's crypto/tls reads a close without close_notify as the end of the stream (io.EOF), as plain TCP.
        _ = SSL_CTX_set_options(ctx, copenssl_op_ignore_unexpected_eof)
        SSL_CTX_set_verify(ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        if verify {
            if o.rootCertificates.isEmpty {
                _ = SSL_CTX_set_default_verify_paths(ctx)
            } else {
                try TLSContext.addRoots(o.rootCertificates, to: ctx)
            }
        }
        if !o.cert.isEmpty {
            guard SSL_CTX_use_certificate_chain_file(ctx, o.cert) == 1,
                SSL_CTX_use_PrivateKey_file(ctx, o.key.isEmpty ? o.cert : o.key, SSL_FILETYPE_PEM) == 1
            else { throw .tlsSetup(TLSContext.lastError()) }
        }
        // Go offers h2 before http/1.1 when HTTP/2 is on; without it, no ALPN at all.
        let protocols: [UInt8] =
            requiresH2 ? [2] + Array("h2".utf8) : [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8)
        if offersH2 {
            _ = protocols.withUnsafeBufferPointer { SSL_CTX_set_alpn_protos(ctx, $0.baseAddress, UInt32($0.count)) }
        }
    }

    deinit { SSL_CTX_free(context) }

    /// A client session for a connection on `fd` to `host` (the URL's host: SNI for names, and the name or
    /// address the certificate must show), resuming `session` when given.
    func session(fd: Int32, host: String, resuming session: OpaquePointer?) -> OpaquePointer? {
        guard let ssl = SSL_new(context) else { return nil }
        SSL_set_fd(ssl, fd)
        SSL_set_connect_state(ssl)
        let isIP = TLSContext.isIPLiteral(host)
        if !isIP { _ = copenssl_set_sni(ssl, host) }
        if verify {
            if isIP {
                _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
            } else {
                _ = SSL_set1_host(ssl, host)
            }
        }
        if let session { _ = SSL_set_session(ssl, session) }
        return ssl
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// Adds every certificate of a PEM bundle to the context's trust store.
    private static func addRoots(_ pem: [UInt8], to ctx: OpaquePointer) throws(AttackError) {
        guard let store = SSL_CTX_get_cert_store(ctx) else { throw .tlsSetup(lastError()) }
        let added = pem.withUnsafeBytes { raw -> Int in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(clamping: raw.count)) else { return 0 }
            defer { BIO_free(bio) }
            var count = 0
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
                if X509_STORE_add_cert(store, cert) == 1 { count += 1 }
                X509_free(cert)
            }
            return count
        }
        ERR_clear_error()  // the end of the bundle reads as an error
        if added == 0 { throw .tlsSetup("no certificates in -root-certs") }
    }

    /// OpenSSL's text for the oldest error queued on this thread (the queue is then emptied).
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "unknown error" }
        return String(cString: reason)
    }
}
