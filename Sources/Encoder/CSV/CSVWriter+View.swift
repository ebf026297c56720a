import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

extension CSVWriter: GobViewWriter {
    /// Writes a gob record view as vegeta's CSV record, without building a `Result` (the gob-to-CSV fast path).
    mutating func write(_ v: borrowing GobRecordView) throws(EncodeError) {
        scratch.removeAll(keepingCapacity: true)
        if v.headerCount > 0 { CSVWriter.appendHeaderBlock(v, to: &scratch, entries: &entries) }
        let bound =
            128 + 2 * (v.error.count + v.attack.count + v.method.count + v.url.count)
            + Base64.encodedLength(v.body.count) + Base64.encodedLength(scratch.count)
        let start = try out.reserve(bound)
        var w = RawBytes(p: start)
        CSVWriter.putNumbers(v, to: &w)
        CSVWriter.putField(v.buffer(v.error), &w)
        w.put(UInt8(ascii: ","))
        w.p += Base64.encode(v.buffer(v.body), to: w.p)
        w.put(UInt8(ascii: ","))
        CSVWriter.putField(v.buffer(v.attack), &w)
        w.put(UInt8(ascii: ","))
        w.putDecimal(v.seq)
        w.put(UInt8(ascii: ","))
        CSVWriter.putField(v.buffer(v.method), &w)
        w.put(UInt8(ascii: ","))
        CSVWriter.putField(v.buffer(v.url), &w)
        w.put(UInt8(ascii: ","))
        if v.headerCount > 0 { scratch.withUnsafeBufferPointer { w.p += Base64.encode($0, to: w.p) } }
        w.put(UInt8(ascii: "\n"))
        try out.commit(w.p - start)
    }

    /// The header block of a view: entries sorted by key bytes, each value a line.
    static func appendHeaderBlock(
        _ v: borrowing GobRecordView, to out: inout [UInt8],
        entries: inout [(key: UnsafeBufferPointer<UInt8>, values: ByteCursor)]
    ) {
        entries.removeAll(keepingCapacity: true)
        v.forEachHeader { key, values in entries.append((key, values)) }
        entries.sort { a, b in
            a.key.lexicographicallyPrecedes(b.key)
        }
        for (key, cursor) in entries {
            var values = cursor
            let n = values.gobUInt() ?? 0
            for _ in 0..<n {
                let sn = Int(values.gobUInt() ?? 0)
                appendHeaderLine(key, UnsafeBufferPointer(start: values.base + values.position, count: sn), to: &out)
                values.position += sn
            }
        }
        out.append(contentsOf: "\r\n".utf8)
    }
}
