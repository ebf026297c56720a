/// `-shard=K/N`: the part of one global schedule this process sends.
///
/// Shard K of N sends hits K, K+N, K+2N, ... of the schedule `-rate`, `-ramp`, `-plan` and `-duration` describe,
/// each due when it would be due in a single process and carrying its global number as `seq`. N shards together
/// send exactly the hits one process would, evenly interleaved, so their result files merge into one attack.
/// `Shard.whole` (0/1) is the unsharded attack.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// K: which residue of the hit numbers this process sends, `0..<count`.
    public let index: UInt64
    /// N: how many processes share the schedule, at least 1.
    public let count: UInt64

    /// The whole schedule in one process (0/1).
    public static let whole = Shard(unchecked: 0, 1)

    /// The environment variable a Kubernetes Indexed Job sets to each pod's index (`-shard=N` alone reads it).
    public static let indexVariable = "JOB_COMPLETION_INDEX"

    /// The largest hit number any schedule reaches: hit numbers past it saturate here, where every pacer has ended.
    static let lastHit = UInt64(Int64.max - 1)

    /// Shard `index` of `count`, or nil unless `count >= 1` and `index < count`.
    public init?(index: UInt64, count: UInt64) {
        guard count >= 1, index < count else { return nil }
        self.init(unchecked: index, count)
    }

    private init(unchecked index: UInt64, _ count: UInt64) {
        self.index = index
        self.count = count
    }

    /// `K/N`, as the flag takes it.
    public var description: String { "\(index)/\(count)" }

    /// The global hit number of this shard's `local`-th hit (from 0): `index + local × count`.
    ///
    /// Saturates at a number past the end of every schedule, so an absurdly long attack ends instead of wrapping.
    public func hit(_ local: UInt64) -> UInt64 {
        let (product, o1) = local.multipliedReportingOverflow(by: count)
        let (sum, o2) = product.addingReportingOverflow(index)
        return o1 || o2 || sum > Shard.lastHit ? Shard.lastHit : sum
    }

    /// The global hit number of the `round`-th hit of event loop `loop` out of `loops`: the loops split this shard's
    /// hits as they split an unsharded attack's (loop k takes the shard's hits k, k+loops, ...).
    public func hit(loop: Int, of loops: Int, round: UInt64) -> UInt64 {
        let (product, o1) = round.multipliedReportingOverflow(by: UInt64(max(1, loops)))
        let (local, o2) = product.addingReportingOverflow(UInt64(max(0, loop)))
        return o1 || o2 ? Shard.lastHit : hit(local)
    }

    /// How many of the global hits `0..<total` are this shard's.
    public func hits(ofFirst total: UInt64) -> UInt64 {
        total > index ? (total - index - 1) / count + 1 : 0
    }

    /// Reads a `-shard` value: `K/N`, or `N` alone with K taken from `environmentIndex` (the value of
    /// `JOB_COMPLETION_INDEX`, nil when it is not set).
    ///
    /// - Returns: the shard, or the reason the value cannot be used (Go-flag style, without the flag's name).
    public static func parse(_ text: String, environmentIndex: String?) -> Swift.Result<Shard, ShardError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let n = number(parts.last ?? ""), n >= 1 else {
            return .failure(ShardError("want K/N (0 <= K < N) or N, e.g. 0/3 or 3"))
        }
        if parts.count == 2 {
            guard let k = number(parts[0]), let shard = Shard(index: k, count: n) else {
                return .failure(ShardError("want K/N with K from 0 to N-1, e.g. 0/\(n)"))
            }
            return .success(shard)
        }
        guard let raw = environmentIndex else {
            return .failure(
                ShardError(
                    "\(indexVariable) is not set (with -shard=N it gives K, as a Kubernetes Indexed Job sets it); "
                        + "give -shard=K/N instead"))
        }
        guard let k = number(Substring(raw)), let shard = Shard(index: k, count: n) else {
            return .failure(ShardError("\(indexVariable)=\"\(raw)\" is not an index from 0 to \(n - 1)"))
        }
        return .success(shard)
    }

    /// A decimal number of ASCII digits (no sign, no spaces), or nil.
    private static func number(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return UInt64(text)
    }
}

/// A `-shard` or `-start-at` value that cannot be used.
public struct ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, one line.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The reason.
    public var description: String { message }
}
