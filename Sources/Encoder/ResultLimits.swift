/// The size limits every result reader applies, whatever the format (gob, JSON, CSV) and the fields kept.
///
/// Memory follows the bytes that arrived, never a length a file claims: a record is buffered as it is read, and
/// one that grows past the limit is refused with an error naming the file and where the record starts.
public enum ResultLimits {
    /// The largest record read: one JSON line, one CSV record, one gob message (64 MiB: a response body of
    /// about 48 MB fits, base64 and all).
    public static let maxRecordBytes = 64 << 20

    /// `maxRecordBytes` as the messages and the usage text write it.
    public static let maxRecordText = "64 MiB"
}
