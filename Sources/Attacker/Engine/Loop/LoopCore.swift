import CLinux
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// The per-loop state every transport shares: identity, epoll set, wake descriptor, the result batch and the
/// caches that let results share header/body storage.
final class LoopCore {
    let id: Int
    let shared: EngineShared
    let start: AttackStart
    let epfd: Int32
    /// Written by `Attack.stop()` to end `epoll_wait` at once.
    let wakeFD: Int32
    let events: UnsafeMutablePointer<epoll_event>
    let eventCapacity: Int32 = 256
    var batch: [Result] = []
    /// Bytes of body to keep; negative keeps everything.
    let bodyLimit: Int
    /// Last header block and body seen, and their parsed forms: most responses repeat them, so results share
    /// the same storage instead of allocating it again.
    var lastHeaderBytes: [UInt8] = []
    var lastHeaders: (status: String, headers: [Header]) = ("", [])
    var lastGzipDecoded: Bool?
    var lastBody: [UInt8] = []

    static let wakeTag: UInt64 = 1 << 40

    init(id: Int, shared: EngineShared, start: AttackStart, wakeFD: Int32) {
        self.id = id
        self.shared = shared
        self.start = start
        self.wakeFD = wakeFD
        bodyLimit = shared.options.maxBody < 0 ? -1 : Int(clamping: shared.options.maxBody)
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(eventCapacity))
        batch.reserveCapacity(512)
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.u64 = LoopCore.wakeTag
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, &ev)
    }

    deinit {
        close(epfd)
        events.deallocate()
    }

    /// Waits up to `ns` nanoseconds (-1: until something happens) for events; returns how many arrived.
    @inline(__always)
    func wait(_ ns: Int64) -> Int {
        let timeoutMs: Int32 = ns < 0 ? -1 : Int32(clamping: (ns + 999_999) / 1_000_000)
        return max(0, Int(epoll_wait(epfd, events, eventCapacity, timeoutMs)))
    }

    /// Calls `body` for each of the `count` events `wait` got, except the wake-up (which it drains).
    @inline(__always)
    func forEachEvent(_ count: Int, _ body: (epoll_event) -> Void) {
        for i in 0..<count {
            let ev = events[i]
            if ev.data.u64 == LoopCore.wakeTag {
                var v: UInt64 = 0
                _ = read(wakeFD, &v, 8)
                continue
            }
            body(ev)
        }
    }

    /// A result for a hit on `target` started at `started` (monotonic ns) and ended at `end`.
    @inline(__always)
    func result<R: EngineRequest>(seq: UInt64, target: R, started: Int64, end: Int64) -> Result {
        var r = Result(
            attack: shared.options.name, seq: seq, timestamp: start.anchor.adding(nanoseconds: started - start.mono))
        r.latency = end - started
        r.method = target.method
        r.url = target.url
        return r
    }

    /// Fills a received response into `r`: code, body and its size, headers (parsed from the raw block, shared
    /// with the previous result when the bytes repeat), and the status line as error for < 200 or >= 400.
    @inline(__always)
    /// `gzipDecoded`: whether the body was gzip-decoded (Content-Encoding/Content-Length are then dropped); nil
    /// for libcurl, which decodes whenever a Content-Encoding value is gzip.
    func fillResponse(
        _ r: inout Result, status: Int, headerBlock: UnsafeRawBufferPointer, body: [UInt8], gzipDecoded: Bool? = nil
    ) {
        r.code = UInt16(truncatingIfNeeded: status)
        r.bytesIn = UInt64(body.count)
        if body != lastBody { lastBody = body }
        r.body = lastBody
        let same =
            headerBlock.count == lastHeaderBytes.count
            && lastHeaderBytes.withUnsafeBytes { last in
                guard let a = last.baseAddress, let b = headerBlock.baseAddress else { return true }
                return memcmp(a, b, headerBlock.count) == 0
            }
        if !same || gzipDecoded != lastGzipDecoded {
            lastHeaderBytes = Array(headerBlock)
            lastGzipDecoded = gzipDecoded
            lastHeaders = ResponseParsing.parse(lastHeaderBytes, gzipDecoded: gzipDecoded)
        }
        r.headers = lastHeaders.headers
        if status < 200 || status >= 400 { r.error = lastHeaders.status }
    }
}
