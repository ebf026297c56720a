import Encoder

extension Report {
    /// vegeta's JSON report: one line, `encoding/json` key order, HTML-safe escaping, Go float text.
    public static func json(_ m: Metrics) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        put("{\"latencies\":{\"total\":\(m.latencyTotal),\"mean\":\(m.latencyMean)")
        for (q, name) in zip(percentiles, ["50th", "90th", "95th", "99th"]) { put(",\"\(name)\":\(m.quantile(q))") }
        put(",\"max\":\(m.latencyMax),\"min\":\(m.latencyMin)}")
        if let buckets = m.buckets {
            put(",\"buckets\":{")
            for (i, count) in buckets.counts.enumerated() {
                put(i == 0 ? "" : ",")
                put("\"\(buckets.buckets.bounds[i])\":\(count)")
            }
            put("}")
        }
        put(",\"bytes_in\":{\"total\":\(m.bytesInTotal),\"mean\":\(GoFormat.jsonFloat(m.bytesInMean))}")
        put(",\"bytes_out\":{\"total\":\(m.bytesOutTotal),\"mean\":\(GoFormat.jsonFloat(m.bytesOutMean))}")
        put(",\"earliest\":\"\(GoTime.rfc3339Nano(m.earliest))\"")
        put(",\"latest\":\"\(GoTime.rfc3339Nano(m.latest))\"")
        put(",\"end\":\"\(GoTime.rfc3339Nano(m.end))\"")
        put(",\"duration\":\(m.duration),\"wait\":\(m.wait),\"requests\":\(m.requests)")
        put(",\"rate\":\(GoFormat.jsonFloat(m.rate)),\"throughput\":\(GoFormat.jsonFloat(m.throughput))")
        put(",\"success\":\(GoFormat.jsonFloat(m.successRatio)),\"status_codes\":{")
        for (i, pair) in m.statusCodes.enumerated() {
            put(i == 0 ? "\"" : ",\"")
            put("\(pair.code)\":\(pair.count)")
        }
        put("},\"errors\":[")
        for (i, error) in m.errors.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendJSONString(error, to: &out)
        }
        put("]}\n")
        return out
    }

    /// Appends `s` as a JSON string with Go's `encoding/json` escaping (HTML-safe: `<`, `>`, `&` as `\u00XX`).
    static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        var bytes = Array(s.utf8)[...]
        while let byte = bytes.first {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            case 0xE2
            where bytes.count >= 3 && bytes.dropFirst().first == 0x80
                && (bytes.dropFirst(2).first == 0xA8 || bytes.dropFirst(2).first == 0xA9):
                // U+2028 and U+2029 are escaped so the output is also valid JavaScript.
                out.append(contentsOf: Array("\\u202".utf8))
                out.append(bytes.dropFirst(2).first == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                bytes = bytes.dropFirst(2)
            default:
                out.append(byte)
            }
            bytes = bytes.dropFirst()
        }
        out.append(UInt8(ascii: "\""))
    }
}
