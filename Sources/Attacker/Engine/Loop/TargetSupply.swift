import Synchronization

/// A target as one transport sends it: built by that transport's request type only when that transport runs,
/// once per target (shared read-only by every loop) or per hit with `-lazy`.
protocol EngineRequest: AnyObject, Sendable {
    /// Builds the request for `target` with the attack's options (name, `-chunked`, `-keepalive`).
    init(_ target: Target, options: AttackOptions)
    /// The target's method and URL, as its results carry them.
    var method: String { get }
    var url: String { get }
    /// Go's `url.Error` operation: `Get`, `Post`, ...
    var errorOp: String { get }
    /// Bytes of the target's body (a result's `bytesOut`).
    var bodyCount: Int { get }
}

extension EngineRequest {
    /// Go's `url.Error` operation for `method`: the method with only its first letter upper case.
    static func operation(_ method: String) -> String {
        method.isEmpty ? "" : method.prefix(1) + method.dropFirst().lowercased()
    }
}

/// Where hits get their targets: a loaded list (round robin by hit number) or a stream read on demand.
enum TargetSupply<Request: EngineRequest>: Sendable {
    case eager([Request])
    case lazy(LazyTargets<Request>)
}

/// The `-lazy` stream, read under a lock by whichever loop needs the next target.
///
/// Hit n of the whole attack uses the stream's target n. A shard (`-shard=K/N`) reads the stream as every shard
/// does and skips the targets of the other shards' hits: K before its first hit, N-1 between two of its hits. A
/// damaged target or the end of the stream among the skipped ones ends this shard too (its next hit's result
/// carries the error), as the whole attack would have ended there.
final class LazyTargets<Request: EngineRequest>: Sendable {
    private struct Stream {
        var reader: TargetReader?
        /// Targets handed out so far.
        var taken: UInt64 = 0
    }

    private let stream: Mutex<Stream>
    /// What each target is built into its request with.
    private let options: AttackOptions

    init(_ reader: consuming TargetReader, options: AttackOptions) {
        self.stream = Mutex(Stream(reader: Optional(reader)))
        self.options = options
    }

    /// The next target, or the error text that ends the attack (`no targets to attack` at the end).
    func next() -> (target: Request?, error: String) {
        let shard = options.shard
        let got: Swift.Result<Target?, TargetError>? = stream.withLock { (s) -> Swift.Result<Target?, TargetError>? in
            guard var current = s.reader else { return nil }
            defer { s.reader = current }
            let skip = s.taken == 0 ? shard.index : shard.count - 1
            s.taken &+= 1
            do throws(TargetError) {
                for _ in 0..<skip {
                    guard try current.next() != nil else { return .success(nil) }
                }
                return .success(try current.next())
            } catch {
                return .failure(error)
            }
        }
        switch got {
        case .none, .success(.none): return (nil, TargetError.noTargets)
        case .success(.some(let t)):
            return (Request(t, options: options), "")
        case .failure(let e): return (nil, e.description)
        }
    }
}
