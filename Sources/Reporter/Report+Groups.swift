import BarrageCore
import Encoder

extension Report {
    /// The report of `kind` over the total and each group (`report -by`).
    ///
    /// Text reports (`text`, `hist`, `hdrplot`): the total's report, then for each group, sorted by key, a blank
    /// line, a header `== KEY (N requests) ==` and the group's report; results past the group limit last, under
    /// `== other: keys past the first N (M requests) ==`. JSON: one line,
    /// `{"total":REPORT,"groups":[{"key":KEY,"report":REPORT},...]}` with `"other":REPORT` after the groups when
    /// some keys were past the limit; each REPORT is the JSON report, and the total's carries the checks.
    ///
    /// - Parameter checks: verdicts on the total, listed in the total's JSON report.
    public static func render(_ kind: ReportKind, _ grouped: GroupedMetrics, checks: [CheckVerdict] = []) -> [UInt8] {
        if case .json = kind { return json(grouped, checks: checks) }
        var out = render(kind, grouped.total)
        func section(_ header: String, _ metrics: Metrics) {
            out.append(contentsOf: "\n== \(header) (\(metrics.requests) requests) ==\n".utf8)
            out.append(contentsOf: render(kind, metrics))
        }
        for group in grouped.sortedGroups { section(printable(group.key), group.metrics) }
        if let other = grouped.other { section("other: keys past the first \(grouped.limit)", other) }
        return out
    }

    /// The grouped JSON report (see `render(_:_:checks:)`).
    static func json(_ grouped: GroupedMetrics, checks: [CheckVerdict]) -> [UInt8] {
        var out: [UInt8] = Array("{\"total\":".utf8)
        out.append(contentsOf: json(grouped.total, checks: checks).dropLast())
        out.append(contentsOf: ",\"groups\":[".utf8)
        for (i, group) in grouped.sortedGroups.enumerated() {
            out.append(contentsOf: (i == 0 ? "{\"key\":" : ",{\"key\":").utf8)
            JSONString.append(group.key, .goEncodingJSON, to: &out)
            out.append(contentsOf: ",\"report\":".utf8)
            out.append(contentsOf: json(group.metrics).dropLast())
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        if let other = grouped.other {
            out.append(contentsOf: ",\"other\":".utf8)
            out.append(contentsOf: json(other).dropLast())
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// A key as a header shows it: control characters (a newline in a hostile URL) as `\n`, `\u0001`, and an
    /// empty key (no attack name) as `""`.
    static func printable(_ key: String) -> String {
        if key.isEmpty { return "\"\"" }
        var out = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
