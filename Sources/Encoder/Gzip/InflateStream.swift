import CZlib

/// One zlib inflate stream reading gzip (windowBits 15+32), the one place barrage drives zlib's inflater: result
/// files ending in `.gz` (`InputSource`) and gzip response bodies (the attacker's `GzipBody`) each keep their own
/// rules and words on top of it.
///
/// The `z_stream` lives on the heap (zlib keeps a pointer back to it, so it must never move) and is ended once,
/// when this object goes away. Not thread-safe: one owner at a time.
package final class InflateStream {
    private let z: UnsafeMutablePointer<z_stream>
    /// Whether zlib accepted the stream; an object that is not ready inflates nothing.
    package let isReady: Bool

    /// Starts a stream; check `isReady`.
    package init() {
        z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        z.initialize(to: z_stream())
        isReady = czlib_inflate_init_gzip(z) == Z_OK
    }

    deinit {
        if isReady { inflateEnd(z) }
        z.deallocate()
    }

    /// Ready for a new member (or a new body): `inflateReset`.
    ///
    /// - Returns: whether zlib accepted the reset.
    @discardableResult
    package func reset() -> Bool { isReady && inflateReset(z) == Z_OK }

    /// One `inflate(Z_NO_FLUSH)` call from `count` bytes at `input` into `room` bytes at `output` (each at most
    /// `UInt32.max` is offered).
    ///
    /// - Returns: the bytes consumed and produced, and zlib's return code.
    package func inflate(
        _ input: UnsafePointer<UInt8>, _ count: Int, into output: UnsafeMutablePointer<UInt8>, room: Int
    ) -> (consumed: Int, produced: Int, code: Int32) {
        guard isReady else { return (0, 0, Z_STREAM_ERROR) }
        let offered = min(count, Int(UInt32.max))
        let space = min(room, Int(UInt32.max))
        z.pointee.next_in = UnsafeMutablePointer(mutating: input)
        z.pointee.avail_in = uInt(offered)
        z.pointee.next_out = output
        z.pointee.avail_out = uInt(space)
        let code = CZlib.inflate(z, Z_NO_FLUSH)
        return (offered - Int(z.pointee.avail_in), space - Int(z.pointee.avail_out), code)
    }

    /// zlib's message for the last failure (`incorrect header check`, ...), if it gave one.
    package var message: String? { z.pointee.msg.map { String(cString: $0) } }
}
