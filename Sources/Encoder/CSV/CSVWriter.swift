/// Writes vegeta's CSV: 12 columns, no header row, `\n` line ends, Go `encoding/csv` quoting.
public struct CSVWriter: ResultWriter {
    private let out: OutputFile
    private var scratch: [UInt8] = []

    /// Creates a writer over `out`.
    public init(_ out: OutputFile) {
        self.out = out
    }

    public mutating func write(_ r: Result) throws(EncodeError) {
        CSVWriter.encode(r, into: &out.buffer, scratch: &scratch)
        try out.didAppend()
    }

    public mutating func flush() throws(EncodeError) {
        try out.flush()
    }

    /// Appends one record: timestamp (Unix ns), code, latency, bytes out, bytes in, error, body (base64),
    /// attack, seq, method, url, headers (base64 of the HTTP/1 header block).
    static func encode(_ r: Result, into b: inout [UInt8], scratch: inout [UInt8]) {
        b.appendDecimal(r.timestamp.unixNanoseconds)
        b.append(UInt8(ascii: ","))
        b.appendDecimal(UInt64(r.code))
        b.append(UInt8(ascii: ","))
        b.appendDecimal(r.latency)
        b.append(UInt8(ascii: ","))
        b.appendDecimal(r.bytesOut)
        b.append(UInt8(ascii: ","))
        b.appendDecimal(r.bytesIn)
        b.append(UInt8(ascii: ","))
        appendField(r.error, to: &b)
        b.append(UInt8(ascii: ","))
        if let body = r.body { Base64.encode(body, into: &b) }
        b.append(UInt8(ascii: ","))
        appendField(r.attack, to: &b)
        b.append(UInt8(ascii: ","))
        b.appendDecimal(r.seq)
        b.append(UInt8(ascii: ","))
        appendField(r.method, to: &b)
        b.append(UInt8(ascii: ","))
        appendField(r.url, to: &b)
        b.append(UInt8(ascii: ","))
        if let headers = r.headers {
            scratch.removeAll(keepingCapacity: true)
            appendHeaderBlock(headers, to: &scratch)
            Base64.encode(scratch, into: &b)
        }
        b.append(UInt8(ascii: "\n"))
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

    /// A field quoted as Go's csv.Writer does: only when it holds `,` `"` CR LF, starts with a space, or is `\.`.
    static func appendField(_ s: String, to b: inout [UInt8]) {
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
            b.append(contentsOf: u)
            return
        }
        b.append(UInt8(ascii: "\""))
        for c in u {
            if c == UInt8(ascii: "\"") { b.append(UInt8(ascii: "\"")) }
            b.append(c)
        }
        b.append(UInt8(ascii: "\""))
    }
}
