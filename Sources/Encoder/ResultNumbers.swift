/// The number fields of a record, vegeta's `Result` from `Seq` to `BytesIn`: what the writers and `ResultStats`
/// read alike from a `Result` and from a gob record decoded in place.
///
/// Used only as a generic constraint inside this module, so every use is specialized (no witness-table call per
/// record).
protocol ResultNumbers {
    var seq: UInt64 { get }
    var code: UInt16 { get }
    var timestamp: Timestamp { get }
    var latency: Int64 { get }
    var bytesOut: UInt64 { get }
    var bytesIn: UInt64 { get }
}

extension Result: ResultNumbers {}
extension GobRecordView: ResultNumbers {}
