import BarrageCore
import CLinux
public import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where results go: one writer, fed in completion order. `Encoder`'s writers conform (see `ResultSink+Encoder`).
public protocol ResultSink: SendableMetatype {
    /// Encodes one result.
    mutating func write(_ result: Result) throws
    /// Pushes buffered output to its destination.
    mutating func flush() throws
    /// Called once after the last result: flush and close (finishing gzip). Defaults to `flush()`.
    mutating func finish() throws
}

extension ResultSink {
    /// Flushes.
    public mutating func finish() throws { try flush() }
}

/// The targets an attack uses: loaded up front (round robin) or read per hit (`-lazy`).
public enum TargetSource: Sendable {
    /// Eager: every target loaded and checked before the first hit.
    case loaded([Target])
    /// Lazy: each hit reads the next target; the end of the stream ends the attack.
    case stream(TargetReader)
}

/// Running totals the writer keeps, for the live progress line and the final summary.
public struct AttackProgress: Sendable {
    /// Nanoseconds since the attack started.
    public var elapsed: Int64 = 0
    /// Results written.
    public var requests: UInt64 = 0
    /// Results with a code in 200..<400 and no error.
    public var successes: UInt64 = 0
    /// Response body bytes kept, summed.
    public var bytesIn: UInt64 = 0
    /// Request body bytes, summed.
    public var bytesOut: UInt64 = 0
    /// Sum of latencies in nanoseconds.
    public var latencySum: Int64 = 0
    /// Latency histogram: bucket i counts latencies in [2^(i/4) µs ...), coarse but fixed-size.
    public var buckets = [UInt64](repeating: 0, count: 160)

    /// How many latencies were at most `ns` (approximate, from the histogram's buckets).
    public func count(atMost ns: Int64) -> UInt64 {
        var seen: UInt64 = 0
        for (i, c) in buckets.enumerated() where pow(2.0, Double(i + 1) / 4.0) * 1000 <= Double(ns) { seen += c }
        return seen
    }

    /// The approximate latency quantile `q` (0...1) in nanoseconds.
    public func quantile(_ q: Double) -> Int64 {
        guard requests > 0 else { return 0 }
        let target = UInt64((Double(requests) * q).rounded(.up))
        var seen: UInt64 = 0
        for (i, c) in buckets.enumerated() {
            seen += c
            if seen >= max(1, target) { return Int64(pow(2.0, Double(i) / 4.0) * 1000) }
        }
        return 0
    }

    mutating func add(_ r: Result) {
        requests += 1
        bytesIn &+= r.bytesIn
        bytesOut &+= r.bytesOut
        latencySum &+= r.latency
        if r.error.isEmpty && r.code >= 200 && r.code < 400 { successes += 1 }
        let us = max(1.0, Double(r.latency) / 1000)
        let i = min(buckets.count - 1, max(0, Int(log2(us) * 4)))
        buckets[i] += 1
    }
}

/// One attack: event-loop threads sending hits on schedule and one writer taking their results.
///
/// Create it, call `run(into:)` from a thread that may block (not the cooperative pool), and call `stop()` from
/// anywhere (a signal handler task) to end sending early: in-flight requests still finish and are written.
public final class Attack: Sendable {
    private let shared: EngineShared
    private let wakeFDs: [Int32]
    private let failure = Mutex<AttackError?>(nil)
    /// The transport the loops run on.
    private let transport: Transport

    /// Prepares an attack: decides the transport (`TransportChoice.resolve`) and builds the targets into its
    /// requests.
    ///
    /// - Throws: `AttackError`: libcurl cannot be initialised, no targets are loaded, `-transport=native` with
    ///   what it cannot serve, or the event-loop wake descriptors cannot be created.
    public init(options: AttackOptions, targets: TargetSource) throws(AttackError) {
        guard Attack.libraryReady else { throw .libraryUnavailable }
        var loops = max(1, options.threads)
        if options.maxWorkers < UInt64(loops) { loops = max(1, Int(options.maxWorkers)) }
        var loaded: [Target]? = nil
        if case .loaded(let list) = targets { loaded = list }
        if let loaded, loaded.isEmpty { throw .noTargets }
        transport = try options.transport.resolve(options)
        let supply: EngineSupply
        switch transport {
        case .native: supply = .native(Attack.requests(targets, options), try TLSContext(options: options))
        case .curl: supply = .curl(Attack.requests(targets, options), CurlShared(options))
        }
        var fds: [Int32] = []
        for _ in 0..<loops {
            let fd = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
            guard fd >= 0 else {
                let e = errno
                for f in fds { close(f) }
                throw .system(call: "eventfd", errno: e)
            }
            fds.append(fd)
        }
        wakeFDs = fds
        shared = EngineShared(options: options, supply: supply, loopCount: loops)
    }

    deinit { for fd in wakeFDs { close(fd) } }

    /// The targets built into one transport's requests: all now (eager), or each as a hit reads it (`-lazy`).
    private static func requests<R: EngineRequest>(_ targets: TargetSource, _ options: AttackOptions)
        -> TargetSupply<R>
    {
        switch targets {
        case .loaded(let list): return .eager(list.map { R($0, options: options) })
        case .stream(let reader): return .lazy(LazyTargets(reader, options: options))
        }
    }

