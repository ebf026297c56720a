import BarrageCore
import CCurl
import CLinux
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The libcurl transport of one event-loop thread: a multi handle driven by the socket-action API on the loop's
/// epoll set. Thread-confined: built, run and destroyed on its thread.
final class CurlTransport: EngineTransport {
    let core: LoopCore
    let shared: EngineShared
    /// The lists and proxy settings every libcurl loop shares.
    let curlShared: CurlShared
    let multi: UnsafeMutableRawPointer
    /// Monotonic deadline of libcurl's timer, or -1.
    var timerDeadline: Int64 = -1
    var slots: SlotPool<Slot>
    var inFlight = 0
    /// The epoll interest registered per socket (indexed by fd; 0 = none), to skip repeated `epoll_ctl`s.
    var registered = [UInt32](repeating: 0, count: 65536)
    /// The clock read of the current loop round (libcurl's timer callback uses it instead of reading again).
    var roundNow: Int64 = 0

    init(core: LoopCore, curlShared: CurlShared, maxSlots: Int) throws(CurlError) {
        self.core = core
        shared = core.shared
        self.curlShared = curlShared
        slots = SlotPool(cap: maxSlots)
        guard let m = curl_multi_init() else { throw CurlError("curl_multi_init", message: "failed") }
        multi = m
        let me = Unmanaged.passUnretained(self).toOpaque()
        var mc = ccurl_multi_setopt_socket_cb(multi, eventLoopSocketCallback)
        mc = mc == CURLM_OK ? ccurl_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me) : mc
        mc = mc == CURLM_OK ? ccurl_multi_setopt_timer_cb(multi, eventLoopTimerCallback) : mc
        mc = mc == CURLM_OK ? ccurl_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me) : mc
        let opts = shared.options
        let perLoop = { (v: Int) in max(1, (v + core.shared.loopCount - 1) / core.shared.loopCount) }
        mc = mc == CURLM_OK ? ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, perLoop(opts.connections)) : mc
        if opts.maxConnections > 0 && mc == CURLM_OK {
            mc = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, perLoop(opts.maxConnections))
        }
        guard mc == CURLM_OK else { throw CurlError("curl_multi_setopt", multi: mc) }
        let initial = min(slots.cap, max(1, Int(clamping: opts.workers) / shared.loopCount))
        for _ in 0..<initial { try addSlot() }
    }

    deinit {
        for slot in slots.all where slot.target != nil { curl_multi_remove_handle(multi, slot.easy) }
        slots = SlotPool(cap: 1)
        curl_multi_cleanup(multi)
    }

    // MARK: handles

    private func addSlot() throws(CurlError) {
        guard let easy = curl_easy_init() else { throw CurlError("curl_easy_init", message: "failed") }
        let slot = Slot(index: slots.count, easy: easy, bodyLimit: core.bodyLimit)
        try configure(slot)
        slots.add(slot)
    }

    /// Options set once per handle; per-request work is only the sequence header and, when it changes, the target.
    private func configure(_ slot: Slot) throws(CurlError) {
        try configureCallbacks(slot)
        let e = slot.easy
        let o = shared.options
        try configureHTTP(e, o)
        try configureTLS(e, o)
        try configureConnections(e, o)
    }

    /// The slot's callbacks, buffers and fixed request headers.
    private func configureCallbacks(_ slot: Slot) throws(CurlError) {
        let e = slot.easy
        let me = Unmanaged.passUnretained(slot).toOpaque()
        try check(ccurl_easy_setopt_long(e, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        // Each handle keeps its receive buffer for life; 8 KiB (libcurl's default is 16) keeps memory low when
        // a late schedule grows the number of transfers, at no cost for typical responses.
        try check(ccurl_easy_setopt_long(e, CURLOPT_BUFFERSIZE, 8192), "CURLOPT_BUFFERSIZE")
        try check(ccurl_easy_setopt_write_cb(e, CURLOPT_WRITEFUNCTION, slotWriteBody), "CURLOPT_WRITEFUNCTION")
        try check(ccurl_easy_setopt_ptr(e, CURLOPT_WRITEDATA, me), "CURLOPT_WRITEDATA")
        try check(ccurl_easy_setopt_write_cb(e, CURLOPT_HEADERFUNCTION, slotWriteHeader), "CURLOPT_HEADERFUNCTION")
        try check(ccurl_easy_setopt_ptr(e, CURLOPT_HEADERDATA, me), "CURLOPT_HEADERDATA")
        try check(
            ccurl_easy_setopt_ptr(e, CURLOPT_PRIVATE, UnsafeMutableRawPointer(bitPattern: slot.index + 1)),
            "CURLOPT_PRIVATE")
        try check(ccurl_easy_setopt_ptr(e, CURLOPT_ERRORBUFFER, slot.errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(ccurl_easy_setopt_slist(e, CURLOPT_HTTPHEADER, slot.seqNode), "CURLOPT_HTTPHEADER")
        try check(ccurl_easy_setopt_str(e, CURLOPT_USERAGENT, "Go-http-client/1.1"), "CURLOPT_USERAGENT")
    }

    /// Content decoding, timeout, redirects and HTTP version.
    private func configureHTTP(_ e: UnsafeMutableRawPointer, _ o: AttackOptions) throws(CurlError) {
        // Gzip is asked for in the target's header list (as Go: not for HEAD, nor when the target sets its own
        // Accept-Encoding or a Range) and decoded by `GzipBody` with Go's rules, not by libcurl.
        try check(ccurl_easy_setopt_long(e, CURLOPT_HTTP_CONTENT_DECODING, 0), "CURLOPT_HTTP_CONTENT_DECODING")
        try check(
            ccurl_easy_setopt_long(e, CURLOPT_TIMEOUT_MS, Int(max(0, o.timeout) / 1_000_000)), "CURLOPT_TIMEOUT_MS")
        // -redirects=-1 returns the 3xx; below -1 every redirect fails, as Go's check `n < len(via)` does.
        if o.redirects != -1 {
            try check(ccurl_easy_setopt_long(e, CURLOPT_FOLLOWLOCATION, 1), "CURLOPT_FOLLOWLOCATION")
            try check(ccurl_easy_setopt_long(e, CURLOPT_MAXREDIRS, max(0, o.redirects)), "CURLOPT_MAXREDIRS")
        }
        let version = o.h2c ? ccurl_http_version_2_prior : (o.http2 ? ccurl_http_version_2tls : ccurl_http_version_1_1)
        try check(ccurl_easy_setopt_long(e, CURLOPT_HTTP_VERSION, version), "CURLOPT_HTTP_VERSION")
        // Go's client offers no ALPN at all without HTTP/2.
        if !o.http2 && !o.h2c {
            try check(ccurl_easy_setopt_long(e, CURLOPT_SSL_ENABLE_ALPN, 0), "CURLOPT_SSL_ENABLE_ALPN")
        }
    }

    /// Certificate checks, client certificate, root certificates and session resumption.
    private func configureTLS(_ e: UnsafeMutableRawPointer, _ o: AttackOptions) throws(CurlError) {
        if o.insecure {
            try check(ccurl_easy_setopt_long(e, CURLOPT_SSL_VERIFYPEER, 0), "CURLOPT_SSL_VERIFYPEER")
            try check(ccurl_easy_setopt_long(e, CURLOPT_SSL_VERIFYHOST, 0), "CURLOPT_SSL_VERIFYHOST")
        }
        if !o.cert.isEmpty {
            try check(ccurl_easy_setopt_str(e, CURLOPT_SSLCERT, o.cert), "CURLOPT_SSLCERT")
            try check(ccurl_easy_setopt_str(e, CURLOPT_SSLKEY, o.key.isEmpty ? o.cert : o.key), "CURLOPT_SSLKEY")
        }
        if !o.rootCertificates.isEmpty {
            var blob = o.rootCertificates
            let rc = blob.withUnsafeMutableBytes { raw -> CURLcode in
                var b = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
                return ccurl_easy_setopt_ptr(e, CURLOPT_CAINFO_BLOB, &b)
            }
            try check(rc, "CURLOPT_CAINFO_BLOB")
            try check(ccurl_easy_setopt_str(e, CURLOPT_CAPATH, nil), "CURLOPT_CAPATH")
        }
        try check(
            ccurl_easy_setopt_long(e, CURLOPT_SSL_SESSIONID_CACHE, o.sessionTickets ? 1 : 0),
            "CURLOPT_SSL_SESSIONID_CACHE")
    }

    /// Local address, Unix socket, connect-to and proxy lists, DNS, proxy and connection reuse.
    private func configureConnections(_ e: UnsafeMutableRawPointer, _ o: AttackOptions) throws(CurlError) {
        if !o.localAddress.isEmpty && o.localAddress != "0.0.0.0" {
            try check(ccurl_easy_setopt_str(e, CURLOPT_INTERFACE, "host!" + o.localAddress), "CURLOPT_INTERFACE")
        }
        if !o.unixSocket.isEmpty {
            try check(ccurl_easy_setopt_str(e, CURLOPT_UNIX_SOCKET_PATH, o.unixSocket), "CURLOPT_UNIX_SOCKET_PATH")
        }
        if let list = curlShared.connectTo.list {
            try check(ccurl_easy_setopt_slist(e, CURLOPT_CONNECT_TO, list), "CURLOPT_CONNECT_TO")
        }
        if let list = curlShared.proxyHeaders.list {
            try check(ccurl_easy_setopt_slist(e, CURLOPT_PROXYHEADER, list), "CURLOPT_PROXYHEADER")
            try check(ccurl_easy_setopt_long(e, CURLOPT_HEADEROPT, Int(CURLHEADER_SEPARATE)), "CURLOPT_HEADEROPT")
        }
        // vegeta: 0 caches forever, -1 disables; libcurl: -1 forever, 0 disables, else seconds.
        let ttl = o.dnsTTL == 0 ? -1 : (o.dnsTTL < 0 ? 0 : max(1, Int(o.dnsTTL / 1_000_000_000)))
        try check(ccurl_easy_setopt_long(e, CURLOPT_DNS_CACHE_TIMEOUT, ttl), "CURLOPT_DNS_CACHE_TIMEOUT")
        if !o.resolvers.isEmpty {
            let servers = o.resolvers.joined(separator: ",")
            try check(ccurl_easy_setopt_str(e, CURLOPT_DNS_SERVERS, servers), "-resolvers (CURLOPT_DNS_SERVERS)")
        }
        // libcurl would read the proxy variables from the environment on every transfer; read them once.
        try check(ccurl_easy_setopt_str(e, CURLOPT_PROXY, curlShared.proxy.url), "CURLOPT_PROXY")
        if let noProxy = curlShared.proxy.noProxy {
            try check(ccurl_easy_setopt_str(e, CURLOPT_NOPROXY, noProxy), "CURLOPT_NOPROXY")
        }
        if !o.keepAlive {
            try check(ccurl_easy_setopt_long(e, CURLOPT_FORBID_REUSE, 1), "CURLOPT_FORBID_REUSE")
            try check(ccurl_easy_setopt_long(e, CURLOPT_FRESH_CONNECT, 1), "CURLOPT_FRESH_CONNECT")
        } else if o.connections < 0 {
            // Go keeps no idle connection when -connections is below 0: each is closed after its response.
            try check(ccurl_easy_setopt_long(e, CURLOPT_FORBID_REUSE, 1), "CURLOPT_FORBID_REUSE")
        }
    }

    /// Points the handle at `t` (only when it differs from the target it was set up for).
    @inline(__always)
    private func apply(_ t: CurlRequest, to slot: Slot) -> CURLcode {
        if slot.target === t { return CURLE_OK }
        slot.target = t
        let e = slot.easy
        slot.seqNode.pointee.next = t.headers
        var rc = ccurl_easy_setopt_str(e, CURLOPT_URL, t.curlURL)
        if t.sendsBody {
            // An empty body still needs a non-null POSTFIELDS; with size 0 libcurl reads none of it.
            rc = rc == CURLE_OK ? ccurl_easy_setopt_off(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t.bodyCount)) : rc
            rc =
                rc == CURLE_OK
                ? ccurl_easy_setopt_ptr(e, CURLOPT_POSTFIELDS, t.body ?? UnsafeMutableRawPointer(t.curlURL)) : rc
        } else {
            rc = rc == CURLE_OK ? ccurl_easy_setopt_long(e, CURLOPT_HTTPGET, 1) : rc
        }
        rc = rc == CURLE_OK ? ccurl_easy_setopt_long(e, CURLOPT_NOBODY, t.isHead ? 1 : 0) : rc
        rc = rc == CURLE_OK ? ccurl_easy_setopt_ptr(e, CURLOPT_CUSTOMREQUEST, t.customMethod) : rc
        return rc
    }

    // MARK: the transport interface

    func takeIdleSlot() -> Bool { slots.reserve() }

    func growSlot() -> Bool {
        guard slots.canGrow else { return false }
        do throws(CurlError) {
            try addSlot()
        } catch {
            return false
        }
        return slots.reserve()
    }

    func returnSlot() { slots.unreserve() }

    func send(seq: UInt64, target: CurlRequest, now: Int64) {
        guard let slot = slots.claim() else { return }
        slot.setSeq(seq)
        slot.started = now
        slot.body.removeAll(keepingCapacity: true)
        slot.headerBytes.removeAll(keepingCapacity: true)
        slot.bodyStarted = false
        slot.decoding = false
        slot.gzip.reset()
        var rc = apply(target, to: slot)
        var mc = CURLM_OK
        if rc == CURLE_OK {
            mc = curl_multi_add_handle(multi, slot.easy)
        }
        if rc != CURLE_OK || mc != CURLM_OK {
            if rc == CURLE_OK { rc = CURLE_FAILED_INIT }
            slots.free(slot)
            var r = core.result(seq: seq, target: target, started: now, end: now)
            r.latency = 0
            r.error = "\(target.errorOp) \"\(target.url)\": " + String(cString: curl_easy_strerror(rc))
            core.batch.append(r)
            return
        }
        inFlight += 1
    }

    func poll(wait callerWait: Int64, now: Int64) -> Int64 {
        roundNow = now
        // Sleep until a socket is ready, libcurl's timer fires, or the next hit is due.
        var wait = callerWait
        if timerDeadline >= 0 {
            let t = max(0, timerDeadline - now)
            wait = wait < 0 ? t : min(wait, t)
        }
        // Safety net: with transfers running, never sleep more than a second without letting libcurl look.
        var safetyWait = false
        if inFlight > 0 && (wait < 0 || wait > 1_000_000_000) {
            wait = 1_000_000_000
            safetyWait = true
        }
        let count = core.wait(wait)
        var running: Int32 = 0
        core.forEachEvent(count) { ev in
            var flags: Int32 = 0
            if ev.events & (EPOLLIN.rawValue | EPOLLHUP.rawValue) != 0 { flags |= ccurl_cselect_in }
            if ev.events & EPOLLOUT.rawValue != 0 { flags |= ccurl_cselect_out }
            if ev.events & EPOLLERR.rawValue != 0 { flags |= ccurl_cselect_err }
            curl_multi_socket_action(multi, Int32(truncatingIfNeeded: ev.data.u64), flags, &running)
        }
        var after = OSClock.monotonicNanoseconds()
        roundNow = after
        if (timerDeadline >= 0 && after >= timerDeadline) || (count == 0 && safetyWait) {
            timerDeadline = -1
            curl_multi_socket_action(multi, ccurl_socket_timeout, 0, &running)
            // The timer action can send a request and read its whole response (fast loopback servers):
            // read the clock again so such a transfer's latency is not cut short.
            after = OSClock.monotonicNanoseconds()
            roundNow = after
        }
        collectDone(at: after)
        return after
    }

    /// Turns finished transfers into results; `end` (one clock read per round) is their completion time.
    private func collectDone(at end: Int64) {
        var pending: Int32 = 0
        while let msg = curl_multi_info_read(multi, &pending) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
            let code = msg.pointee.data.result
            var priv: UnsafeMutableRawPointer? = nil
            _ = ccurl_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &priv)
            curl_multi_remove_handle(multi, easy)
            guard let p = priv else { continue }
            let index = Int(bitPattern: p) - 1
            guard index >= 0 && index < slots.count else { continue }
            finish(slots[index], code: code, end: end)
        }
    }

    private func finish(_ slot: Slot, code: CURLcode, end: Int64) {
        inFlight -= 1
        slots.free(slot)
        guard let t = slot.target else { return }
        var r = core.result(seq: slot.seq, target: t, started: slot.started, end: end)
        if code == CURLE_OK && slot.decoding && !slot.gzip.outcome.isEmpty {
            // A body Go's gzip reader refuses: code 0, the error, what decoded (vegeta's read error path).
            r.error = slot.gzip.outcome
            if !slot.body.isEmpty { r.body = slot.body }
        } else if code == CURLE_OK,
            let problem = slot.headerBytes.withUnsafeBytes({ GoResponseRules.contentLengthProblem($0) })
        {
            // libcurl reads past Content-Length headers Go refuses (differing, or not a number): Go's error.
            r.error = "\(t.errorOp) \"\(t.url)\": " + GoResponseRules.broken + problem
        } else if code == CURLE_OK {
            var status = 0
            _ = ccurl_easy_getinfo_long(slot.easy, CURLINFO_RESPONSE_CODE, &status)
            r.bytesOut = UInt64(t.bodyCount)
            slot.headerBytes.withUnsafeBytes { raw in
                core.fillResponse(&r, status: status, headerBlock: raw, body: slot.body, gzipDecoded: slot.decoding)
            }
        } else {
            var status = 0
            _ = ccurl_easy_getinfo_long(slot.easy, CURLINFO_RESPONSE_CODE, &status)
            // libcurl's HTTP/2 leaves the code unset when the stream fails after its headers arrived.
            let gotResponse = status > 0 || !slot.headerBytes.isEmpty
            r.error = ErrorText.describe(
                code, slot: slot, target: t, gotResponse: gotResponse,
                localAddress: shared.options.localAddress, redirectLimit: shared.options.redirects)
            if gotResponse && !slot.body.isEmpty { r.body = slot.body }
        }
        core.batch.append(r)
    }

    // MARK: callbacks from libcurl

    func socketChanged(_ s: curl_socket_t, what: Int32, known: Bool) {
        if what == ccurl_poll_remove {
            if s >= 0 && Int(s) < registered.count { registered[Int(s)] = 0 }
            _ = epoll_ctl(core.epfd, EPOLL_CTL_DEL, s, nil)
            return
        }
        var ev = epoll_event()
        ev.events = 0
        if what & ccurl_poll_in != 0 { ev.events |= EPOLLIN.rawValue }
        if what & ccurl_poll_out != 0 { ev.events |= EPOLLOUT.rawValue }
        ev.data.u64 = UInt64(UInt32(bitPattern: s))
        // libcurl often repeats the interest it already has; skip the syscall then.
        let fd = Int(s)
        if fd >= 0 && fd < registered.count {
            if known && registered[fd] == ev.events { return }
            registered[fd] = ev.events
        }
        if known {
            if epoll_ctl(core.epfd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT {
                _ = epoll_ctl(core.epfd, EPOLL_CTL_ADD, s, &ev)
            }
        } else {
            if epoll_ctl(core.epfd, EPOLL_CTL_ADD, s, &ev) != 0 && errno == EEXIST {
                _ = epoll_ctl(core.epfd, EPOLL_CTL_MOD, s, &ev)
            }
            curl_multi_assign(multi, s, UnsafeMutableRawPointer(bitPattern: 1))
        }
    }
}

/// CURLMOPT_SOCKETFUNCTION: keeps the loop's epoll set in step with the sockets libcurl wants watched.
private let eventLoopSocketCallback: ccurl_socket_cb = { _, s, what, userp, socketp in
    guard let userp else { return 0 }
    Unmanaged<CurlTransport>.fromOpaque(userp).takeUnretainedValue().socketChanged(s, what: what, known: socketp != nil)
    return 0
}

/// CURLMOPT_TIMERFUNCTION: records when libcurl wants `socket_action(TIMEOUT)`; -1 cancels.
private let eventLoopTimerCallback: ccurl_timer_cb = { _, timeoutMs, userp in
    guard let userp else { return 0 }
    let loop = Unmanaged<CurlTransport>.fromOpaque(userp).takeUnretainedValue()
    loop.timerDeadline = timeoutMs < 0 ? -1 : loop.roundNow + Int64(timeoutMs) * 1_000_000
    return 0
}
