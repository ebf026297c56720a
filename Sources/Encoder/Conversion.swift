/// `encode`'s loop: every record of a reader written in one format, with a zero-allocation path for gob input.
public enum Conversion {
    /// Copies every record of `reader` to `out` in `format`.
    ///
    /// When every input is gob and the target is JSON or CSV, records are converted straight from the gob bytes
    /// without building `Result` values. Output is flushed whenever input would block, so a live pipe
    /// (`attack | encode`) sees each record promptly.
    ///
    /// - Returns: the inputs that stopped on damaged data (everything before the damage was written).
    /// - Throws: `EncodeError` when the output cannot be written.
    public static func run(_ reader: inout ResultReader, to format: ResultFormat, out: OutputFile) throws(EncodeError)
        -> [DecodeError]
    {
        reader.beforeBlockingRead = { try? out.flush() }
        defer { reader.beforeBlockingRead = nil }
        let gobOnly = reader.formats.allSatisfy { $0 == .gob }
        switch format {
        case .json:
            var w = JSONWriter(out)
            if gobOnly {
                while try reader.nextGob(whole: { (r) throws(EncodeError) in try w.write(r) }, view: { (v) throws(EncodeError) in try w.write(v) }) {}
            } else {
                while let r = reader.next() { try w.write(r) }
            }
        case .csv:
            var w = CSVWriter(out)
            if gobOnly {
                while try reader.nextGob(whole: { (r) throws(EncodeError) in try w.write(r) }, view: { (v) throws(EncodeError) in try w.write(v) }) {}
            } else {
                while let r = reader.next() { try w.write(r) }
            }
        case .gob:
            var w = GobWriter(out)
            while let r = reader.next() { try w.write(r) }
        }
        try out.flush()
        return reader.failures
    }
}
