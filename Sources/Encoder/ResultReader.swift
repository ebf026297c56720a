/// Reads results from several inputs round-robin (one from each in turn, as vegeta does), each input sniffed
/// on its own: gob, then JSON, then CSV, with gzip undone first.
///
/// An input that ends is dropped from the rotation; one that turns out damaged is dropped too and its error is
/// kept in `failures`, so every valid record before the damage is still delivered.
public struct ResultReader {
    private var inputs: [ResultInput] = []
    private var index = 0
    /// Inputs that stopped on damaged data, in the order it was found.
    public private(set) var failures: [DecodeError] = []

    /// Opens and sniffs every input; `[]`, `stdin` and `-` mean standard input.
    ///
    /// - Throws: `DecodeError` when an input cannot be opened or its format cannot be recognised
    ///   (`encode: can't detect encoding of "<file>"`, as vegeta), or its first record is damaged.
    /// - Parameter beforeBlockingRead: called before each read that may block (a command flushes its output
    ///   there, so a pipeline sees every converted record while its input is idle).
    public init(paths: [String], beforeBlockingRead: (() -> Void)? = nil) throws(DecodeError) {
        for path in paths.isEmpty ? ["stdin"] : paths {
            let source = try InputSource.open(path)
            source.beforeRead = beforeBlockingRead
            inputs.append(try ResultInput(source: source))
        }
    }

    /// The format each input was detected as, in argument order.
    public var formats: [ResultFormat] { inputs.map(\.format) }

    /// The next result in round-robin order, or nil when every input has ended or failed.
    public mutating func next() -> Result? {
        while !inputs.isEmpty {
            if index >= inputs.count { index = 0 }
            do {
                if let r = try inputs[index].next() {
                    index += 1
                    return r
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

    /// Detects the format by decoding the first record with each decoder in vegeta's order.
    init(source: InputSource) throws(DecodeError) {
        source.beginRetaining()
        defer { source.endRetaining() }
        var gob = GobReader(source: source)
        var gobError: DecodeError?
        do {
            if let first = try gob.next(sniffing: true) {
                decoder = .gob(gob)
                pending = first
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
                var json = JSONReader(source: source)
                if let first = try json.next() {
                        decoder = .json(json)
                        pending = first
                    format = .json
                    return
                }
            } else if firstByte != nil {
                var csv = CSVReader(source: source)
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

    /// The next record of this input.
    func next() throws(DecodeError) -> Result? {
        if let p = pending {
            pending = nil
            return p
        }
        switch decoder {
        case .gob(var g):
            defer { decoder = .gob(g) }
            return try g.next()
        case .json(var j):
            defer { decoder = .json(j) }
            return try j.next()
        case .csv(var c):
            defer { decoder = .csv(c) }
            return try c.next()
        }
    }
}
