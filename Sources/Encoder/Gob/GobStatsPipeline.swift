import BarrageCore
import Synchronization

/// A run of complete value messages of one type, framed by `GobReader.nextBlock`.
struct GobBlock {
    let plan: GobValuePlan
    /// Stream offset of the first message.
    let offset: Int64
    /// The messages' range in the source buffer.
    let start: Int
    let end: Int
    let count: Int
}

/// Statistics of one gob input decoded on two threads, delivered in stream order (the report and plot fast path).
///
/// The calling thread frames blocks of messages (and reads type definitions) in order. It hands up to two
/// blocks at a time, copied, to a worker thread, and decodes the others itself in place while the worker is
/// busy, so both cores decode and the slower side sets the pace. Results come out block by block in stream
/// order, so consumers see exactly the serial order. Damage is reported where the serial decoder reports it:
/// the records before it are delivered first, nothing after it.
///
/// Thread confinement: used by one thread; the worker only touches the jobs handed to it and its own cache.
final class GobStatsPipeline {
    private let reader: GobReader
    private var cache = StringCache()
    private let worker = GobStatsWorker()
    private var queue: [Item] = []
    private var outstanding = 0
    private var framingEnded = false
    private var batch: [ResultStats] = []
    private var cursor = 0
    private var pendingFailure: DecodeError?
    /// Emptied record arrays and byte buffers, reused so blocks cost no fresh allocation (and no page faults).
    private var spareStats: [[ResultStats]] = []
    private var spareBytes: [[UInt8]] = []

    /// Most messages per block, and the byte size after which a block is closed.
    static let blockMessages = 4096
    static let blockBytes = 1 << 20
    /// Blocks handed to the worker and not yet delivered; and the most blocks waiting in order.
    static let maxOutstanding = 2
    static let maxQueued = 4

    private enum Item {
        case decoded([ResultStats], DecodeError?)
        case remote(GobStatsJob)
    }

    init(reader: GobReader) {
        self.reader = reader
    }

    deinit { worker.finish() }

    /// The next record's statistics, or nil at a clean end.
    /// - Throws: the first damage, after every record before it was returned.
    func next() throws(DecodeError) -> ResultStats? {
        guard try advance() else { return nil }
        cursor += 1
        return batch[cursor - 1]
    }

    /// Calls `body` with the rest of the current block's records (at least one); false at a clean end.
    /// - Throws: the first damage, after every record before it was handed out.
    func nextBatch(_ body: (UnsafeBufferPointer<ResultStats>) -> Void) throws(DecodeError) -> Bool {
        guard try advance() else { return false }
        let from = cursor
        cursor = batch.count
        batch.withUnsafeBufferPointer { p in body(UnsafeBufferPointer(rebasing: p[from...])) }
        return true
    }

    /// Makes sure an undelivered record is in the current batch; false at a clean end.
    /// - Throws: the damage that ended the previous batch, once its records were all handed out.
    private func advance() throws(DecodeError) -> Bool {
        while cursor >= batch.count {
            if let failure = pendingFailure {
                pendingFailure = nil
                queue.removeAll()
                framingEnded = true
                throw failure
            }
            guard refill() else { return false }
        }
        return true
    }

    /// Makes the next block's records the current batch; false when everything was delivered.
    private func refill() -> Bool {
        while true {
            if let head = queue.first {
                switch head {
                case .decoded(let stats, let failure):
                    queue.removeFirst()
                    deliver(stats, failure)
                    return true
                case .remote(let job):
                    // Framing more would wait for a writer (a pipe from a running attack): deliver what is decoded
                    // first, so a live report is never a block behind.
                    let framingWaits = !reader.source.isRegularFile && !reader.nextMessageBuffered
                    if framingEnded || queue.count >= Self.maxQueued || framingWaits || job.poll() {
                        job.wait()
                        queue.removeFirst()
                        outstanding -= 1
                        deliver(job.takeStats(), job.failure.map { reader.decodeError(at: $0.offset, $0.reason) })
                        spareBytes.append(job.takeBytes())
                        return true
                    }
                }
            } else if framingEnded {
                return false
            }
            produce()
        }
    }

    private func deliver(_ stats: [ResultStats], _ failure: DecodeError?) {
        var old = stats
        swap(&old, &batch)
        old.removeAll(keepingCapacity: true)
        if spareStats.count < Self.maxQueued + 2 { spareStats.append(old) }
        cursor = 0
        pendingFailure = failure
    }

