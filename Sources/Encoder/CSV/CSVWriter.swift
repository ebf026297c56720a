import BarrageCore

/// Writes vegeta's CSV: 12 columns, no header row, `\n` line ends, Go `encoding/csv` quoting.
public struct CSVWriter: ResultWriter {
    let out: OutputFile
    var scratch: [UInt8] = []
    /// Reused by the gob fast path to sort header entries.
    var entries: [(key: UnsafeBufferPointer<UInt8>, values: ByteCursor)] = []

    /// Creates a writer over `out`.
    public init(_ out: OutputFile) {
        self.out = out
    }

    public mutating func write(_ r: Result) throws(EncodeError) {
        scratch.removeAll(keepingCapacity: true)
        if let headers = r.headers { CSVWriter.appendHeaderBlock(headers, to: &scratch) }
        let bound =
            128 + 2 * (r.error.utf8.count + r.attack.utf8.count + r.method.utf8.count + r.url.utf8.count)
            + Base64.encodedLength(r.body?.count ?? 0) + Base64.encodedLength(scratch.count)
        let start = try out.reserve(bound)
        var w = RawBytes(p: start)
        CSVWriter.encode(r, headerBlock: scratch, to: &w)
        try out.commit(w.p - start)
    }

    public mutating func flush() throws(EncodeError) {
        try out.flush()
    }

    /// Writes one record: timestamp (Unix ns), code, latency, bytes out, bytes in, error, body (base64),
    /// attack, seq, method, url, headers (base64 of the HTTP/1 header block, given in `headerBlock`).
    static func encode(_ r: Result, headerBlock: [UInt8], to w: inout RawBytes) {
        putNumbers(r, to: &w)
        putField(r.error, &w)
        w.put(UInt8(ascii: ","))
        if let body = r.body { w.putBase64(body) }
        w.put(UInt8(ascii: ","))
        putField(r.attack, &w)
        w.put(UInt8(ascii: ","))
        w.putDecimal(r.seq)
        w.put(UInt8(ascii: ","))
        putField(r.method, &w)
        w.put(UInt8(ascii: ","))
        putField(r.url, &w)
        w.put(UInt8(ascii: ","))
        if r.headers != nil { w.putBase64(headerBlock) }
        w.put(UInt8(ascii: "\n"))
    }

    /// The first five columns, each with its comma: timestamp (Unix ns), code, latency, bytes out, bytes in.
    @inline(__always)
    static func putNumbers(_ r: some ResultNumbers, to w: inout RawBytes) {
        w.putDecimal(r.timestamp.unixNanoseconds)
        w.put(UInt8(ascii: ","))
        w.putDecimal(UInt64(r.code))
        w.put(UInt8(ascii: ","))
        w.putDecimal(r.latency)
        w.put(UInt8(ascii: ","))
        w.putDecimal(r.bytesOut)
        w.put(UInt8(ascii: ","))
        w.putDecimal(r.bytesIn)
        w.put(UInt8(ascii: ","))
    }

    /// `http.Header.Write` plus the closing blank line: keys sorted bytewise, `Key: value\r\n` per value, then `\r\n`.
    static func appendHeaderBlock(_ headers: [Header], to out: inout [UInt8]) {
        let sorted = headers.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for h in sorted {
            for v in h.values {
                withUTF8(h.name) { key in withUTF8(v) { value in appendHeaderLine(key, value, to: &out) } }
            }
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// One `Key: value\r\n` line as `http.Header.Write` writes it: CR and LF in the value become spaces, then
    /// surrounding ASCII spaces and tabs are trimmed (`textproto.TrimString`).
    static func appendHeaderLine(
        _ key: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]
    ) {
        out.append(contentsOf: key)
        out.append(contentsOf: ": ".utf8)
        @inline(__always) func blank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d }
        var lo = 0
        var hi = value.count
        while lo < hi && blank(value[lo]) { lo += 1 }
        while hi > lo && blank(value[hi - 1]) { hi -= 1 }
        for k in lo..<hi {
            let c = value[k]
            out.append(c == 0x0a || c == 0x0d ? 0x20 : c)
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// A field quoted as Go's csv.Writer does: only when it holds `,` `"` CR LF, starts with a space, or is `\.`
    /// (at most 2 + 2 × count bytes).
    static func putField(_ s: String, _ w: inout RawBytes) {
        withUTF8(s) { putField($0, &w) }
    }

    static func putField(_ u: UnsafeBufferPointer<UInt8>, _ w: inout RawBytes) {
        guard let base = u.baseAddress, !u.isEmpty else { return }
        var needs = u.count == 2 && base[0] == UInt8(ascii: "\\") && base[1] == UInt8(ascii: ".")
        if !needs {
            for c in u where c == UInt8(ascii: ",") || c == UInt8(ascii: "\"") || c == 0x0d || c == 0x0a {
                needs = true
                break
            }
        }
        if !needs { needs = startsWithSpace(base, u.count) }
        guard needs else {
            w.put(u)
            return
        }
        w.put(UInt8(ascii: "\""))
        for c in u {
            if c == UInt8(ascii: "\"") { w.put(UInt8(ascii: "\"")) }
            w.put(c)
        }
        w.put(UInt8(ascii: "\""))
    }

    /// Go's `unicode.IsSpace` on the first rune.
    private static func startsWithSpace(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let c = p[0]
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0d) }
        let width = utf8Width(p, n)
        guard width > 0 else { return false }
        var it = UnsafeBufferPointer(start: p, count: width).makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&it) { return scalar.properties.isWhitespace }
        return false
    }
}
