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
            out.buffer.append(contentsOf: GobWriter.preamble)
            wrotePreamble = true
        }
        // Leave room for the length prefix (at most 9 bytes), then fill it in front of the payload.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0, 0])
        GobWriter.encodePayload(r, into: &scratch)
        let length = UInt64(scratch.count - 9)
        var prefix: [UInt8] = []
        prefix.appendGobUInt(length)
        let start = 9 - prefix.count
        for i in 0..<prefix.count { scratch[start + i] = prefix[i] }
        out.buffer.append(contentsOf: scratch[start...])
        try out.didAppend()
    }

    public mutating func flush() throws(EncodeError) {
        try out.flush()
    }

    /// The message payload of one result: type id 64, then the non-zero fields with their deltas.
    static func encodePayload(_ r: Result, into b: inout [UInt8]) {
        b.append(0xff)
        b.append(0x80)
        var last = -1
        func delta(_ field: Int, _ b: inout [UInt8]) {
            b.appendGobUInt(UInt64(field - last))
            last = field
        }
        if !r.attack.isEmpty {
            delta(0, &b)
            b.appendGobString(r.attack)
        }
        if r.seq != 0 {
            delta(1, &b)
            b.appendGobUInt(r.seq)
        }
        if r.code != 0 {
            delta(2, &b)
            b.appendGobUInt(UInt64(r.code))
        }
        if !r.timestamp.isZero {
            delta(3, &b)
            GobTime.append(r.timestamp, to: &b)
        }
        if r.latency != 0 {
            delta(4, &b)
            b.appendGobInt(r.latency)
        }
        if r.bytesOut != 0 {
            delta(5, &b)
            b.appendGobUInt(r.bytesOut)
        }
        if r.bytesIn != 0 {
            delta(6, &b)
            b.appendGobUInt(r.bytesIn)
        }
        if !r.error.isEmpty {
            delta(7, &b)
            b.appendGobString(r.error)
        }
        if let body = r.body, !body.isEmpty {
            delta(8, &b)
            b.appendGobUInt(UInt64(body.count))
            b.append(contentsOf: body)
        }
        if !r.method.isEmpty {
            delta(9, &b)
            b.appendGobString(r.method)
        }
        if !r.url.isEmpty {
            delta(10, &b)
            b.appendGobString(r.url)
        }
        if let headers = r.headers, !headers.isEmpty {
            delta(11, &b)
            b.appendGobUInt(UInt64(headers.count))
            for h in headers {
                b.appendGobString(h.name)
                b.appendGobUInt(UInt64(h.values.count))
                for v in h.values { b.appendGobString(v) }
            }
        }
        b.append(0)
    }

    /// The four type definitions vegeta's encoder sends before the first value (reference §3).
    static let preamble: [UInt8] = {
        var p: [UInt8] = []
        func msg(_ body: [UInt8]) {
            p.appendGobUInt(UInt64(body.count))
            p.append(contentsOf: body)
        }
        func str(_ s: String) -> [UInt8] { [UInt8(s.utf8.count)] + Array(s.utf8) }
        // id -64: StructT{CommonType{"Result", 64}, Field: 12 fieldTypes}
        var result: [UInt8] = [0x7f, 0x03, 0x01, 0x01] + str("Result") + [0x01, 0xff, 0x80, 0x00, 0x01, 0x0c]
        let fields: [(String, [UInt8])] = [
            ("Attack", [0x0c]), ("Seq", [0x06]), ("Code", [0x06]), ("Timestamp", [0xff, 0x82]),
            ("Latency", [0x04]), ("BytesOut", [0x06]), ("BytesIn", [0x06]), ("Error", [0x0c]),
            ("Body", [0x0a]), ("Method", [0x0c]), ("URL", [0x0c]), ("Headers", [0xff, 0x86]),
        ]
        for (name, id) in fields { result += [0x01] + str(name) + [0x01] + id + [0x00] }
        result += [0x00, 0x00]
        msg(result)
        // id -65: GobEncoderT{CommonType{"Time", 65}}
        msg([0xff, 0x81, 0x05, 0x01, 0x01] + str("Time") + [0x01, 0xff, 0x82, 0x00, 0x00, 0x00])
        // id -67: MapT{CommonType{"Header", 67}, Key: string, Elem: 66}
        msg([0xff, 0x85, 0x04, 0x01, 0x01] + str("Header") + [0x01, 0xff, 0x86, 0x00, 0x01, 0x0c, 0x01, 0xff, 0x84, 0x00, 0x00])
        // id -66: SliceT{CommonType{"", 66}, Elem: string}
        msg([0xff, 0x83, 0x02, 0x01, 0x02, 0xff, 0x84, 0x00, 0x01, 0x0c, 0x00, 0x00])
        return p
    }()
}

extension [UInt8] {
    @inline(__always)
    mutating func appendGobUInt(_ v: UInt64) {
        if v < 0x80 {
            append(UInt8(v))
            return
        }
        let n = (UInt64.bitWidth - v.leadingZeroBitCount + 7) / 8
        append(UInt8(truncatingIfNeeded: 256 - n))
        for i in stride(from: n - 1, through: 0, by: -1) { append(UInt8(truncatingIfNeeded: v >> UInt64(i * 8))) }
    }

    @inline(__always)
    mutating func appendGobInt(_ i: Int64) {
        let u: UInt64 = i < 0 ? (UInt64(bitPattern: ~i) << 1) | 1 : UInt64(bitPattern: i) << 1
        appendGobUInt(u)
    }

    @inline(__always)
    mutating func appendGobString(_ s: String) {
        appendGobUInt(UInt64(s.utf8.count))
        append(contentsOf: s.utf8)
    }
}