    /// Frames one more block: to the worker when it has room, else decoded here.
    private func produce() {
        let block: GobBlock?
        do {
            block = try reader.nextBlock(maxMessages: Self.blockMessages, maxBytes: Self.blockBytes)
        } catch {
            queue.append(.decoded([], error))
            framingEnded = true
            return
        }
        guard let block else {
            framingEnded = true
            return
        }
        reader.source.bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            if outstanding < Self.maxOutstanding {
                var bytes = spareBytes.popLast() ?? []
                bytes.removeAll(keepingCapacity: true)
                bytes.append(contentsOf: UnsafeBufferPointer(start: base + block.start, count: block.end - block.start))
                let job = GobStatsJob(bytes: bytes, stats: spareStats.popLast() ?? [], block: block)
                worker.submit(job)
                queue.append(.remote(job))
                outstanding += 1
            } else {
                var stats = spareStats.popLast() ?? []
                let failure = GobStatsJob.decode(
                    base, from: block.start, to: block.end, block: block, cache: &cache, into: &stats)
                queue.append(.decoded(stats, failure.map { reader.decodeError(at: $0.offset, $0.reason) }))
            }
        }
    }
}

/// One block handed to the worker, with its outcome.
///
/// `@unchecked Sendable`: the worker writes `stats` and `failure` before signalling `done`; the owning thread reads
/// them only after waiting on `done` (the semaphore's mutex orders the two). `waited` is the owner's alone.
final class GobStatsJob: @unchecked Sendable {
    private var bytes: [UInt8]
    let block: GobBlock
    private var stats: [ResultStats]
    var failure: (offset: Int64, reason: String)?
    private let done = OSSemaphore()
    private var waited = false

    /// A job for `block`, whose bytes were copied to `bytes`; records go to `stats` (empty, maybe with capacity).
    init(bytes: [UInt8], stats: [ResultStats], block: GobBlock) {
        self.bytes = bytes
        self.stats = stats
        self.block = block
    }

    /// The decoded records (after `wait()`), leaving the job without them.
    func takeStats() -> [ResultStats] {
        var out: [ResultStats] = []
        swap(&out, &stats)
        return out
    }

    /// The byte buffer, for reuse (after `wait()`).
    func takeBytes() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &bytes)
        return out
    }

    /// Decodes the copied block (on the worker).
    func run(cache: inout StringCache) {
        bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            failure = Self.decode(base, from: 0, to: p.count, block: block, cache: &cache, into: &stats)
        }
        done.signal()
    }

    /// Whether the worker has finished, without blocking.
    func poll() -> Bool {
        if !waited && done.tryWait() { waited = true }
        return waited
    }

    /// Blocks until the worker has finished.
    func wait() {
        if !waited {
            done.wait()
            waited = true
        }
    }

    /// Decodes the framed messages in `base[from..<to]` (the block's bytes) into statistics.
    ///
    /// - Returns: the stream offset and reason of the first damaged message, or nil.
    static func decode(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, block: GobBlock, cache: inout StringCache,
        into out: inout [ResultStats]
    ) -> (offset: Int64, reason: String)? {
        out.reserveCapacity(block.count)
        var position = from
        while position < to {
            var c = ByteCursor(base, position, to)
            guard let length = c.gobUInt(), length <= UInt64(c.remaining) else {
                return (block.offset + Int64(position - from), "gob: truncated record")
            }
            let end = c.position + Int(length)
            var m = ByteCursor(base, c.position, end)
            _ = m.gobInt()  // the type id, checked while framing
            var v = GobRecordView(base: base)
            if let reason = block.plan.decodeView(&m, into: &v) {
                return (block.offset + Int64(position - from), reason)
            }
            out.append(
                ResultStats(
                    v, attack: cache.string(.attack, base + v.attack.start, v.attack.count),
                    error: cache.string(.error, base + v.error.start, v.error.count)))
            position = end
        }
        return nil
    }
}

/// The second decoding thread, started at the first job, with its own string cache; jobs run in submission order.
///
/// `@unchecked Sendable`: `cache` is touched only by the worker thread (or, when no thread could be started, by
/// the submitting thread, which then runs every job itself); the job queue is behind its mutex.
final class GobStatsWorker: @unchecked Sendable {
    private let jobs = Mutex<(queue: [GobStatsJob?], started: Bool, failed: Bool)>(([], false, false))
    private let queued = OSSemaphore()
    private var cache = StringCache()

    /// Queues `job` for the worker thread.
    func submit(_ job: GobStatsJob) {
        let runHere = jobs.withLock { state -> Bool in
            if !state.started && !state.failed {
                state.started = true
                if let thread = OSThread.spawn(name: "barrage-gob", { [self] in work() }) {
                    thread.detach()
                } else {
                    state.failed = true
                }
            }
            if state.failed { return true }
            state.queue.append(job)
            return false
        }
        if runHere {
            job.run(cache: &cache)
        } else {
            queued.signal()
        }
    }

    /// Lets the thread end once the jobs queued before have run.
    func finish() {
        let running = jobs.withLock { state -> Bool in
            if state.started && !state.failed { state.queue.append(nil) }
            return state.started && !state.failed
        }
        if running { queued.signal() }
    }

    private func work() {
        while true {
            queued.wait()
            guard let next = jobs.withLock({ $0.queue.removeFirst() }) else { return }
            next.run(cache: &cache)
        }
    }
}
