/// Writes a gob stream byte-compatible with vegeta's: its fixed 206-byte preamble, then one message per result.
///
/// Fields holding their zero value are left out, exactly as Go's encoder does, so real vegeta reads the stream
/// and our file equals vegeta's for the same records (header maps in our stored order).
public struct GobWriter: ResultWriter {
    private let out: OutputFile
    private var wrotePreamble = false
    private var scratch: [UInt8] = []

    /// Creates a writer; the preamble is written with the first result (an empty stream stays empty, as in vegeta).
    public init(_ out: OutputFile) {
        self.out = out
        scratch.reserveCapacity(4096)
    }

    public mutating func write(_ r: Result) throws(EncodeError) {
        if !wrotePreamble {
            try out.write(GobWriter.preamble)
            wrotePreamble = true
        }
        // Encode the payload 9 bytes in (room for the longest length prefix), then slide it against the prefix.
        let start = try out.reserve(GobWriter.bound(r))
        var w = RawBytes(p: start + 9)
        GobWriter.encodePayload(r, to: &w)
        let length = w.p - (start + 9)
        var prefix = RawBytes(p: start)
        prefix.putGobUInt(UInt64(length))
        let prefixLength = prefix.p - start
        if prefixLength < 9 { (start + prefixLength).update(from: start + 9, count: length) }
        try out.commit(prefixLength + length)
    }

    public mutating func flush() throws(EncodeError) {
        try out.flush()
    }

    /// An upper bound of the message size: every length and number takes at most 9 bytes.
    static func bound(_ r: Result) -> Int {
        var n =
            9 + 2 + 12 * 10 + 17 + r.attack.utf8.count + r.error.utf8.count + r.method.utf8.count
            + r.url.utf8.count + (r.body?.count ?? 0) + 1
        if let headers = r.headers {
            n += 9
            for h in headers {
                n += 18 + h.name.utf8.count
                for v in h.values { n += 9 + v.utf8.count }
            }
        }
        return n
    }

    /// The message payload of one result: type id 64, then the non-zero fields with their deltas.
    static func encodePayload(_ r: Result, to w: inout RawBytes) {
        w.put(0xff)
        w.put(0x80)
        var last = -1
        @inline(__always) func delta(_ field: Int, _ w: inout RawBytes) {
            w.put(UInt8(field - last))
            last = field
        }
        // A field is written only when it is not its zero value.
        @inline(__always) func uint(_ field: Int, _ v: UInt64, _ w: inout RawBytes) {
            guard v != 0 else { return }
            delta(field, &w)
            w.putGobUInt(v)
        }
        @inline(__always) func string(_ field: Int, _ s: String, _ w: inout RawBytes) {
            guard !s.isEmpty else { return }
            delta(field, &w)
            w.putGobString(s)
        }
        string(0, r.attack, &w)
        uint(1, r.seq, &w)
        uint(2, UInt64(r.code), &w)
        if !r.timestamp.isZero {
            delta(3, &w)
            GobTime.put(r.timestamp, &w)
        }
        if r.latency != 0 {
            delta(4, &w)
            w.putGobInt(r.latency)
        }
        uint(5, r.bytesOut, &w)
        uint(6, r.bytesIn, &w)
        string(7, r.error, &w)
        if let body = r.body, !body.isEmpty {
            delta(8, &w)
            w.putGobUInt(UInt64(body.count))
            body.withUnsafeBufferPointer { w.put($0) }
        }
        string(9, r.method, &w)
        string(10, r.url, &w)
        if let headers = r.headers, !headers.isEmpty {
            delta(11, &w)
            w.putGobUInt(UInt64(headers.count))
            for h in headers {
                w.putGobString(h.name)
                w.putGobUInt(UInt64(h.values.count))
                for v in h.values { w.putGobString(v) }
            }
        }
        w.put(0)
    }

    /// The four type definitions vegeta's encoder sends before the first value (reference §3): Result (id 64),
    /// Time (65, a GobEncoder), Header (67, map[string][]string) and []string (66), 206 bytes.
    static let preamble: [UInt8] = [
        0xff, 0x96, 0x7f, 0x03, 0x01, 0x01, 0x06, 0x52, 0x65, 0x73, 0x75, 0x6c, 0x74, 0x01, 0xff, 0x80,
        0x00, 0x01, 0x0c, 0x01, 0x06, 0x41, 0x74, 0x74, 0x61, 0x63, 0x6b, 0x01, 0x0c, 0x00, 0x01, 0x03,
        0x53, 0x65, 0x71, 0x01, 0x06, 0x00, 0x01, 0x04, 0x43, 0x6f, 0x64, 0x65, 0x01, 0x06, 0x00, 0x01,
        0x09, 0x54, 0x69, 0x6d, 0x65, 0x73, 0x74, 0x61, 0x6d, 0x70, 0x01, 0xff, 0x82, 0x00, 0x01, 0x07,
        0x4c, 0x61, 0x74, 0x65, 0x6e, 0x63, 0x79, 0x01, 0x04, 0x00, 0x01, 0x08, 0x42, 0x79, 0x74, 0x65,
        0x73, 0x4f, 0x75, 0x74, 0x01, 0x06, 0x00, 0x01, 0x07, 0x42, 0x79, 0x74, 0x65, 0x73, 0x49, 0x6e,
        0x01, 0x06, 0x00, 0x01, 0x05, 0x45, 0x72, 0x72, 0x6f, 0x72, 0x01, 0x0c, 0x00, 0x01, 0x04, 0x42,
        0x6f, 0x64, 0x79, 0x01, 0x0a, 0x00, 0x01, 0x06, 0x4d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x01, 0x0c,
        0x00, 0x01, 0x03, 0x55, 0x52, 0x4c, 0x01, 0x0c, 0x00, 0x01, 0x07, 0x48, 0x65, 0x61, 0x64, 0x65,
        0x72, 0x73, 0x01, 0xff, 0x86, 0x00, 0x00, 0x00, 0x10, 0xff, 0x81, 0x05, 0x01, 0x01, 0x04, 0x54,
        0x69, 0x6d, 0x65, 0x01, 0xff, 0x82, 0x00, 0x00, 0x00, 0x17, 0xff, 0x85, 0x04, 0x01, 0x01, 0x06,
        0x48, 0x65, 0x61, 0x64, 0x65, 0x72, 0x01, 0xff, 0x86, 0x00, 0x01, 0x0c, 0x01, 0xff, 0x84, 0x00,
        0x00, 0x0c, 0xff, 0x83, 0x02, 0x01, 0x02, 0xff, 0x84, 0x00, 0x01, 0x0c, 0x00, 0x00,
    ]
}

extension RawBytes {
    @inline(__always)
    mutating func putGobUInt(_ v: UInt64) {
        if v < 0x80 {
            put(UInt8(v))
            return
        }
        let n = (UInt64.bitWidth - v.leadingZeroBitCount + 7) / 8
        put(UInt8(truncatingIfNeeded: 256 - n))
        for i in stride(from: n - 1, through: 0, by: -1) { put(UInt8(truncatingIfNeeded: v >> UInt64(i * 8))) }
    }

    @inline(__always)
    mutating func putGobInt(_ i: Int64) {
        putGobUInt(i < 0 ? (UInt64(bitPattern: ~i) << 1) | 1 : UInt64(bitPattern: i) << 1)
    }

    @inline(__always)
    mutating func putGobString(_ s: String) {
        putGobUInt(UInt64(s.utf8.count))
        putUTF8(s)
    }
}
