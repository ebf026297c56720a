/// Something that folds results' statistics fields into a summary (`report`'s metrics, `plot`'s series): it
/// implements `add(_: ResultStats)` and gets `add(_: Result)` from here.
public protocol ResultStatsConsumer {
    /// Adds one result's statistics fields.
    mutating func add(_ result: ResultStats)
}

extension ResultStatsConsumer {
    /// Adds one result.
    ///
    /// Inlinable so a caller in another module gets it specialized for its concrete consumer: a direct call per
    /// result, never a witness-table call.
    @inlinable
    public mutating func add(_ result: Result) {
        add(ResultStats(result))
    }
}
