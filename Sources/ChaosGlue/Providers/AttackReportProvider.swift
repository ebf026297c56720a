import BarrageCore
import Encoder
import Reporter

/// Native `barrage.probes.attack_report`: vegeta's JSON report (`barrage report -type=json`) of one or more result
/// files, as a probe's output, so jsonpath tolerances can state SLOs (`$.success`, `$.latencies.99th`).
///
/// Arguments: `results`, a file or a list of files (gob, JSON or CSV, gzip undone; several are merged as `report`
/// merges them), and `window`, optional, a Go duration (`"30s"`) or a number of seconds: only the results of the
/// last `window` before the newest result count.
enum AttackReportProvider {
    static let module = "barrage.probes"

    /// Parameters each function accepts, and which are required (for validation messages).
    static let signatures: [String: (all: [String], required: [String])] = [
        "attack_report": (["results", "window"], ["results"])
    ]

    static func handles(_ provider: JSON) -> Bool { provider["module"]?.string == module }

    /// chaoslib's checks for a python activity of this module: the function exists, the arguments bind.
    static func validate(_ provider: JSON, activity name: String, kind: String) -> String? {
        let function = provider["func"]?.pythonString ?? ""
        guard let signature = signatures[function] else {
            return "The python module '\(module)' does not expose a function called '\(function)' in \(kind) '\(name)'"
        }
        let given = (provider["arguments"]?.members ?? []).map(\.key)
        for name in given where !signature.all.contains(name) {
            return "argument '\(name)' is not part of the function signature in activity '\(function)'"
        }
        for name in signature.required where !given.contains(name) {
            return "required argument '\(name)' is missing from activity '\(function)'"
        }
        return nil
    }

    /// The report of the files named by `arguments`.
    ///
    /// - Throws: `ActivityFailed` for arguments of the wrong type and for files that are missing or damaged.
    static func call(arguments: JSON) throws -> JSON {
        let paths: [String]
        switch arguments["results"] {
        case .string(let s)?: paths = [s]
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ $0.string != nil }):
            paths = items.compactMap(\.string)
        default:
            throw ActivityFailed("attack_report: results must be a file name or a non-empty list of file names")
        }
        let window = try windowNanoseconds(arguments["window"])
        var since: Timestamp?
        if let window {
            var newest: Timestamp?
            try read(paths) { stats in
                if newest.map({ $0 < stats.timestamp }) ?? true { newest = stats.timestamp }
            }
            if let newest {
                since = Timestamp(unixNanoseconds: newest.unixNanoseconds &- window)
            }
        }
        var metrics = Metrics()
        try read(paths) { stats in
            if let since, stats.timestamp < since { return }
            metrics.add(stats)
        }
        let report = Report.json(metrics)
        guard let value = try? JSONParser.parse(report) else {
            throw ActivityFailed("attack_report: the report is not JSON")
        }
        return value
    }

    private static func windowNanoseconds(_ value: JSON?) throws -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?:
            guard let ns = GoDuration.parse(s), ns > 0 else {
                throw ActivityFailed("attack_report: window \(JSON.string(s).pythonRepr) is not a positive duration")
            }
            return ns
        case .int(let i)? where i > 0 && i < Int(Int64.max / 1_000_000_000):
            return Int64(i) * 1_000_000_000
        case .double(let d)? where d > 0 && d < 9e9:
            return Int64(d * 1e9)
        default:
            throw ActivityFailed("attack_report: window must be a duration such as \"30s\" or a number of seconds")
        }
    }

    private static func read(_ paths: [String], _ body: (ResultStats) -> Void) throws {
        var reader: ResultReader
        do {
            reader = try ResultReader(paths: paths, fields: .metrics)
        } catch {
            throw ActivityFailed("attack_report: \(error)")
        }
        reader.parallelStats = false
        while let stats = reader.nextStats() { body(stats) }
        if let failure = reader.failures.first { throw ActivityFailed("attack_report: \(failure)") }
    }
}
