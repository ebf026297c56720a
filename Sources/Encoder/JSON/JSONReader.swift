import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads vegeta's JSON lines: one object per line, keys matched case-sensitively, unknown keys skipped,
/// `null` allowed for any field. Unlike vegeta, a final line without a newline is read, not dropped.
final class JSONReader {
    let source: InputSource
    /// 1-based number of the next line.
    private(set) var line = 1

    private let wanted: ResultFields

    init(source: InputSource, fields: ResultFields = .all) {
        self.source = source
        self.wanted = fields
    }

    /// Decodes the next result, skipping blank lines.
    ///
    /// - Returns: nil at the end of input.
    /// - Throws: `DecodeError` naming the line.
    func next() throws(DecodeError) -> Result? {
        while true {
            // Find the end of the line, reading more as needed.
            var scanned = 0
            var lineEnd = -1
            while lineEnd < 0 {
                let found: Int = source.bytes.withUnsafeBufferPointer { p in
                    guard let b = p.baseAddress else { return -1 }
                    let start = source.position + scanned
                    let n = source.limit - start
                    guard n > 0, let hit = memchr(b + start, 0x0a, n) else { return -1 }
                    return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - b
                }
                if found >= 0 {
                    lineEnd = found
                    break
                }
                scanned = source.available
                if scanned > ResultLimits.maxRecordBytes {
                    throw DecodeError(
                        file: source.name, location: "line \(line), byte \(source.offset)",
                        reason: "line longer than \(ResultLimits.maxRecordText) (the limit for one result)")
                }
                if !(try source.fill(atLeast: source.available + 1)) {
                    if source.available == 0 { return nil }
                    lineEnd = source.limit  // last line without newline
                }
            }
            let start = source.position
            if lineEnd - start > ResultLimits.maxRecordBytes {
                throw DecodeError(
                    file: source.name, location: "line \(line), byte \(source.offset)",
                    reason: "line longer than \(ResultLimits.maxRecordText) (the limit for one result)")
            }
            let consumed = min(lineEnd + 1, source.limit) - start
            let lineNumber = line
            line += 1
            let outcome: Parsed = source.bytes.withUnsafeBufferPointer { p in
                guard let b = p.baseAddress else { return .blank }
                var parser = JSONLineParser(ByteCursor(b, start, lineEnd), wanted: wanted)
                return parser.parseResult()
            }
            source.consume(consumed)
            switch outcome {
            case .blank: continue
            case .result(let r): return r
            case .failure(let reason):
                throw DecodeError(file: source.name, location: "line \(lineNumber)", reason: reason)
            }
        }
    }
}

enum Parsed {
    case blank
    case result(Result)
    case failure(String)
}
