import BarrageCore
public import Encoder
import Synchronization

/// Anything results can be pulled from, one at a time (the command's `ResultReader`, or a test's array).
public protocol ResultSource: SendableMetatype {
    /// The next result, or nil at the end.
    mutating func next() -> Result?
    /// The next result's statistics fields, or nil at the end (a source may read them without a whole `Result`).
    mutating func nextStats() -> ResultStats?
    /// Calls `body` with one or more next results' statistics fields; false at the end.
    mutating func nextStatsBatch(_ body: (UnsafeBufferPointer<ResultStats>) -> Void) -> Bool
    /// The next whole result and the input it came from (its place among the inputs), or nil at the end.
    mutating func nextWithInput() -> (result: Result, input: Int)?
}

extension ResultSource {
    public mutating func nextStats() -> ResultStats? { next().map(ResultStats.init) }

    public mutating func nextStatsBatch(_ body: (UnsafeBufferPointer<ResultStats>) -> Void) -> Bool {
        guard var one = nextStats() else { return false }
        withUnsafePointer(to: &one) { body(UnsafeBufferPointer(start: $0, count: 1)) }
        return true
    }

    public mutating func nextWithInput() -> (result: Result, input: Int)? { next().map { ($0, 0) } }
}

/// Runs one report over a result stream: reads every result into `Metrics`, optionally renders a frame every
/// interval while input is still arriving (`-every`), and returns the final report.
///
/// Without an interval, reading happens on the calling thread with no locking. With one, a reader thread adds
/// results under a mutex while the calling thread waits on a semaphore with a deadline (so frames keep coming
/// while the input blocks) and renders snapshots. `interrupt()` (from the signal watcher's thread) ends the run
/// with a final report of what was read so far. The calling thread blocks; run it where blocking is allowed.
public final class LiveReport: Sendable {
    /// The report being produced.
    public let kind: ReportKind
    /// Interval between frames in ns; 0 for none.
    public let every: Int64
    /// Checks judged on the final report (never on the frames); with a grouping, on the total.
    public let checks: [Check]
    /// What `-by` splits the report by, if anything.
    public let grouping: Grouping?
    private let metrics: Mutex<ReportState>
    private let interrupted = Atomic<Bool>(false)
    private let readerDone = Atomic<Bool>(false)
    /// Wakes the waiting thread: signalled by the reader when it ends and by `interrupt()`.
    private let wakeup = OSSemaphore()

    /// Prepares a run.
    ///
    /// - Parameters:
    ///   - kind: which report to render.
    ///   - every: interval between frames in ns; 0 (or less) for only the final report.
    ///   - checks: judged on the final report; a JSON report lists their verdicts.
    ///   - grouping: a report per group beside the total (read from whole results, slower than without).
    ///   - inputNames: the inputs' names, for a grouping by file.
    public init(
        kind: ReportKind, every: Int64, checks: [Check] = [], grouping: Grouping? = nil, inputNames: [String] = []
    ) {
        self.kind = kind
        self.every = max(0, every)
        self.checks = checks
        self.grouping = grouping
        let grouped = grouping.map { GroupedMetrics(grouping: $0, inputNames: inputNames, buckets: kind.buckets) }
        self.metrics = Mutex(ReportState(metrics: Metrics(buckets: kind.buckets), grouped: grouped))
    }

    /// Ends the run early: the final report covers what was read so far. Safe to call from any thread.
    public func interrupt() {
        interrupted.store(true, ordering: .releasing)
        wake()
    }

    /// Whether `interrupt()` ended the run.
    public var wasInterrupted: Bool { interrupted.load(ordering: .acquiring) }

