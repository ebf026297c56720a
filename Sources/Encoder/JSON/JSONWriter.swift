import BarrageCore

/// Writes vegeta's JSON lines: one object per result, keys in vegeta's order, HTML-safe escaping.
public struct JSONWriter: ResultWriter {
    let out: OutputFile

    /// Creates a writer over `out`.
    public init(_ out: OutputFile) {
        self.out = out
    }

    public mutating func write(_ r: Result) throws(EncodeError) {
        let start = try out.reserve(JSONWriter.bound(r))
        var w = RawBytes(p: start)
        JSONWriter.encode(r, to: &w)
        try out.commit(w.p - start)
    }

    public mutating func flush() throws(EncodeError) {
        try out.flush()
    }

    /// Appends one result's JSON object and a newline to `b`, exactly as vegeta's easyjson encoder writes it.
    public static func encode(_ r: Result, into b: inout [UInt8]) {
        let start = b.count
        let bound = bound(r)
        b.append(contentsOf: repeatElement(0, count: bound))
        let written = b.withUnsafeMutableBufferPointer { p -> Int in
            guard let base = p.baseAddress else { return 0 }
            var w = RawBytes(p: base + start)
            encode(r, to: &w)
            return w.p - (base + start)
        }
        b.removeLast(bound - written)
    }

    /// An upper bound of the encoded size (escaping can grow a byte to six).
    static func bound(_ r: Result) -> Int {
        var n = 256 + 6 * (r.attack.utf8.count + r.error.utf8.count + r.method.utf8.count + r.url.utf8.count)
        n += Base64.encodedLength(r.body?.count ?? 0)
        if let headers = r.headers {
            for h in headers {
                n += 8 + 6 * h.name.utf8.count
                for v in h.values { n += 3 + 6 * v.utf8.count }
            }
        }
        return n
    }

    static func encode(_ r: Result, to w: inout RawBytes) {
        w.put(#"{"attack":"#)
        putString(r.attack, &w)
        putNumbers(r, to: &w)
        w.put(#","error":"#)
        putString(r.error, &w)
        w.put(#","body":"#)
        if let body = r.body {
            w.put(UInt8(ascii: "\""))
            w.putBase64(body)
            w.put(UInt8(ascii: "\""))
        } else {
            w.put("null")
        }
        w.put(#","method":"#)
        putString(r.method, &w)
        w.put(#","url":"#)
        putString(r.url, &w)
        w.put(#","headers":"#)
        if let headers = r.headers {
            w.put(UInt8(ascii: "{"))
            var first = true
            for h in headers {
                if !first { w.put(UInt8(ascii: ",")) }
                first = false
                putString(h.name, &w)
                w.put(":[")
                var firstValue = true
                for v in h.values {
                    if !firstValue { w.put(UInt8(ascii: ",")) }
                    firstValue = false
                    putString(v, &w)
                }
                w.put(UInt8(ascii: "]"))
            }
            w.put(UInt8(ascii: "}"))
        } else {
            w.put("null")
        }
        w.put("}\n")
    }

    /// The number members, `,"seq":` to the `bytes_in` value, of a `Result` or a gob view.
    @inline(__always)
    static func putNumbers(_ r: some ResultNumbers, to w: inout RawBytes) {
        w.put(#","seq":"#)
        w.putDecimal(r.seq)
        w.put(#","code":"#)
        w.putDecimal(UInt64(r.code))
        w.put(#","timestamp":""#)
        r.timestamp.putRFC3339Nano(&w)
        w.put(#"","latency":"#)
        w.putDecimal(r.latency)
        w.put(#","bytes_out":"#)
        w.putDecimal(r.bytesOut)
        w.put(#","bytes_in":"#)
        w.putDecimal(r.bytesIn)
    }

    /// A JSON string with easyjson's escaping (at most 2 + 6 × UTF-8 length bytes).
    @inline(__always)
    static func putString(_ s: String, _ w: inout RawBytes) {
        withUTF8(s) { putString($0, &w) }
    }

    /// A JSON string from raw bytes with easyjson's escaping (`JSONEscaping.go`). At most 2 + 6 × count bytes.
    @inline(__always)
    static func putString(_ u: UnsafeBufferPointer<UInt8>, _ w: inout RawBytes) {
        w.p += JSONString.write(u, .go, to: w.p)
    }
}
