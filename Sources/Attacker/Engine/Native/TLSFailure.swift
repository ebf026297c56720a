import BarrageCore
import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Go's words (`crypto/tls`, `crypto/x509`) for what OpenSSL reports: certificate checks, the server's alerts,
/// and an answer that is not TLS at all.
enum TLSFailure {
    /// Go's text for the error OpenSSL queued: the server's alert (`remote error: tls: bad certificate`), else
    /// `tls: ` and OpenSSL's reason. Empties the queue.
    static func queuedText() -> String {
        let code = ERR_peek_error()
        defer { ERR_clear_error() }
        let reason = copenssl_err_reason(code)
        if copenssl_err_lib(code) == copenssl_lib_ssl && reason > copenssl_ad_reason_offset {
            return "remote error: tls: " + alertText(reason - copenssl_ad_reason_offset)
        }
        guard code != 0, let text = ERR_reason_error_string(code) else { return "tls: internal error" }
        return "tls: " + String(cString: text)
    }

    /// Whether the queued error says the first bytes were not a TLS record (a plain-HTTP server, say).
    static func isRecordHeaderError() -> Bool {
        let code = ERR_peek_error()
        guard copenssl_err_lib(code) == copenssl_lib_ssl else { return false }
        let reason = copenssl_err_reason(code)
        return reason == copenssl_r_wrong_version_number || reason == copenssl_r_packet_length_too_long
    }

    /// Go reads the first record's five header bytes and names a plain-HTTP answer (`HTTP/`). OpenSSL consumed
    /// those five; the rest of an HTTP status line (`1.1 400 ...`) is still in the socket.
    static func plainAnswerText(fd: Int32) -> String {
        var rest = [UInt8](repeating: 0, count: 4)
        let n = recv(fd, &rest, 4, Int32(MSG_PEEK | MSG_DONTWAIT))
        if n == 4 && rest[0] == 0x31 && rest[1] == 0x2e && rest[3] == 0x20 {
            return "http: server gave HTTP response to HTTPS client"
        }
        return "tls: first record does not look like a TLS handshake"
    }

    /// `x509: ...` for a failed certificate check of `host`, as Go's verifier words it.
    static func verifyText(_ result: Int, ssl: OpaquePointer, host: String) -> String {
        let leaf = peerLeaf(ssl)
        switch Int32(result) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
            X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
            return "x509: certificate signed by unknown authority"
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID:
            let expired = Int32(result) == X509_V_ERR_CERT_HAS_EXPIRED
            let bound = leaf.flatMap { expired ? X509_get0_notAfter($0) : X509_get0_notBefore($0) }
            let now = Int64(time(nil))
            guard let limit = bound.flatMap(unixTime) else {
                return "x509: certificate has expired or is not yet valid"
            }
            return "x509: certificate has expired or is not yet valid: current time \(goTime(now)) is "
                + (expired ? "after " : "before ") + goTime(limit)
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            return leaf.map { hostnameText($0, host: host) } ?? "x509: certificate is not valid for \(host)"
        default:
            return "x509: " + String(cString: X509_verify_cert_error_string(result))
        }
    }

    /// The server's certificate (the first of the chain it sent), kept by the session.
    private static func peerLeaf(_ ssl: OpaquePointer) -> OpaquePointer? {
        if let leaf = SSL_get0_peer_certificate(ssl) { return leaf }
        guard let chain = SSL_get_peer_cert_chain(ssl), OPENSSL_sk_num(chain) > 0 else { return nil }
        return OpaquePointer(OPENSSL_sk_value(chain, 0))
    }

    /// Go's `HostnameError.Error()`: the names (or IP addresses) the certificate is valid for.
    private static func hostnameText(_ cert: OpaquePointer, host: String) -> String {
        let (names, addresses) = subjectAltNames(cert)
        if TLSContext.isIPLiteral(host) {
            if addresses.isEmpty {
                return "x509: cannot validate certificate for \(host) because it doesn't contain any IP SANs"
            }
            return "x509: certificate is valid for \(addresses.joined(separator: ", ")), not \(host)"
        }
        if names.isEmpty && addresses.isEmpty {
            return "x509: certificate relies on legacy Common Name field, use SANs instead"
        }
        if names.isEmpty { return "x509: certificate is not valid for any names, but wanted to match \(host)" }
        return "x509: certificate is valid for \(names.joined(separator: ", ")), not \(host)"
    }

    /// The DNS names and IP addresses of the certificate's subjectAltName extension.
    private static func subjectAltNames(_ cert: OpaquePointer) -> (names: [String], addresses: [String]) {
        guard let raw = X509_get_ext_d2i(cert, NID_subject_alt_name, nil, nil) else { return ([], []) }
        let stack = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(stack) }
        var names: [String] = []
        var addresses: [String] = []
        for i in 0..<OPENSSL_sk_num(stack) {
            guard let entry = OPENSSL_sk_value(stack, i)?.assumingMemoryBound(to: GENERAL_NAME.self) else { continue }
            let kind = entry.pointee.type
            guard let value = entry.pointee.d.ia5, let bytes = ASN1_STRING_get0_data(value) else { continue }
            let data = UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(value)))
            if kind == GEN_DNS {
                names.append(String(decoding: data, as: UTF8.self))
            } else if kind == GEN_IPADD {
                addresses.append(ipText(Array(data)))
            }
        }
        return (names, addresses)
    }

    /// Go's `net.IP.String()` of 4 or 16 address bytes.
    static func ipText(_ bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard bytes.count == 4 || bytes.count == 16, inet_ntop(family, bytes, &text, 64) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func unixTime(_ t: UnsafePointer<ASN1_TIME>) -> Int64? {
        var parts = tm()
        guard ASN1_TIME_to_tm(t, &parts) == 1 else { return nil }
        return Int64(timegm(&parts))
    }

    /// `time.RFC3339` in UTC, as Go prints certificate times.
    private static func goTime(_ seconds: Int64) -> String {
        RFC3339.string(seconds: seconds, nanoseconds: 0, utcOffset: 0, .goNano)
    }

    /// Go's `alert.String()` texts.
    static func alertText(_ code: Int32) -> String {
        switch code {
        case 0: return "close notify"
        case 10: return "unexpected message"
        case 20: return "bad record MAC"
        case 21: return "decryption failed"
        case 22: return "record overflow"
        case 30: return "decompression failure"
        case 40: return "handshake failure"
        case 42: return "bad certificate"
        case 43: return "unsupported certificate"
        case 44: return "revoked certificate"
        case 45: return "expired certificate"
        case 46: return "unknown certificate"
        case 47: return "illegal parameter"
        case 48: return "unknown certificate authority"
        case 49: return "access denied"
        case 50: return "error decoding message"
        case 51: return "error decrypting message"
        case 70: return "protocol version not supported"
        case 71: return "insufficient security level"
        case 80: return "internal error"
        case 86: return "inappropriate fallback"
        case 90: return "user canceled"
        case 100: return "no renegotiation"
        case 109: return "missing extension"
        case 110: return "unsupported extension"
        case 112: return "unrecognized name"
        case 113: return "bad certificate status response"
        case 115: return "unknown PSK identity"
        case 116: return "certificate required"
        case 120: return "no application protocol"
        default: return "alert(\(code))"
        }
    }
}
