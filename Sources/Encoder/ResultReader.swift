#if canImport(Glibc)
    import Glibc
#endif

/// Reads results from several inputs round-robin (one from each in turn, as vegeta does), each input sniffed
/// on its own: gob, then JSON, then CSV, with gzip undone first.
///
/// An input that ends is dropped from the rotation; one that turns out damaged is dropped too and its error is
/// kept in `failures`, so every valid record before the damage is still delivered.
public struct ResultReader {
    var inputs: [ResultInput] = []
    var index = 0
    private var sources: [InputSource] = []
    /// Called before each read that may block (a command flushes its output there, so a pipeline sees every
    /// converted record while its input is idle).
    public var beforeBlockingRead: (() -> Void)? {
        didSet { for s in sources { s.beforeRead = beforeBlockingRead } }
    }
    /// Whether `nextStats()` decodes gob inputs on a second thread too (default: when there is more than one core).
    public var parallelStats = sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1
    /// Inputs that stopped on damaged data, in the order it was found.
    public internal(set) var failures: [DecodeError] = []
    /// Which input (its place in `paths`, from 0) the record last handed out came from.
    public internal(set) var lastInput = 0

    /// Opens and sniffs every input; `[]`, `stdin` and `-` mean standard input.
    ///
    /// - Throws: `DecodeError` when an input cannot be opened or its format cannot be recognised
    ///   (`encode: can't detect encoding of "<file>"`, as vegeta), or its first record is damaged.
    /// - Parameter fields: the fields to decode; the others are skipped and stay zero (CSV always fills all).
    public init(paths: [String], fields: ResultFields = .all) throws(DecodeError) {
        for path in paths.isEmpty ? ["stdin"] : paths {
            let source = try InputSource.open(path)
            sources.append(source)
            let input = try ResultInput(source: source, fields: fields)
            input.ordinal = inputs.count
            inputs.append(input)
        }
    }

    /// Hands the next record to `whole` (a record read while sniffing) or to `view` (a gob record decoded in place),
    /// round-robin like `next()`. Only valid when every input is gob.
    ///
    /// - Returns: false when every input has ended or failed.
    mutating func nextGob<E: Error>(
        whole: (Result) throws(E) -> Void, view: (borrowing GobRecordView) throws(E) -> Void
    ) throws(E) -> Bool {
        while !inputs.isEmpty {
            if index >= inputs.count { index = 0 }
            let input = inputs[index]
            lastInput = input.ordinal
            if let first = input.takePending() {
                index += 1
                try whole(first)
                return true
            }
            guard let gob = input.gob else {
                inputs.remove(at: index)
                continue
            }
            do throws(GobViewError<E>) {
                if try gob.nextView(view) {
                    index += 1
                    return true
                }
                inputs.remove(at: index)
            } catch {
                switch error {
                case .body(let e): throw e
                case .decode(let d):
                    failures.append(d)
                    inputs.remove(at: index)
                }
            }
        }
        return false
    }

    /// The format each input was detected as, in argument order.
    public var formats: [ResultFormat] { inputs.map(\.format) }

    /// The next result in round-robin order, or nil when every input has ended or failed.
    public mutating func next() -> Result? {
        nextInTurn { (input, _) throws(DecodeError) in try input.next() }
    }

    /// The rotation `next()` and `nextStats()` share: `read` gets the input whose turn it is (and how many inputs
    /// are left) and gives its next record, nil at its end; an input that ends or fails leaves the rotation, its
    /// error kept in `failures`.
    @inline(__always)
    mutating func nextInTurn<T>(_ read: (ResultInput, _ inputCount: Int) throws(DecodeError) -> T?) -> T? {
        while !inputs.isEmpty {
            if index >= inputs.count { index = 0 }
            do throws(DecodeError) {
                if let record = try read(inputs[index], inputs.count) {
                    lastInput = inputs[index].ordinal
                    index += 1
                    return record
                }
                inputs.remove(at: index)
            } catch {
                failures.append(error)
                inputs.remove(at: index)
            }
        }
        return nil
    }
}

/// One input with its detected decoder.
final class ResultInput {
    private enum Decoder {
        case gob(GobReader)
        case json(JSONReader)
        case csv(CSVReader)
    }

    private var decoder: Decoder
    private var pending: Result?
    let format: ResultFormat
    /// The input's place among the reader's paths.
    var ordinal = 0
    /// The two-thread statistics decoder, once `nextStats()` started one for this gob input.
    var statsPipeline: GobStatsPipeline?

    /// Detects the format by decoding the first record with each decoder in vegeta's order.
    init(source: InputSource, fields: ResultFields) throws(DecodeError) {
        source.beginRetaining()
        defer { source.endRetaining() }
        let gob = GobReader(source: source, fields: fields)
        var gobError: DecodeError?
        do {
            if try gob.next(sniffing: true) != nil {
                // Start over with a fresh decoder, so the first record is read like every other one (the
                // conversion fast path reads raw bytes, not a decoded first record).
                source.rewind()
                decoder = .gob(GobReader(source: source, fields: fields))
                format = .gob
                return
            }
        } catch {
            gobError = error
        }
        let gobLooksRight = gob.definitionsSeen > 0
        source.rewind()
        if !gobLooksRight {
            let firstByte = try ResultInput.firstNonSpace(source)
            if firstByte == UInt8(ascii: "{") {
                let json = JSONReader(source: source, fields: fields)
                if let first = try json.next() {
                    decoder = .json(json)
                    pending = first
                    format = .json
                    return
                }
            } else if firstByte != nil {
                let csv = CSVReader(source: source)
                if let first = try? csv.next() {
                    decoder = .csv(csv)
                    pending = first
                    format = .csv
                    return
                }
            }
        }
        if gobLooksRight, let gobError { throw gobError }
        throw DecodeError(file: "encode", location: "", reason: "can't detect encoding of \"\(source.name)\"")
    }

    private static func firstNonSpace(_ source: InputSource) throws(DecodeError) -> UInt8? {
        var i = 0
        while true {
            if i >= source.available {
                guard try source.fill(atLeast: i + 1) else { return nil }
            }
            let b = source.bytes[source.position + i]
            if b != 0x20 && b != 0x09 && b != 0x0a && b != 0x0d { return b }
            i += 1
        }
    }

    /// The gob decoder, when this input is gob.
    var gob: GobReader? {
        if case .gob(let g) = decoder { return g }
        return nil
    }

    /// Whether a record decoded while sniffing waits to be read.
    var hasPending: Bool { pending != nil }

    /// The record decoded while sniffing, once.
    func takePending() -> Result? {
        defer { pending = nil }
        return pending
    }

    /// The next record of this input.
    func next() throws(DecodeError) -> Result? {
        if let p = pending {
            pending = nil
            return p
        }
        switch decoder {
        case .gob(let g): return try g.next()
        case .json(let j): return try j.next()
        case .csv(let c): return try c.next()
        }
    }
}
