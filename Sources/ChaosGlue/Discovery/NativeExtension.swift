import BarrageCore
import Foundation

/// An extension barrage serves without Python, described as its Python package's `discover()` describes it:
/// chaoslib's `initialize_discovery_result` fields, then the exported functions with their signatures.
struct NativeExtension {
    /// One parameter: its name, its default when it has one, its portable type name (`string`, `number`, …).
    struct Argument {
        var name: String
        var defaultValue: JSON?
        var type: String?
    }

    /// One exported function.
    struct Function {
        var type: String
        var name: String
        var doc: String
        var arguments: [Argument]
        var returnType: String?
    }

    var distribution: String
    var target: String
    var module: String
    var functions: [Function]

    /// The native extension `chaos discover` takes by this name (its distribution's or its module's).
    static func named(_ name: String) -> NativeExtension? {
        all.first { $0.distribution == name || $0.module == name }
    }

    static let all = [barrage, prometheus]

    static let barrage = NativeExtension(
        distribution: "barrage", target: "barrage", module: AttackReportProvider.module,
        functions: [
            Function(
                type: "probe", name: "attack_report",
                doc: """
                    The report of one or more attack result files (gob, JSON or CSV, gzipped or not), as
                    `barrage report -type=json` writes it, so tolerances can state SLOs with jsonpath
                    (`$.success`, `$.latencies.99th`). Several files are merged. With `window` (a duration
                    such as "30s", or seconds), only the results of the last window before the newest count.
                    """,
                // Typed as the common form (one file, a duration text) so `chaos init` can prompt for them: chaoslib
                // names a Union `object`, which click cannot build from an answer.
                arguments: [
                    Argument(name: "results", type: "string"),
                    Argument(name: "window", defaultValue: .null, type: "string"),
                ],
                returnType: "mapping")
        ])

    static let prometheus = NativeExtension(
        distribution: "chaostoolkit-prometheus", target: "prometheus", module: PrometheusProvider.module,
        functions: [
            Function(
                type: "probe", name: "query",
                doc: """
                    Run an instant query against Prometheus (`/api/v1/query`) at `prometheus_base_url` from
                    the configuration, and return its JSON answer. `when` is the evaluation time (RFC 3339,
                    a Unix timestamp or a relative phrase such as "5 minutes ago"); `timeout` is passed on
                    to Prometheus as the query's evaluation timeout, in seconds.
                    """,
                arguments: [
                    Argument(name: "query", type: "string"),
                    Argument(name: "when", defaultValue: .null, type: "string"),
                    Argument(name: "timeout", defaultValue: .null, type: "number"),
                    Argument(name: "configuration", defaultValue: .null, type: "mapping"),
                    Argument(name: "secrets", defaultValue: .null, type: "mapping"),
                ],
                returnType: "mapping"),
            Function(
                type: "probe", name: "query_interval",
                doc: """
                    Run a range query against Prometheus (`/api/v1/query_range`) from `start` to `end`
                    (same forms as `when` for `query`) every `step` seconds, and return its JSON answer.
                    """,
                arguments: [
                    Argument(name: "query", type: "string"),
                    Argument(name: "start", type: "string"),
                    Argument(name: "end", type: "string"),
                    Argument(name: "step", defaultValue: .int(1), type: "integer"),
                    Argument(name: "timeout", defaultValue: .null, type: "number"),
                    Argument(name: "configuration", defaultValue: .null, type: "mapping"),
                    Argument(name: "secrets", defaultValue: .null, type: "mapping"),
                ],
                returnType: "mapping"),
        ])

    /// chaoslib's discovery document for this extension, with a fresh id and the current time.
    func document(version: String) -> JSON {
        var activities: [JSON] = []
        for f in functions.sorted(by: { $0.name < $1.name }) {
            var activity = JSON.object([
                .init("type", .string(f.type)), .init("name", .string(f.name)), .init("mod", .string(module)),
                .init("doc", .string(f.doc)),
            ])
            activity["arguments"] = .array(
                f.arguments.map { a in
                    var arg = JSON.object([.init("name", .string(a.name))])
                    if let d = a.defaultValue { arg["default"] = d }
                    if let t = a.type { arg["type"] = .string(t) }
                    return arg
                })
            if let r = f.returnType { activity["return_type"] = .string(r) }
            activities.append(activity)
        }
        return .object([
            .init("chaoslib_version", .string("1.44.0")),
            .init("id", .string(UUID().uuidString.lowercased())),
            .init("target", .string(target)),
            .init("date", .string(Self.isoNow())),
            .init("platform", Self.platform()),
            .init("extension", .object([.init("name", .string(distribution)), .init("version", .string(version))])),
            .init("activities", .array(activities)),
            .init("system", .null),
        ])
    }

    /// `datetime.now(timezone.utc).isoformat()`: microseconds, `+00:00`.
    static func isoNow() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let micros = Int(ts.tv_nsec) / 1000
        var text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
        text += "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if micros != 0 {
            let digits = String(micros)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "+00:00"
    }

    /// `platform.uname()` as chaoslib lays it out; `python` is null: no interpreter took part.
    static func platform() -> JSON {
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> JSON {
            withUnsafeBytes(of: value) { raw in
                let bytes = raw.prefix { $0 != 0 }
                return .string(String(decoding: bytes, as: UTF8.self))
            }
        }
        return .object([
            .init("system", field(u.sysname)), .init("node", field(u.nodename)), .init("release", field(u.release)),
            .init("version", field(u.version)), .init("machine", field(u.machine)), .init("proc", .string("")),
            .init("python", .null),
        ])
    }
}
