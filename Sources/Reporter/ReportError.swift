/// Why a report could not be set up: the `-type` or `-buckets` value. Each description is vegeta's message.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `-type` shorter than 4 characters.
    case invalidType(String)
    /// `-type` that names nothing we know.
    case unknownType(String)
    /// `-type=plot`, which vegeta replaced by the plot command.
    case plotDeprecated
    /// `-type=hist` without a bucket list (vegeta prints the part after `hist`, quoted with '').
    case missingBuckets(String)
    /// A bucket list without its brackets, or an empty one.
    case badBuckets(String)
    /// A bucket item that is not a Go duration.
    case badDuration(String)

    public var description: String {
        switch self {
        case .invalidType(let type): return "invalid report type: \(type)"
        case .unknownType(let type): return "unknown report type: \(goQuoted(type))"
        case .plotDeprecated:
            return "The plot reporter has been deprecated and succeeded by the vegeta plot command"
        case .missingBuckets(let rest): return "bad buckets: '\(rest)'"
        case .badBuckets(let text): return "bad buckets: \(text)"
        case .badDuration(let text): return durationMessage(text)
        }
    }
}

/// Go's `%q` for the short strings these messages quote.
func goQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Go's `time.ParseDuration` error text for a string it rejects.
private func durationMessage(_ text: String) -> String {
    var rest = Substring(text)
    if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
    let isNumber: (Character) -> Bool = { $0 == "." || ("0"..."9").contains($0) }
    while !rest.isEmpty {
        let number = rest.prefix(while: isNumber)
        if number.isEmpty || number == "." { break }
        rest = rest.dropFirst(number.count)
        let unit = rest.prefix(while: { !isNumber($0) })
        if unit.isEmpty { return "time: missing unit in duration \(goQuoted(text))" }
        if !["ns", "us", "\u{00B5}s", "\u{03BC}s", "ms", "s", "m", "h"].contains(String(unit)) {
            return "time: unknown unit \(goQuoted(String(unit))) in duration \(goQuoted(text))"
        }
        rest = rest.dropFirst(unit.count)
    }
    return "time: invalid duration \(goQuoted(text))"
}
