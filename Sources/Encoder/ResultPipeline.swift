#if canImport(Glibc)
import Glibc
#endif

/// Decodes on a second thread while the caller's thread consumes, in batches.
///
/// Decoding and encoding each take about half of a conversion's CPU, so on two cores this nearly halves the wall
/// time. At most `depth` batches of `batchSize` results are in flight, so memory stays flat.
public enum ResultPipeline {
    /// Reads every result of `reader` on a background thread and hands them to `consume` in order on this thread.
    ///
    /// A partial batch is handed over whenever the decoder is about to wait for input, and `idle` runs on this
    /// thread whenever it has nothing to consume, so a live pipeline (`attack | encode`) is never held back.
    ///
    /// - Returns: the reader's failures (damaged inputs), after every good record was consumed.
    /// - Throws: whatever `consume` throws; the decoder thread is stopped and joined first.
    public static func run<E: Error>(
        _ reader: consuming ResultReader, batchSize: Int = 512, depth: Int = 8, idle: () -> Void = {},
        _ consume: (borrowing [Result]) throws(E) -> Void
    ) throws(E) -> [DecodeError] {
        let queue = BatchQueue(depth: depth)
        let job = DecodeJob(reader: reader, queue: queue, batchSize: batchSize)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(job).toOpaque()
        let started = pthread_create(&thread, nil, { arg in
            guard let arg else { return nil }
            let job = Unmanaged<DecodeJob>.fromOpaque(arg).takeRetainedValue()
            job.run()
            return nil
        }, box)
        if started != 0 {
            // No thread: decode inline.
            let job = Unmanaged<DecodeJob>.fromOpaque(box).takeRetainedValue()
            var reader = job.takeReader()
            var batch: [Result] = []
            while let r = reader.next() {
                batch.append(r)
                if batch.count == batchSize {
                    try consume(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try consume(batch) }
            return reader.failures
        }
        defer { pthread_join(thread, nil) }
        do throws(E) {
            while let batch = queue.pop(idle: idle) {
                try consume(batch)
            }
        } catch {
            queue.cancel()
            throw error
        }
        return job.failures
    }
}

/// The decoder side: owns the reader once handed over (thread-confined to the decoder thread).
private final class DecodeJob: @unchecked Sendable {
    // Safety: `reader` is touched only by the decoder thread after `run()` starts (or inline when no thread
    // could be started); `failures` is written before `queue.finish()` and read after `pthread_join`.
    private var reader: ResultReader?
    private let queue: BatchQueue
    private let batchSize: Int
    var failures: [DecodeError] = []

    init(reader: consuming ResultReader, queue: BatchQueue, batchSize: Int) {
        self.reader = reader
        self.queue = queue
        self.batchSize = batchSize
    }

    func takeReader() -> ResultReader {
        guard let r = reader else { preconditionFailure("reader taken twice") }
        reader = nil
        return r
    }

    /// The batch being filled (decoder thread only).
    private var batch: [Result] = []

    func run() {
        var reader = takeReader()
        reader.beforeBlockingRead = { [unowned self] in self.handOver() }
        batch.reserveCapacity(batchSize)
        while let r = reader.next() {
            batch.append(r)
            if batch.count == batchSize && !handOver() { break }
        }
        handOver()
        reader.beforeBlockingRead = nil
        failures = reader.failures
        queue.finish()
    }

    /// Pushes the current batch, if any; false once the consumer cancelled.
    @discardableResult
    private func handOver() -> Bool {
        guard !batch.isEmpty else { return true }
        let full = batch
        batch = []
        batch.reserveCapacity(batchSize)
        return queue.push(full)
    }
}

/// A bounded FIFO of result batches between two threads (pthread mutex + condition variables).
private final class BatchQueue: @unchecked Sendable {
    // Safety: every field is read and written only with `mutex` held.
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var items: [[Result]] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    private let depth: Int

    init(depth: Int) {
        self.depth = depth
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    deinit {
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    /// Adds a batch, waiting while the queue is full; false once the consumer cancelled.
    func push(_ batch: [Result]) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while items.count - head >= depth && !cancelled { pthread_cond_wait(&changed, &mutex) }
        if cancelled { return false }
        items.append(batch)
        pthread_cond_broadcast(&changed)
        return true
    }

    /// The next batch, waiting for one; nil when the producer finished and everything was taken.
    func pop(idle: () -> Void) -> [Result]? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if head == items.count && !finished {
            pthread_mutex_unlock(&mutex)
            idle()
            pthread_mutex_lock(&mutex)
        }
        while head == items.count && !finished { pthread_cond_wait(&changed, &mutex) }
        if head == items.count { return nil }
        let batch = items[head]
        items[head] = []
        head += 1
        if head > 64 {
            items.removeFirst(head)
            head = 0
        }
        pthread_cond_broadcast(&changed)
        return batch
    }

    func finish() {
        pthread_mutex_lock(&mutex)
        finished = true
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    func cancel() {
        pthread_mutex_lock(&mutex)
        cancelled = true
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }
}
