/// Something that writes a stream of results in one encoding.
///
/// Writers are generic-specialised by the commands (`some ResultWriter`), never boxed per result.
public protocol ResultWriter {
    /// Encodes one result into the output buffer.
    mutating func write(_ result: Result) throws(EncodeError)
    /// Writes everything buffered out.
    mutating func flush() throws(EncodeError)
}

/// The three encodings vegeta reads and writes.
public enum ResultFormat: String, Sendable, CaseIterable {
    case gob, json, csv
}
