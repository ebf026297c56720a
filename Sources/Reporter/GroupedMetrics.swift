public import Encoder

/// Report metrics for the whole input and for each group of it (`report -by`), with a bounded number of groups.
///
/// The first `limit` distinct keys get a group each; results of any later key go to one `other` group, so memory
/// stays bounded (each group is one `Metrics`, a few hundred KB) however many keys hostile input holds.
///
/// Thread confinement: a value type; `add` must not run concurrently with anything else on the same value.
public struct GroupedMetrics: Sendable {
    /// The most groups kept apart; later keys share the `other` group.
    public static let defaultLimit = 100

    /// What the results are split by.
    public let grouping: Grouping
    /// The most groups kept apart.
    public let limit: Int
    /// Input names, for `Grouping.file`.
    public let inputNames: [String]
    /// Every result.
    public private(set) var total: Metrics
    /// One entry per key, in the order first seen.
    public private(set) var groups: [(key: String, metrics: Metrics)] = []
    /// Results whose key came after the first `limit` keys; nil while there are none.
    public private(set) var other: Metrics?
    private var index: [String: Int] = [:]
    private let buckets: Buckets?

    /// Creates empty metrics.
    ///
    /// - Parameters:
    ///   - grouping: the key results are split by.
    ///   - inputNames: the inputs' names, in reading order (for `.file`).
    ///   - buckets: latency buckets each group counts, if any.
    ///   - limit: the most groups kept apart (at least 0).
    public init(grouping: Grouping, inputNames: [String] = [], buckets: Buckets? = nil, limit: Int = defaultLimit) {
        self.grouping = grouping
        self.limit = max(0, limit)
        self.inputNames = inputNames
        self.buckets = buckets
        total = Metrics(buckets: buckets)
    }

    /// Adds `result`, read from input `input`, to the total and to its key's group. O(key length).
    public mutating func add(_ result: Result, input: Int = 0) {
        let stats = ResultStats(result)
        total.add(stats)
        let key = grouping.key(result, input: input, inputNames: inputNames)
        if let i = index[key] {
            groups[i].metrics.add(stats)
        } else if groups.count < limit {
            index[key] = groups.count
            var metrics = Metrics(buckets: buckets)
            metrics.add(stats)
            groups.append((key, metrics))
        } else {
            if other == nil { other = Metrics(buckets: buckets) }
            other?.add(stats)
        }
    }

    /// The groups sorted by key (bytewise, as status codes are sorted).
    public var sortedGroups: [(key: String, metrics: Metrics)] {
        groups.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }
}
