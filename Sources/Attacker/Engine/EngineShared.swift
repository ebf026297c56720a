import BarrageCore
import CCurl
import CLinux
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where hits get their targets: a loaded list (round robin by hit number) or a stream read on demand.
enum TargetSupply: Sendable {
    case eager([PreparedTarget])
    case lazy(LazyTargets)
}

/// The `-lazy` stream, read under a lock by whichever loop needs the next target.
final class LazyTargets: Sendable {
    private let reader: Mutex<TargetReader?>
    private let attackName: String
    private let chunked: Bool
    private let keepAlive: Bool
    /// Whether the native transport sends (each target then gets its wire bytes, built per hit).
    private let native: Bool

    init(_ reader: consuming TargetReader, attackName: String, chunked: Bool, keepAlive: Bool, native: Bool) {
        self.reader = Mutex(Optional(reader))
        self.attackName = attackName
        self.chunked = chunked
        self.keepAlive = keepAlive
        self.native = native
    }

    /// The next target, or the error text that ends the attack (`no targets to attack` at the end).
    func next() -> (target: PreparedTarget?, error: String) {
        let got: Swift.Result<Target?, TargetError>? = reader.withLock { r in
            guard var current = r else { return nil }
            defer { r = current }
            do throws(TargetError) {
                return .success(try current.next())
            } catch {
                return .failure(error)
            }
        }
        switch got {
        case .none, .success(.none): return (nil, TargetError.noTargets)
        case .success(.some(let t)):
            return (
                PreparedTarget(t, attackName: attackName, chunked: chunked, keepAlive: keepAlive, native: native), ""
            )
        case .failure(let e): return (nil, e.description)
        }
    }
}

/// Hands result batches from the loops to the single writer; the loops lock once per batch, not per result.
final class ResultCollector: Sendable {
    private let queue = Mutex<[Result]>([])
    /// Written after each push so the writer wakes.
    let wakeFD: Int32

    init() {
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
    }

    deinit { close(wakeFD) }

    /// Results queued and not yet taken by the writer.
    private let queued = Atomic<Int>(0)
    /// Past this many queued results a loop waits for the writer (a slow output would otherwise grow memory
    /// without bound; vegeta's workers block on its results channel the same way).
    static let queueLimit = 65_536

    /// True while the writer is far behind.
    var isBackedUp: Bool { queued.load(ordering: .relaxed) > ResultCollector.queueLimit }

    /// Moves `batch` into the queue (leaving `batch` empty with its capacity) and wakes the writer.
    func push(_ batch: inout [Result]) {
        queued.add(batch.count, ordering: .relaxed)
        queue.withLock { q in
            if q.isEmpty {
                swap(&q, &batch)
            } else {
                q.append(contentsOf: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        wake()
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Swaps the queued results into `into` (which must be empty).
    func take(into: inout [Result]) {
        queue.withLock { q in swap(&q, &into) }
        queued.subtract(into.count, ordering: .relaxed)
    }

    /// Blocks until a push or wake.
    func wait() {
        var v: UInt64 = 0
        while read(wakeFD, &v, 8) < 0 && errno == EINTR {}
    }
}

/// What every loop shares: options, targets, the schedule and the stop flag. Read-only except the atomics.
final class EngineShared: Sendable {
    let options: AttackOptions
    let supply: TargetSupply
    let collector: ResultCollector
    /// Set by `stop()` (release) and read by the loops (acquire).
    let stopping = Atomic<Bool>(false)
    /// Sequence numbers for the closed loop (`-rate=0`), where hits are not pre-assigned to loops.
    let nextSeq = Atomic<UInt64>(0)
    /// Loops still running.
    let running = Atomic<Int>(0)
    /// Threads actually started.
    let loopCount: Int
    let connectTo: CurlList
    let proxyHeaders: CurlList
    /// The proxy settings from the environment, read once.
    let proxy: ProxySettings
    /// Hits sent, summed from the loops at the end (stats only).
    let sent = Atomic<UInt64>(0)
    /// Whether the loops run the native HTTP/1.1 transport instead of libcurl.
    let native: Bool

    init(options: AttackOptions, supply: TargetSupply, loopCount: Int, native: Bool) {
        self.options = options
        self.native = native
        self.supply = supply
        self.loopCount = loopCount
        collector = ResultCollector()
        connectTo = CurlList(options.connectTo)
        proxyHeaders = CurlList(options.proxyHeaders.flatMap { h in h.values.map { "\(h.name): \($0)" } })
        proxy = ProxySettings.fromEnvironment(https: false)
    }
}

/// An immutable `curl_slist` shared by every handle (libcurl only reads it); freed on deinit.
final class CurlList: @unchecked Sendable {  // Sendable: built once in init, never mutated, libcurl only reads
    let list: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) {
        var l: UnsafeMutablePointer<curl_slist>? = nil
        for item in items {
            if let n = curl_slist_append(l, item) { l = n }
        }
        list = l
    }

    deinit { if let list { curl_slist_free_all(list) } }
}

/// `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` as Go reads them, resolved once. Go never proxies loopback hosts,
/// so `localhost`, `127.0.0.1` and `::1` are always excluded.
struct ProxySettings: Sendable {
    /// The proxy URL for libcurl; "" means none (and stops libcurl's per-transfer environment lookups).
    var url: String
    /// NO_PROXY list for libcurl, when a proxy is set.
    var noProxy: String?

    static func fromEnvironment(https: Bool) -> ProxySettings {
        func env(_ names: [String]) -> String? {
            for n in names { if let v = getenv(n), v.pointee != 0 { return String(cString: v) } }
            return nil
        }
        guard let proxy = env(["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"]) else {
            return ProxySettings(url: "", noProxy: nil)
        }
        var no = env(["NO_PROXY", "no_proxy"]) ?? ""
        no += (no.isEmpty ? "" : ",") + "localhost,127.0.0.1,::1"
        return ProxySettings(url: proxy, noProxy: no)
    }
}

/// When the attack started: a monotonic reading and the wall clock taken at the same moment.
struct AttackStart: Sendable {
    let mono: Int64
    let anchor: Timestamp

    static func now() -> AttackStart { AttackStart(mono: OSClock.monotonicNanoseconds(), anchor: Timestamp.now()) }
}