    /// Whether this attack runs on the native transport (else libcurl).
    public var usesNativeTransport: Bool { transport == .native }

    /// What keeps the native transport from serving an attack with these options (a flag name or an environment
    /// variable), or nil when it can.
    public static func nativeBlocker(_ options: AttackOptions) -> String? { Transport.nativeBlocker(options) }

    /// The cap on requests in flight per event loop when `-max-workers` is not set.
    public static let defaultMaxInFlightPerLoop = 1024

    /// libcurl initialised, once per process, before the first event-loop thread starts.
    private static var libraryReady: Bool { CurlLibrary.ready }

    /// Initialises libcurl now (call early in `main`, before other threads use it); idempotent.
    public static func initializeLibrary() -> Bool { libraryReady }

    /// Stops sending (thread-safe, idempotent). Requests in flight finish; their results are still written.
    public func stop() {
        shared.stopping.store(true, ordering: .releasing)
        var one: UInt64 = 1
        for fd in wakeFDs { _ = write(fd, &one, 8) }
    }

    /// Hits started whose results have not been written to the sink yet (in flight, or waiting for the writer):
    /// what would be lost if the process ended now. Thread-safe; a snapshot.
    public var hitsWithoutResult: UInt64 {
        let written = shared.resultsWritten.load(ordering: .relaxed)
        var started: UInt64 = 0
        for c in shared.hitsStarted { started &+= c.value.load(ordering: .relaxed) }
        return started > written ? started - written : 0
    }

    /// Runs the attack on a thread of its own (the cooperative pool never blocks) and returns when it ends.
    ///
    /// - Parameters:
    ///   - sink: the writer; the attack's thread owns it until the attack ends.
    ///   - progressEvery: how often to call `progress` (ns); 0 never calls it.
    ///   - progress: called on the attack's writer thread with the running totals.
    /// - Returns: the final totals.
    /// - Throws: as `run(into:)`; `AttackError.threadStart` when the writer thread cannot start.
    public func run<S: ResultSink>(
        _ sink: sending S, progressEvery: Int64 = 0, progress: (@Sendable (AttackProgress) -> Void)? = nil
    ) async throws -> AttackProgress {
        let box = SinkBox(sink)
        return try await withCheckedThrowingContinuation { (done: CheckedContinuation<AttackProgress, any Error>) in
            let started = OSThread.spawn(name: "barrage-writer") { [self] in
                do {
                    let totals = try self.run(into: &box.sink, progressEvery: progressEvery, progress: progress)
                    done.resume(returning: totals)
                } catch {
                    done.resume(throwing: error)
                }
            }
            started?.detach()
            if started == nil { done.resume(throwing: AttackError.threadStart("the writer thread")) }
        }
    }

    /// Runs the attack on its writer thread (`barrage-writer`) and blocks the calling thread until it ends.
    ///
    /// For a command's main thread while a `SignalWatcher` watches: it must not suspend, because Swift's async main
    /// then parks it in Dispatch's `sigsuspend` with every signal unblocked, and a watched signal would take its
    /// default action there instead of reaching the watcher.
    ///
    /// - Parameters:
    ///   - sink: the writer; the attack's thread owns it until the attack ends.
    ///   - progressEvery: how often to call `progress` (ns); 0 never calls it.
    ///   - progress: called on the attack's writer thread with the running totals.
    /// - Returns: the final totals.
    /// - Throws: as `run(into:)`, or `CurlError` when the writer thread cannot start.
    public func runBlocking<S: ResultSink>(
        _ sink: sending S, progressEvery: Int64 = 0, progress: (@Sendable (AttackProgress) -> Void)? = nil
    ) throws -> AttackProgress {
        let box = SinkBox(sink)
        let outcome = Mutex<Swift.Result<AttackProgress, any Error>>(
            .failure(CurlError("attack", message: "cannot start the writer thread")))
        let thread = OSThread.spawn(name: "barrage-writer") { [self] in
            let result = Swift.Result {
                try self.run(into: &box.sink, progressEvery: progressEvery, progress: progress)
            }
            outcome.withLock { $0 = result }
        }
        thread?.join()
        return try outcome.withLock { $0 }.get()
    }

    /// Runs the attack to its end, writing every result to `sink` as batches complete. Blocks the calling thread.
    ///
    /// - Parameters:
    ///   - sink: the writer; flushed after each batch so results reach the output as they complete.
    ///   - progressEvery: how often to call `progress` (ns); 0 never calls it.
    ///   - progress: called on the calling thread with the running totals.
    /// - Returns: the final totals.
    /// - Throws: the sink's error (the attack is stopped first), or `AttackError` if an event loop could not start.
    public func run<S: ResultSink>(
        into sink: inout S, progressEvery: Int64 = 0, progress: ((AttackProgress) -> Void)? = nil
    ) throws -> AttackProgress {
        // -start-at: the schedule starts at that instant; the loops wait for its first hit.
        let start = shared.options.startAt.map { AttackStart.at($0) } ?? AttackStart.now()
        let threads = startLoops(start)
        defer { for t in threads { t.join() } }
        let totals = try writeResults(into: &sink, start: start, progressEvery: progressEvery, progress: progress)
        if let error = failure.withLock({ $0 }) { throw error }
        return totals
    }

