import BarrageCore
import Fetch
import Foundation

/// Native `chaosprometheus.probes.query` / `query_interval` (DESIGN: no python needed for the labs' Prometheus
/// probes). Same arguments and output (Prometheus's JSON answer); the base URL comes from the
/// `prometheus_base_url` configuration key.
enum PrometheusProvider {
    static let module = "chaosprometheus.probes"

    /// Parameters each function accepts, and which are required (for validation messages).
    static let signatures: [String: (all: [String], required: [String])] = [
        "query": (["query", "when", "timeout", "configuration", "secrets"], ["query"]),
        "query_interval": (
            ["query", "start", "end", "step", "timeout", "configuration", "secrets"], ["query", "start", "end"]
        ),
    ]

    static func handles(_ provider: JSON) -> Bool {
        provider["module"]?.string == module && signatures[provider["func"]?.string ?? ""] != nil
    }

    /// chaoslib's bind check for the native functions; nil when the arguments fit.
    static func validate(_ provider: JSON) -> String? {
        let function = provider["func"]?.string ?? ""
        guard let signature = signatures[function] else { return nil }
        let given = (provider["arguments"]?.members ?? []).map(\.key)
        for name in given where !signature.all.contains(name) {
            return "argument '\(name)' is not part of the function signature in activity '\(function)'"
        }
        for name in signature.required where !given.contains(name) {
            return "required argument '\(name)' is missing from activity '\(function)'"
        }
        return nil
    }

    static func call(_ provider: JSON, arguments: JSON, configuration: JSON, watch: SignalWatch?) throws -> JSON {
        let function = provider["func"]?.string ?? ""
        var base = configuration["prometheus_base_url"]?.pythonString ?? "http://localhost:9090"
        while base.hasSuffix("/") { base.removeLast() }
        let query = arguments["query"]?.pythonString ?? ""
        var params = [("query", query)]
        let path: String
        if function == "query_interval" {
            path = "/api/v1/query_range"
            params.append(("start", timestamp(arguments["start"])))
            params.append(("end", timestamp(arguments["end"])))
            params.append(("step", arguments["step"]?.pythonString ?? "1"))
        } else {
            path = "/api/v1/query"
            if let when = arguments["when"], !when.isNull { params.append(("time", timestamp(when))) }
        }
        let timeout = arguments["timeout"]?.number
        // chaosprometheus passes `timeout` on to Prometheus as the query's own evaluation timeout.
        if let t = arguments["timeout"], !t.isNull { params.append(("timeout", t.pythonString)) }
        let url = base + path + "?" + params.map { "\($0.0)=\(HTTPProvider.formEncode($0.1))" }.joined(separator: "&")
        let response = try HTTPCall.send(
            FetchRequest(url: url, connectTimeout: timeout, readTimeout: timeout), watch: watch)
        guard response.status <= 399 else {
            throw ActivityFailed("Prometheus query \(query) failed: \(response.bodyText)")
        }
        guard let answer = try? JSONParser.parse(response.body) else {
            throw ActivityFailed("Prometheus query \(query) failed: the answer is not JSON")
        }
        return answer
    }

    /// "now", "30 seconds ago", "5 minutes ago", a number (unix time), or anything else as given (RFC 3339).
    /// Relative times are sent as chaosprometheus sends them (maya's `rfc3339()`: UTC, tenths of a second cut,
    /// `2026-11-22T05:07:51.4Z`), so Prometheus evaluates the range at the same instants and the answer's
    /// timestamps match the Python extension's.
    static func timestamp(_ value: JSON?) -> String {
        guard let value else { return rfc3339(Clock.wall()) }
        if let n = value.number { return JSON.pythonFloat(n) }
        let text = value.pythonString.trimmingSpaces().lowercased()
        if text == "now" { return rfc3339(Clock.wall()) }
        let words = text.split(separator: " ")
        if words.count == 3, words[2] == "ago", let n = Double(words[0]) {
            let unit = words[1].hasSuffix("s") ? String(words[1].dropLast()) : String(words[1])
            let scale: Double? = ["second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "day": 86400][unit]
            if let scale, (n * scale).isFinite, abs(n * scale) < 1e11 {
                let now = Clock.wall()
                let micros = now.seconds * 1_000_000 + now.micros - Int((n * scale * 1e6).rounded())
                let (seconds, rest) = micros.quotientAndRemainder(dividingBy: 1_000_000)
                return rest < 0 ? rfc3339((seconds - 1, rest + 1_000_000)) : rfc3339((seconds, rest))
            }
        }
        return value.pythonString
    }

    /// maya's `rfc3339()`: `%Y-%m-%dT%H:%M:%S.%f` with the last five digits cut, then `Z`.
    static func rfc3339(_ w: (seconds: Int, micros: Int)) -> String {
        RFC3339.string(seconds: Int64(w.seconds), nanoseconds: Int32(w.micros * 1000), utcOffset: 0, .mayaTenths)
    }
}
