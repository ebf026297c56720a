import BarrageCore
import Encoder

extension Report {
    /// vegeta's JSON report: one line, `encoding/json` key order, HTML-safe escaping, Go float text.
    ///
    /// With checks, a `checks` array follows vegeta's keys: `{"check":"p99<250ms","ok":true,"value":212400000}`
    /// per check, the value in nanoseconds, a count, a ratio from 0 to 1 or per second. Without, the object is
    /// vegeta's byte for byte.
    public static func json(_ m: Metrics, checks: [CheckVerdict] = []) -> [UInt8] {
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
        put(",\"earliest\":\"\(m.earliest.rfc3339Nano)\"")
        put(",\"latest\":\"\(m.latest.rfc3339Nano)\"")
        put(",\"end\":\"\(m.end.rfc3339Nano)\"")
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
            JSONString.append(error, .goEncodingJSON, to: &out)
        }
        put("]")
        if !checks.isEmpty {
            put(",\"checks\":[")
            for (i, verdict) in checks.enumerated() {
                put(i == 0 ? "{\"check\":" : ",{\"check\":")
                JSONString.append(verdict.check.text, .goEncodingJSON, to: &out)
                put(",\"ok\":\(verdict.ok),\"value\":\(verdict.jsonValue)}")
            }
            put("]")
        }
        put("}\n")
        return out
    }
}
