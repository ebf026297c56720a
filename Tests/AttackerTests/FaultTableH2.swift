/// What Go's HTTP/2 client (and so vegeta) records for each hostile answer of `H2FaultServer`'s `/fault?mode=M`,
/// over h2c with prior knowledge (vegeta `-h2c`: an `http2.Transport{AllowHTTP: true}`) and over TLS with ALPN h2
/// (vegeta's default `-http2`: `http2.ConfigureTransport` on the `http.Transport`). Both paths end in the same code
/// of golang.org/x/net/http2 v0.27.0 (vegeta v12.13.0's go.mod; net/http's bundled copy has the same wording), so
/// one table serves both.
///
/// Read from the source, function by function (x/net/http2/transport.go unless said): an error before the response
/// comes out of `ClientConn.RoundTrip`, and `http.Client.Do` wraps it in a `url.Error` (`Get "URL": ...`); an error
/// while reading the body is recorded bare, with code 0 and the body read so far (vegeta's `Attacker.hit`: the code
/// is set only after the body read succeeds). `Transport.RoundTripOpt` retries only `canRetryError` errors
/// (`errClientConnGotGoAway`, REFUSED_STREAM, PROTOCOL_ERROR resets from the peer): none of these modes makes one, so
/// no case depends on retry timing. Each case is one hit on a fresh connection, so its stream is 1 (Go's
/// `ClientConn.nextStreamID` starts at 1 and goes up by 2).
///
/// `{url}` stands for the target's URL. Cases whose HTTP/1 counterpart (`faultCases`) differ say so.
let h2FaultCases: [FaultCase] = [
    // The server reads the request, then FIN (no GOAWAY). `clientConnReadLoop.run` returns the `io.EOF` of
    // `Framer.ReadFrame`; `clientConnReadLoop.cleanup`, with no GOAWAY seen, turns `io.EOF` into
    // `io.ErrUnexpectedEOF` and aborts the open stream with it; `ClientConn.RoundTrip` returns `cs.abortErr`.
    // (HTTP/1 says "EOF": there `persistConn.readLoop` maps it differently.)
    FaultCase(mode: "close", code: 0, error: #"Get "{url}": unexpected EOF"#),
    // RST_STREAM INTERNAL_ERROR before any HEADERS. `clientConnReadLoop.processResetStream`: `streamError(id, code)`
    // with `Cause: errFromPeer`, then `cs.abortStream`; `StreamError.Error` (errors.go) prints
    // "stream error: stream ID %d; %v; %v". Not REFUSED_STREAM nor PROTOCOL_ERROR, so `canRetryError` is false.
    FaultCase(
        mode: "reset-before-headers", code: 0,
        error: #"Get "{url}": stream error: stream ID 1; INTERNAL_ERROR; received from peer"#),
    // GOAWAY (last stream 1, NO_ERROR, debug "fault goaway"), then FIN, the request unanswered.
    // `processGoAway` → `ClientConn.setGoAway` leaves stream 1 alone (it is <= LastStreamID: "the server will either
    // finish processing it, or close the connection without doing so"); at the EOF, `cleanup` sees `cc.goAway` and
    // `isEOFOrNetReadError`, so the stream is aborted with `GoAwayError`, whose `Error` prints LastStreamID, ErrCode
    // and the debug data with %q. `canRetryError(GoAwayError)` is false. (A GOAWAY whose LastStreamID is below the
    // stream would abort it with the retryable `errClientConnGotGoAway` instead: that is why the server names it.)
    FaultCase(
        mode: "goaway", code: 0,
        error:
            #"Get "{url}": http2: server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=NO_ERROR, debug="fault goaway""#
    ),
    // HEADERS (200, content-length 100), then RST_STREAM INTERNAL_ERROR. Both land before `ClientConn.RoundTrip`
    // looks; its select then prefers `respHeaderRecv` over `abort` ("the server probably wrote the response and
    // immediately reset the stream", golang.org/issue/49645), so the response is returned. `processResetStream` has
    // closed the body pipe with the same `StreamError`, which `transportResponseBody.Read` returns: a body error,
    // recorded bare with code 0 and an empty body.
    FaultCase(
        mode: "reset-after-headers", code: 0, error: "stream error: stream ID 1; INTERNAL_ERROR; received from peer",
        body: ""),
    // content-length 100, 10 bytes, END_STREAM. `clientConnReadLoop.endStream` closes the pipe with `io.EOF`;
    // `transportResponseBody.Read` turns it into `io.ErrUnexpectedEOF` while `cs.bytesRemain > 0`. Same as HTTP/1.
    FaultCase(mode: "short-body", code: 0, error: "unexpected EOF", body: "0123456789"),
    // content-length 99999999999999999999, 10 bytes, END_STREAM. `clientConnReadLoop.handleResponse` parses it with
    // `strconv.ParseUint(v, 10, 63)`, fails, and leaves ContentLength at -1 ("TODO: care? unlike http/1, it won't mess
    // up our framing"): the body is read to END_STREAM. (HTTP/1 fails: "bad Content-Length".)
    FaultCase(mode: "huge-length", code: 200, error: "", body: "0123456789"),
    // content-length 10 and content-length 20, then 20 bytes. `handleResponse` ignores a repeated content-length
    // (`len(clens) > 1`: the same TODO), so ContentLength is -1 and all 20 bytes are the body. (HTTP/1 fails.)
    FaultCase(mode: "two-lengths", code: 200, error: "", body: "xxxxxxxxxxxxxxxxxxxx"),
    // One 1 MiB header field in HEADERS + 64 CONTINUATION frames, then "ok". `Framer.readMetaFrame` takes fields up
    // to `Transport.maxHeaderListSize` (10 MiB when unset) and hpack strings up to the same (`maxHeaderStringLen`);
    // its "2 * remainSize" fragment check passes for 16 KiB fragments.
    FaultCase(mode: "header-flood", code: 200, error: "", body: "ok"),
    // ":status 999". `handleResponse` sets `Status: status + " " + http.StatusText(statusCode)`, and StatusText(999)
    // is "", so Status is "999 " with its trailing space; vegeta's `hit` records Status as the error for a code of
    // 400 or more. (HTTP/1 keeps the server's reason: "999 Weird".)
    FaultCase(mode: "status-999", code: 999, error: "999 ", body: "ok"),
    // ":status abc". `handleResponse`: `strconv.Atoi` fails → "malformed response from server: malformed
    // non-numeric status pseudo header"; `clientConnReadLoop.processHeaders` wraps any non-connection error as
    // `StreamError{Code: ErrCodeProtocol, Cause: err}` and aborts the stream (`endStreamError`). Not from the peer,
    // so no retry.
    FaultCase(
        mode: "status-abc", code: 0,
        error:
            #"Get "{url}": stream error: stream ID 1; PROTOCOL_ERROR; malformed response from server: malformed non-numeric status pseudo header"#
    ),
    // 302 to itself. net/http's `Client.do` asks vegeta's CheckRedirect (lib/attack.go `Redirects`: "stopped after
    // %d redirects" once len(via) > 10) and wraps the error in `url.Error` with the URL it was about to follow (the
    // same one). Same as HTTP/1; each redirect is a new stream on the same connection.
    FaultCase(mode: "redirect-loop", code: 0, error: #"Get "{url}": stopped after 10 redirects"#),
    // 50 bytes promised, one every 100 ms, against -timeout=500ms. `Client.Timeout` becomes a context deadline
    // (net/http `setRequestCancel`: both transports are `knownRoundTripperImpl`s); `clientStream.writeRequest`'s wait
    // for END_STREAM returns `ctx.Err()`, `clientStream.cleanupWriteRequest` closes the body pipe with it, and
    // net/http's `cancelTimerBody.Read` appends its suffix because `didTimeout` is true. Same as HTTP/1; how many bytes
    // came first varies, so the body is not compared.
    FaultCase(
        mode: "slow-body", code: 0,
        error: "context deadline exceeded (Client.Timeout or context cancellation while reading body)",
        timeout: 500_000_000),
    // A sound 200 "ok" (content-length 2).
    FaultCase(mode: "ok", code: 200, error: "", body: "ok"),
]

/// The nginx answer to a TLS client without the certificate `NginxServer.mtlsPort` requires (237 bytes, CRLF lines).
let nginxNoClientCertificateBody =
    "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n"
    + "<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n"
    + "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"

/// What Go (and so vegeta) records for HTTPS-specific failures, over HTTP/1.1 and h2 alike (each fails in the TLS
/// handshake, before ALPN matters, unless said). `mode` names the setup, described above each case; the client trusts
/// `TestCertificates.ca` (`-root-certs`) and sends no client certificate. `{url}` is the target's URL; `{now}` is the
/// time of the handshake as Go's `time.Time.Format(time.RFC3339)` prints it (local time: `2026-12-03T18:20:00Z` on
/// machines set to UTC).
///
/// The TLS errors come from crypto/tls: `Conn.verifyServerCertificate` (handshake_client.go) wraps a failed
/// `x509.Certificate.Verify` as `&CertificateVerificationError{Err: err}`, printed "tls: failed to verify certificate:
/// %s" (Go 1.20+); net/http's `persistConn.addTLS` returns the handshake error as it is, `Transport.roundTrip`
/// returns `getConn`'s error unchanged, and `Client.do` wraps it in `url.Error`.
let tlsFaultCases: [FaultCase] = [
    // Server: `TestServer(extra: ["--tls", certs.otherServerCert, certs.otherServerKey])` (or `H2FaultServer` with
    // them). `x509.Certificate.Verify` finds no chain to a trusted root: `UnknownAuthorityError.Error` is
    // "x509: certificate signed by unknown authority", without the "(possibly because of ...)" hint, which is only
    // for a root with the issuer's name whose signature check failed (the other CA's name differs).
    FaultCase(
        mode: "unknown-authority", code: 0,
        error: #"Get "{url}": tls: failed to verify certificate: x509: certificate signed by unknown authority"#),
    // Server: `--tls certs.expiredServerCert certs.expiredServerKey` (valid 2020-01-01 to 2020-01-02, signed by the
    // trusted CA). `Verify` checks the leaf's dates first (`Certificate.isValid`, before any chain or name):
    // `CertificateInvalidError{Reason: Expired, Detail: "current time %s is after %s"}`, both RFC 3339, then
    // `CertificateInvalidError.Error` puts "x509: certificate has expired or is not yet valid: " before the detail.
    FaultCase(
        mode: "expired", code: 0,
        error:
            #"Get "{url}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {now} is after 2020-01-02T00:00:00Z"#
    ),
    // Server: `--tls certs.wrongHostServerCert certs.wrongHostServerKey` (SANs DNS:wrong.example, IP:127.0.0.2),
    // target https://127.0.0.1:PORT/. The chain verifies; then `Verify` calls `VerifyHostname(opts.DNSName)` (the
    // ServerName, which net/http sets to the URL's host, an IP here) and `HostnameError.Error`, for an IP host,
    // lists the certificate's IP SANs: "x509: certificate is valid for %s, not %s".
    FaultCase(
        mode: "wrong-host-ip", code: 0,
        error:
            #"Get "{url}": tls: failed to verify certificate: x509: certificate is valid for 127.0.0.2, not 127.0.0.1"#
    ),
    // The same server, target https://localhost:PORT/: for a name, `HostnameError.Error` lists the DNS SANs.
    FaultCase(
        mode: "wrong-host-name", code: 0,
        error:
            #"Get "{url}": tls: failed to verify certificate: x509: certificate is valid for wrong.example, not localhost"#
    ),
    // Server: `H2FaultServer(certificate: certs.serverCert, key: certs.serverKey, clientCA: certs.ca, tlsMax12: true)`:
    // OpenSSL requiring a client certificate (SSL_VERIFY_FAIL_IF_NO_PEER_CERT) over TLS 1.2. Go's client sends an
    // empty Certificate message; OpenSSL's `tls_process_client_certificate` fails the handshake with an alert that
    // TLS 1.2 carries as handshake_failure (40) (curl: "sslv3 alert handshake failure"). Go's `Conn.readRecordOrCCS`
    // stores `&net.OpError{Op: "remote error", Err: alert(40)}`, printed "remote error: tls: handshake failure", and
    // the client handshake (waiting for the server's Finished) returns it.
    FaultCase(
        mode: "client-certificate-required-tls12", code: 0, error: #"Get "{url}": remote error: tls: handshake failure"#
    ),
    // Server: `NginxServer.mtlsPort` (`ssl_verify_client on`): nginx completes the handshake without a certificate
    // and answers 400. Over h2 `handleResponse` builds Status from `http.StatusText(400)`, over HTTP/1 it is nginx's
    // reason: both "400 Bad Request", recorded as the error (code >= 400).
    FaultCase(
        mode: "client-certificate-nginx", code: 400, error: "400 Bad Request", body: nginxNoClientCertificateBody),
    // Server: `NginxServer.httpPort` (plain HTTP) with an https:// URL. nginx answers the ClientHello with
    // "HTTP/1.1 400 Bad Request"; crypto/tls's `Conn.readRecordOrCCS` fails with `RecordHeaderError` ("first record
    // does not look like a TLS handshake") holding the 5 bytes "HTTP/", and net/http's `send` (client.go) replaces
    // such an error with `ErrSchemeMismatch`. (Use nginx, not server.py: Python's http.server answers a request line
    // it cannot parse as HTTP/0.9, without a status line, and only once the ClientHello happens to hold a newline.)
    FaultCase(
        mode: "https-to-plain-http", code: 0, error: #"Get "{url}": http: server gave HTTP response to HTTPS client"#),
]

/// A client certificate missing over TLS 1.3 (`TestServer(extra: ["--tls", ..., "--client-ca", certs.ca])`, or
/// `H2FaultServer(..., clientCA: certs.ca)`): Go's `Conn.Handshake` succeeds (a TLS 1.3 client finishes before the
/// server has checked its certificate), the request goes out, and OpenSSL then sends the certificate_required alert
/// (116) and closes. Go records one of two outcomes, by timing, so the case is not in `tlsFaultCases`: the alert
/// (HTTP/1: `persistConn.readLoop`'s failed Peek, unwrapped from `transportReadFromServerError` by
/// `Transport.roundTrip`; h2: `clientConnReadLoop.cleanup` aborts the stream with the read error), or, when the
/// server's reset of the unread request overtakes it, the reset (`{read}` as in `faultCases`). curl and Python's
/// requests show the same race (FetchTests' TLSTests).
let tls13MissingClientCertificateErrors = [
    #"Get "{url}": remote error: tls: certificate required"#,
    #"Get "{url}": {read}: read: connection reset by peer"#,
]
