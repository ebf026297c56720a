import BarrageCore

extension JSONWriter: GobViewWriter {
    /// Writes a gob record view as vegeta's JSON line, without building a `Result` (the gob-to-JSON fast path).
    mutating func write(_ v: borrowing GobRecordView) throws(EncodeError) {
        let bound =
            256 + 6 * (v.attack.count + v.error.count + v.method.count + v.url.count + v.headers.count)
            + Base64.encodedLength(v.body.count) + 8 * v.headerCount
        let start = try out.reserve(bound)
        var w = RawBytes(p: start)
        JSONWriter.encode(v, to: &w)
        try out.commit(w.p - start)
    }

    static func encode(_ v: borrowing GobRecordView, to w: inout RawBytes) {
        w.put(#"{"attack":"#)
        putString(v.buffer(v.attack), &w)
        putNumbers(v, to: &w)
        w.put(#","error":"#)
        putString(v.buffer(v.error), &w)
        w.put(#","body":"#)
        if v.body.count > 0 {
            w.put(UInt8(ascii: "\""))
            w.p += Base64.encode(v.buffer(v.body), to: w.p)
            w.put(UInt8(ascii: "\""))
        } else {
            w.put("null")
        }
        w.put(#","method":"#)
        putString(v.buffer(v.method), &w)
        w.put(#","url":"#)
        putString(v.buffer(v.url), &w)
        w.put(#","headers":"#)
        if v.headerCount > 0 {
            w.put(UInt8(ascii: "{"))
            var first = true
            v.forEachHeader { key, values in
                if !first { w.put(UInt8(ascii: ",")) }
                first = false
                putString(key, &w)
                w.put(":[")
                let n = values.gobUInt() ?? 0
                for k in 0..<n {
                    if k > 0 { w.put(UInt8(ascii: ",")) }
                    let sn = Int(values.gobUInt() ?? 0)
                    putString(UnsafeBufferPointer(start: values.base + values.position, count: sn), &w)
                    values.position += sn
                }
                w.put(UInt8(ascii: "]"))
            }
            w.put(UInt8(ascii: "}"))
        } else {
            w.put("null")
        }
        w.put("}\n")
    }
}
