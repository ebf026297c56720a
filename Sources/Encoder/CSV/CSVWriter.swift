/// Writes vegeta's CSV: 12 columns, no header row, `\n` line ends, Go `encoding/csv` quoting.
public struct CSVWriter: ResultWriter {
    private let out: OutputFile
    private var scratch: [UInt8] = []

    /// Creates a writer over `out`.
    public init(_ out: OutputFile) {
        self.out = out
    }

    public mutating func write(_ r: Result) throws(EncodeError) {
        scratch.removeAll(keepingCapacity: true)
        if let headers = r.headers { CSVWriter.appendHeaderBlock(headers, to: &scratch) }
        let bound = 128 + 2 * (r.error.utf8.count + r.attack.utf8.count + r.method.utf8.count + r.url.utf8.count)
            + RawBytes.base64Length(r.body?.count ?? 0) + RawBytes.base64Length(scratch.count)
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

    /// `http.Header.Write` plus the closing blank line: keys sorted bytewise, `Key: value\r\n` per value
    /// (values trimmed, CR/LF turned into spaces), then `\r\n`.
    static func appendHeaderBlock(_ headers: [Header], to out: inout [UInt8]) {
        let sorted = headers.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for h in sorted {
            for v in h.values {
                out.append(contentsOf: h.name.utf8)
                out.append(contentsOf: ": ".utf8)
                var value = Array(v.utf8)[...]
                while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
                while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
                for c in value { out.append(c == 0x0a || c == 0x0d ? 0x20 : c) }
                out.append(contentsOf: "\r\n".utf8)
            }
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// A field quoted as Go's csv.Writer does: only when it holds `,` `"` CR LF, starts with a space, or is `\.`
    /// (at most 2 + 2 × UTF-8 length bytes).
    static func putField(_ s: String, _ w: inout RawBytes) {
        let u = s.utf8
        guard !u.isEmpty else { return }
        var needs = s == "\\."
        if !needs {
            for c in u where c == UInt8(ascii: ",") || c == UInt8(ascii: "\"") || c == 0x0d || c == 0x0a {
                needs = true
                break
            }
        }
        if !needs, let first = s.unicodeScalars.first, first.properties.isWhitespace { needs = true }
        guard needs else {
            w.put(s)
            return
        }
        w.put(UInt8(ascii: "\""))
        for c in u {
            if c == UInt8(ascii: "\"") { w.put(UInt8(ascii: "\"")) }
            w.put(c)
        }
        w.put(UInt8(ascii: "\""))
    }
}
