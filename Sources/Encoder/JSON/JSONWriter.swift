/// Writes vegeta's JSON lines: one object per result, keys in vegeta's order, HTML-safe escaping.
public struct JSONWriter: ResultWriter {
    private let out: OutputFile

    /// Creates a writer over `out`.
    public init(_ out: OutputFile) {
        self.out = out
    }

    public mutating func write(_ r: Result) throws(EncodeError) {
        JSONWriter.encode(r, into: &out.buffer)
        try out.didAppend()
    }

    public mutating func flush() throws(EncodeError) {
        try out.flush()
    }

    /// Appends one result's JSON object and a newline to `b`, exactly as vegeta's easyjson encoder writes it.
    public static func encode(_ r: Result, into b: inout [UInt8]) {
        b.append(contentsOf: #"{"attack":"#.utf8)
        appendString(r.attack, to: &b)
        b.append(contentsOf: #","seq":"#.utf8)
        b.appendDecimal(r.seq)
        b.append(contentsOf: #","code":"#.utf8)
        b.appendDecimal(UInt64(r.code))
        b.append(contentsOf: #","timestamp":""#.utf8)
        r.timestamp.appendRFC3339Nano(to: &b)
        b.append(contentsOf: #"","latency":"#.utf8)
        b.appendDecimal(r.latency)
        b.append(contentsOf: #","bytes_out":"#.utf8)
        b.appendDecimal(r.bytesOut)
        b.append(contentsOf: #","bytes_in":"#.utf8)
        b.appendDecimal(r.bytesIn)
        b.append(contentsOf: #","error":"#.utf8)
        appendString(r.error, to: &b)
        b.append(contentsOf: #","body":"#.utf8)
        if let body = r.body {
            b.append(UInt8(ascii: "\""))
            Base64.encode(body, into: &b)
            b.append(UInt8(ascii: "\""))
        } else {
            b.append(contentsOf: "null".utf8)
        }
        b.append(contentsOf: #","method":"#.utf8)
        appendString(r.method, to: &b)
        b.append(contentsOf: #","url":"#.utf8)
        appendString(r.url, to: &b)
        b.append(contentsOf: #","headers":"#.utf8)
        if let headers = r.headers {
            b.append(UInt8(ascii: "{"))
            for (i, h) in headers.enumerated() {
                if i > 0 { b.append(UInt8(ascii: ",")) }
                appendString(h.name, to: &b)
                b.append(contentsOf: ":[".utf8)
                for (j, v) in h.values.enumerated() {
                    if j > 0 { b.append(UInt8(ascii: ",")) }
                    appendString(v, to: &b)
                }
                b.append(UInt8(ascii: "]"))
            }
            b.append(UInt8(ascii: "}"))
        } else {
            b.append(contentsOf: "null".utf8)
        }
        b.append(contentsOf: "}\n".utf8)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON string with easyjson's escaping: `\" \\ \n \r \t`, other controls and `< > &` as `\u00XX`,
    /// U+2028/U+2029 as `\u2028`/`\u2029`.
    public static func appendString(_ s: String, to b: inout [UInt8]) {
        b.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            var i = 0
            var runStart = 0
            let n = u.count
            while i < n {
                let c = u[i]
                if c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c && c != 0x3c && c != 0x3e && c != 0x26 {
                    i += 1
                    continue
                }
                if c >= 0x80 {
                    // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                    if c == 0xe2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xa8 || u[i + 2] == 0xa9) {
                        b.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i]))
                        b.append(contentsOf: "\\u202".utf8)
                        b.append(u[i + 2] == 0xa8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                        i += 3
                        runStart = i
                        continue
                    }
                    i += 1
                    continue
                }
                b.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i]))
                switch c {
                case 0x09: b.append(contentsOf: "\\t".utf8)
                case 0x0d: b.append(contentsOf: "\\r".utf8)
                case 0x0a: b.append(contentsOf: "\\n".utf8)
                case 0x5c: b.append(contentsOf: "\\\\".utf8)
                case 0x22: b.append(contentsOf: "\\\"".utf8)
                default:
                    b.append(contentsOf: "\\u00".utf8)
                    b.append(hex[Int(c >> 4)])
                    b.append(hex[Int(c & 15)])
                }
                i += 1
                runStart = i
            }
            b.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<n]))
        }
        b.append(UInt8(ascii: "\""))
    }
}