    /// Starts one event-loop thread per loop, each with its share of `-max-workers`.
    private func startLoops(_ start: AttackStart) -> [OSThread] {
        let loops = shared.loopCount
        var threads: [OSThread] = []
        shared.running.store(loops, ordering: .releasing)
        let maxWorkers = shared.options.maxWorkers
        for k in 0..<loops {
            let share: Int
            if maxWorkers == .max {
                // vegeta's workers are unbounded; past this many requests in flight per loop more only adds
                // connections and memory (the client or server is saturated), so growth stops here.
                share = Attack.defaultMaxInFlightPerLoop
            } else {
                let base = Int(clamping: maxWorkers / UInt64(loops))
                share = base + (UInt64(k) < maxWorkers % UInt64(loops) ? 1 : 0)
            }
            let shared = self.shared
            let fd = wakeFDs[k]
            let spawned = OSThread.spawn(name: "barrage-loop-\(k)") { [self] in
                defer {
                    _ = shared.running.wrappingSubtract(1, ordering: .acquiringAndReleasing)
                    shared.collector.wake()
                }
                let core = LoopCore(id: k, shared: shared, start: start, wakeFD: fd)
                do throws(AttackError) {
                    try Attack.runLoop(core, maxSlots: share)
                } catch {
                    self.failure.withLock { if $0 == nil { $0 = error } }
                    shared.stopping.store(true, ordering: .releasing)
                }
            }
            if let spawned {
                threads.append(spawned)
            } else {
                _ = shared.running.wrappingSubtract(1, ordering: .acquiringAndReleasing)
                failure.withLock { $0 = .threadStart("an event-loop thread") }
                stop()
            }
        }
        return threads
    }

    /// Runs one event loop to its end on the transport the attack was decided on.
    private static func runLoop(_ core: LoopCore, maxSlots: Int) throws(AttackError) {
        switch core.shared.supply {
        case .native(let supply, let tls):
            var driver = LoopDriver(NativeTransport(core: core, tls: tls, maxSlots: maxSlots), supply: supply)
            driver.run()
        case .curl(let supply, let curlShared):
            do throws(CurlError) {
                let transport = try CurlTransport(core: core, curlShared: curlShared, maxSlots: maxSlots)
                var driver = LoopDriver(transport, supply: supply)
                driver.run()
            } catch {
                throw .curl(error)
            }
        }
    }

    /// The writer: takes the loops' result batches and writes them to `sink` until every loop has ended, then
    /// finishes the sink.
    private func writeResults<S: ResultSink>(
        into sink: inout S, start: AttackStart, progressEvery: Int64, progress: ((AttackProgress) -> Void)?
    ) throws -> AttackProgress {
        var totals = AttackProgress()
        var pending: [Result] = []
        pending.reserveCapacity(1024)
        var lastProgress = OSClock.monotonicNanoseconds()
        var sinkError: (any Error)?
        while true {
            let finished = shared.running.load(ordering: .acquiring) == 0
            shared.collector.take(into: &pending)
            if !pending.isEmpty {
                if sinkError == nil {
                    do {
                        for r in pending {
                            try sink.write(r)
                            if progress != nil { totals.add(r) } else { totals.requests += 1 }
                        }
                        try sink.flush()
                        shared.resultsWritten.store(totals.requests, ordering: .relaxed)
                    } catch {
                        sinkError = error
                        stop()
                    }
                }
                pending.removeAll(keepingCapacity: true)
            }
            if finished {
                shared.collector.take(into: &pending)
                if pending.isEmpty { break }
                continue
            }
            if let progress, progressEvery > 0 {
                let now = OSClock.monotonicNanoseconds()
                if now - lastProgress >= progressEvery {
                    lastProgress = now
                    totals.elapsed = now - start.mono
                    progress(totals)
                }
                var pfd = pollfd(fd: shared.collector.wakeFD, events: Int16(POLLIN), revents: 0)
                let waitMs = Int32(max(1, (progressEvery - (now - lastProgress)) / 1_000_000))
                if poll(&pfd, 1, waitMs) > 0 { shared.collector.wait() }
            } else {
                shared.collector.wait()
            }
        }
        totals.elapsed = OSClock.monotonicNanoseconds() - start.mono
        if sinkError == nil {
            do { try sink.finish() } catch { sinkError = error }
        }
        if let sinkError { throw sinkError }
        return totals
    }
}

/// Carries the sink to the attack's writer thread. `@unchecked Sendable`: the caller gave the sink up
/// (`sending`), and only that one thread touches it afterwards.
private final class SinkBox<S>: @unchecked Sendable {
    var sink: S
    init(_ sink: S) { self.sink = sink }
}
