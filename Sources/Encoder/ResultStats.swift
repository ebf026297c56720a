/// The fields of a result that statistics need: what `report` and `plot` read, without bodies, URLs or headers.
public struct ResultStats: Sendable, Equatable {
    public var attack: String
    public var seq: UInt64
    public var code: UInt16
    public var timestamp: Timestamp
    public var latency: Int64
    public var bytesOut: UInt64
    public var bytesIn: UInt64
    public var error: String

    /// The statistics fields of `r`.
    public init(_ r: Result) {
        self.init(r, attack: r.attack, error: r.error)
    }

    /// The number fields of `r` (a `Result` or a gob view read in place) with the given texts.
    init(_ r: some ResultNumbers, attack: String, error: String) {
        self.attack = attack
        seq = r.seq
        code = r.code
        timestamp = r.timestamp
        latency = r.latency
        bytesOut = r.bytesOut
        bytesIn = r.bytesIn
        self.error = error
    }
}

extension ResultReader {
    /// The next record's statistics fields, round-robin like `next()`; gob inputs are read in place without
    /// building a `Result` (the report and plot fast path). Fields not asked for at `init` stay zero.
    ///
    /// With `parallelStats` (the default on a machine with more than one core), a single gob input is decoded on two
    /// threads (`GobStatsPipeline`); the records, their order and the errors are the same as on one. Several inputs
    /// are read one record at a time in turn anyway, so they stay on one thread each (no thread per file).
    public mutating func nextStats() -> ResultStats? {
        let parallel = parallelStats
        return nextInTurn { (input, inputCount) throws(DecodeError) in
            if let pipeline = input.statsPipeline { return try pipeline.next() }
            guard let gob = input.gob, !input.hasPending else { return try input.next().map(ResultStats.init) }
            guard parallel && inputCount == 1 else { return try gob.nextStats() }
            let pipeline = GobStatsPipeline(reader: gob)
            input.statsPipeline = pipeline
            return try pipeline.next()
        }
    }

    /// Calls `body` with the next records' statistics, in the order `nextStats()` gives them: a whole decoded block
    /// when there is one input on the parallel path, else one record. Saves a copy per record for consumers that
    /// only read the fields (report, plot).
    ///
    /// - Returns: false when every input has ended or failed.
    public mutating func nextStatsBatch(_ body: (UnsafeBufferPointer<ResultStats>) -> Void) -> Bool {
        if inputs.count == 1, let pipeline = inputs[0].statsPipeline {
            lastInput = inputs[0].ordinal
            do {
                if try pipeline.nextBatch(body) { return true }
            } catch {
                failures.append(error)
            }
            inputs.removeAll()
            return false
        }
        guard var one = nextStats() else { return false }
        withUnsafePointer(to: &one) { body(UnsafeBufferPointer(start: $0, count: 1)) }
        return true
    }
}