    /// Reads `source` to its end (or until interrupted) and returns the final report.
    ///
    /// - Parameters:
    ///   - source: the results; handed to a reader thread when there is an interval.
    ///   - frame: called on the calling thread with each periodic report while reading.
    /// - Returns: the final report, the checks' verdicts on it (in the order given), and the source when it was
    ///   read to its end (nil if the run was interrupted while the reader thread was still blocked in it).
    public func run<S: ResultSource>(
        _ source: S, frame: ([UInt8]) -> Void
    ) -> (report: [UInt8], verdicts: [CheckVerdict], source: S?) {
        if every == 0 {
            var source = source
            var local = metrics.withLock { $0 }
            if local.grouped != nil {
                while !interrupted.load(ordering: .relaxed), let (result, input) = source.nextWithInput() {
                    local.grouped?.add(result, input: input)
                }
            } else {
                while !interrupted.load(ordering: .relaxed), source.nextStatsBatch({ local.metrics.add($0) }) {}
            }
            let (report, verdicts) = judged(local)
            return (report, verdicts, source)
        }
        let box = SourceBox(source)
        guard let reader = OSThread.spawn(name: "barrage-report", { [self] in self.readAll(box) }) else {
            // No thread: read here, with no frames.
            readAll(box)
            let (report, verdicts) = metrics.withLock { judged($0) }
            return (report, verdicts, box.take())
        }
        var deadline = OSClock.monotonicNanoseconds() &+ every
        while !readerDone.load(ordering: .acquiring) && !interrupted.load(ordering: .acquiring) {
            let now = OSClock.monotonicNanoseconds()
            if now >= deadline {
                frame(metrics.withLock { $0.render(kind) })
                deadline &+= every
                if deadline <= now { deadline = now &+ every }
                continue
            }
            wait(nanoseconds: deadline - now)
        }
        if readerDone.load(ordering: .acquiring) {
            reader.join()
            let (report, verdicts) = metrics.withLock { judged($0) }
            return (report, verdicts, box.take())
        }
        reader.detach()
        let (report, verdicts) = metrics.withLock { judged($0) }
        return (report, verdicts, nil)
    }

    /// The final report of `state` and the checks' verdicts on its total.
    private func judged(_ state: ReportState) -> ([UInt8], [CheckVerdict]) {
        let total = state.grouped?.total ?? state.metrics
        let verdicts = checks.map { $0.verdict(total) }
        return (state.render(kind, checks: verdicts), verdicts)
    }

    /// The reader thread's body: every result into the shared metrics, then signal the end.
    private func readAll<S: ResultSource>(_ box: SourceBox<S>) {
        box.withSource { source in
            if grouping != nil {
                while !interrupted.load(ordering: .relaxed), let (result, input) = source.nextWithInput() {
                    metrics.withLock { $0.grouped?.add(result, input: input) }
                }
            } else {
                while !interrupted.load(ordering: .relaxed),
                    source.nextStatsBatch({ batch in metrics.withLock { $0.metrics.add(batch) } })
                {}
            }
        }
        readerDone.store(true, ordering: .releasing)
        wake()
    }

    private func wake() { wakeup.signal() }

    /// Waits until woken or `ns` pass.
    private func wait(nanoseconds ns: Int64) { _ = wakeup.wait(timeoutNanoseconds: ns) }
}

/// Holds the source while the reader thread owns it.
///
/// `@unchecked Sendable`: the source is touched by exactly one thread at a time. The reader thread uses it until
/// it stores `readerDone` (release); the caller takes it back only after loading `readerDone` (acquire) and
/// joining the thread, and never if the run was interrupted first.
private final class SourceBox<S: ResultSource>: @unchecked Sendable {
    private var source: S?

    init(_ source: S) { self.source = source }

    func withSource(_ body: (inout S) -> Void) {
        guard var s = source.take() else { return }
        body(&s)
        source = s
    }

    func take() -> S? { source.take() }
}

/// What a run accumulates: the metrics, or with a grouping the total and each group's (then `metrics` is unused).
private struct ReportState: Sendable {
    var metrics: Metrics
    var grouped: GroupedMetrics?

    func render(_ kind: ReportKind, checks: [CheckVerdict] = []) -> [UInt8] {
        if let grouped { return Report.render(kind, grouped, checks: checks) }
        return Report.render(kind, metrics, checks: checks)
    }
}
