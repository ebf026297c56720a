import BarrageCore

extension Timestamp {
    /// Appends Go's `RFC3339Nano` form (`2026-11-22T01:52:59.781494572Z`, trailing fraction zeros removed,
    /// `Z` for a zero offset, else `+hh:mm`), as `Time.MarshalJSON` and `RFC3339Nano` formatting write it.
    public func appendRFC3339Nano(to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: RFC3339.maxLength))
        let written = out.withUnsafeMutableBufferPointer { p -> Int in
            guard let base = p.baseAddress else { return 0 }
            var w = RawBytes(p: base + start)
            putRFC3339Nano(&w)
            return w.p - (base + start)
        }
        out.removeLast(RFC3339.maxLength - written)
    }

    /// Writes the RFC 3339 form (at most `RFC3339.maxLength` bytes).
    @inline(__always)
    func putRFC3339Nano(_ w: inout RawBytes) {
        w.p += RFC3339.write(
            seconds: seconds, nanoseconds: nanoseconds, utcOffset: utcOffset ?? 0, .goNano, to: w.p)
    }

    /// The RFC 3339 text as a string (cold paths: reports, messages).
    public var rfc3339Nano: String {
        RFC3339.string(seconds: seconds, nanoseconds: nanoseconds, utcOffset: utcOffset ?? 0, .goNano)
    }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)`) as Go's `time.Parse(time.RFC3339, …)` accepts it.
    ///
    /// - Returns: nil when the text is not a valid RFC 3339 timestamp.
    static func parseRFC3339(_ p: UnsafePointer<UInt8>, _ count: Int) -> Timestamp? {
        guard let t = RFC3339.parse(p, count, .go) else { return nil }
        return Timestamp(seconds: t.seconds, nanoseconds: t.nanoseconds, utcOffset: t.utcOffset)
    }
}
