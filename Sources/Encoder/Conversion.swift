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
            try copy(&reader, to: JSONWriter(out), gobOnly: gobOnly)
        case .csv:
            try copy(&reader, to: CSVWriter(out), gobOnly: gobOnly)
        case .gob:
            var w = GobWriter(out)
            while let r = reader.next() { try w.write(r) }
        }
        try out.flush()
        return reader.failures
    }

    /// Every record of `reader` through `writer`, straight from the gob bytes when `gobOnly`; specialised per
    /// writer (no existential per record).
    private static func copy<W: GobViewWriter>(_ reader: inout ResultReader, to writer: W, gobOnly: Bool)
        throws(EncodeError)
    {
        var w = writer
        if gobOnly {
            while try reader.nextGob(
                whole: { (r) throws(EncodeError) in try w.write(r) },
                view: { (v) throws(EncodeError) in try w.write(v) })
            {}
        } else {
            while let r = reader.next() { try w.write(r) }
        }
    }
}
