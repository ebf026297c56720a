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
        n += RawBytes.base64Length(r.body?.count ?? 0)
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

    /// Appends a JSON string to `b` with vegeta's escaping (see `putString`).
    public static func appendString(_ s: String, to b: inout [UInt8]) {
        let start = b.count
        let bound = 2 + 6 * s.utf8.count
        b.append(contentsOf: repeatElement(0, count: bound))
        let written = b.withUnsafeMutableBufferPointer { p -> Int in
            guard let base = p.baseAddress else { return 0 }
            var w = RawBytes(p: base + start)
            putString(s, &w)
            return w.p - (base + start)
        }
        b.removeLast(bound - written)
    }

    private static let hex: StaticString = "0123456789abcdef"

    /// A JSON string with easyjson's escaping (at most 2 + 6 × UTF-8 length bytes).
    @inline(__always)
    static func putString(_ s: String, _ w: inout RawBytes) {
        withUTF8(s) { putString($0, &w) }
    }

    /// A JSON string from raw bytes with easyjson's escaping: `\" \\ \n \r \t`, other controls and `< > &` as
    /// `\u00XX`, U+2028/U+2029 as `\u2028`/`\u2029`, and each byte of invalid UTF-8 as `\ufffd` (Go's
    /// `utf8.DecodeRune` width 1). At most 2 + 6 × count bytes.
    static func putString(_ u: UnsafeBufferPointer<UInt8>, _ w: inout RawBytes) {
        w.put(UInt8(ascii: "\""))
        guard let base = u.baseAddress else {
            w.put(UInt8(ascii: "\""))
            return
        }
        let n = u.count
        var i = 0
        var runStart = 0
        @inline(__always) func flush(_ w: inout RawBytes) {
            w.put(UnsafeBufferPointer(start: base + runStart, count: i - runStart))
        }
        let plain = jsonPlainBytes.utf8Start
        while i < n {
            let c = base[i]
            if plain[Int(c)] == 0x31 {
                i += 1
                continue
            }
            if c >= 0x80 {
                let width = utf8Width(base + i, n - i)
                if width == 0 {
                    flush(&w)
                    w.put("\\ufffd")
                    i += 1
                    runStart = i
                    continue
                }
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                if c == 0xe2 && base[i + 1] == 0x80 && (base[i + 2] == 0xa8 || base[i + 2] == 0xa9) {
                    flush(&w)
                    w.put("\\u202")
                    w.put(base[i + 2] == 0xa8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    i += 3
                    runStart = i
                    continue
                }
                i += width
                continue
            }
            flush(&w)
            switch c {
            case 0x09: w.put("\\t")
            case 0x0d: w.put("\\r")
            case 0x0a: w.put("\\n")
            case 0x5c: w.put("\\\\")
            case 0x22: w.put("\\\"")
            default:
                w.put("\\u00")
                w.put(hex.utf8Start[Int(c >> 4)])
                w.put(hex.utf8Start[Int(c & 15)])
            }
            i += 1
            runStart = i
        }
        flush(&w)
        w.put(UInt8(ascii: "\""))
    }
}

/// The length of the valid UTF-8 sequence starting at `p` (whose first byte is >= 0x80), or 0 if it is invalid.
@inline(__always)
func utf8Width(_ p: UnsafePointer<UInt8>, _ available: Int) -> Int {
    let c = p[0]
    @inline(__always) func cont(_ k: Int) -> Bool { k < available && p[k] & 0xc0 == 0x80 }
    switch c {
    case 0xc2...0xdf:
        return cont(1) ? 2 : 0
    case 0xe0:
        return available > 2 && p[1] >= 0xa0 && p[1] <= 0xbf && cont(2) ? 3 : 0
    case 0xed:
        return available > 2 && p[1] >= 0x80 && p[1] <= 0x9f && cont(2) ? 3 : 0
    case 0xe1...0xef:
        return cont(1) && cont(2) ? 3 : 0
    case 0xf0:
        return available > 3 && p[1] >= 0x90 && p[1] <= 0xbf && cont(2) && cont(3) ? 4 : 0
    case 0xf1...0xf3:
        return cont(1) && cont(2) && cont(3) ? 4 : 0
    case 0xf4:
        return available > 3 && p[1] >= 0x80 && p[1] <= 0x8f && cont(2) && cont(3) ? 4 : 0
    default:
        return 0
    }
}

/// For each byte value, "1" when JSON writes it as is (printable ASCII and DEL, other than `" \\ < > &`).
private let jsonPlainBytes: StaticString = """
    0000000000000000000000000000000011011101111111111111111111110101111111111111111111111111111101111111111111111111111111111111111100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    """
