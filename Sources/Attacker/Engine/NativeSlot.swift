#if canImport(Glibc)
    import Glibc
#endif

/// One hit in flight on the native transport (reused for the next hit once finished).
final class NativeSlot: PooledSlot {
    let index: Int
    var seq: UInt64 = 0
    var started: Int64 = 0
    var deadline: Int64 = 0
    /// Bumped per hit, so stale timeout entries and queue places are recognised.
    var generation: UInt32 = 0
    var active = false
    var target: PreparedTarget?
    /// The request being sent: the target's, or a redirect's.
    var wire: WireRequest?
    var redirects = 0
    /// A request that failed on a reused connection before any answer is sent again once, on a new one.
    var retried = false
    var out: [UInt8] = []
    var outSent = 0
    var conn: NativeConnection?
    var body: [UInt8] = []
    /// Compressed bytes of a gzip response, decoded when complete.
    var compressed: [UInt8] = []
    var headerBytes: [UInt8] = []

    init(index: Int) {
        self.index = index
        out.reserveCapacity(256)
        headerBytes.reserveCapacity(256)
    }
}
