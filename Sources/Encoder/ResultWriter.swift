/// Something that writes a stream of results in one encoding.
///
/// Writers are generic-specialised by the commands (`some ResultWriter`), never boxed per result.
public protocol ResultWriter {
    /// Encodes one result into the output buffer.
    mutating func write(_ result: Result) throws(EncodeError)
    /// Writes everything buffered out.
    mutating func flush() throws(EncodeError)
}

/// A writer that also takes a gob record decoded in place, so gob input converts without building a `Result`.
protocol GobViewWriter: ResultWriter {
    /// Encodes one gob record view into the output buffer.
    mutating func write(_ v: borrowing GobRecordView) throws(EncodeError)
}

/// The three encodings vegeta reads and writes.
public enum ResultFormat: String, Sendable, CaseIterable {
    case gob, json, csv
}
