/// Whose string-literal syntax a quoted string is written in.
package enum QuoteDialect: Sendable {
    /// Go's `%q` (`strconv.Quote`): double quotes; `\"` and `\\`; `\a \b \f \n \r \t \v`; other ASCII controls and
    /// DEL as `\xXX`; other characters Go does not print (controls, format characters, separators other than the
    /// space, unassigned and private-use code points) as `\uXXXX` or `\UXXXXXXXX`; everything else as it is.
    case go
    /// Python's `repr()` of a str as our messages need it: single quotes unless the text has a single quote and no
    /// double quote; `\\`, `\n`, `\r`, `\t` and the chosen quote escaped; other ASCII controls and DEL as `\xXX`;
    /// everything else, non-ASCII included, as it is.
    case python
}

/// `s` as a string literal of `dialect`.
///
/// - Parameters:
///   - s: the text.
///   - dialect: `.go` or `.python`.
/// - Returns: the quoted text.
package func quoted(_ s: String, _ dialect: QuoteDialect) -> String {
    let quote: Unicode.Scalar = dialect == .python && !(s.contains("'") && !s.contains("\"")) ? "'" : "\""
    var out = String(quote)
    for scalar in s.unicodeScalars {
        switch scalar {
        case quote: out += "\\" + String(quote)
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{07}" where dialect == .go: out += "\\a"
        case "\u{08}" where dialect == .go: out += "\\b"
        case "\u{0C}" where dialect == .go: out += "\\f"
        case "\u{0B}" where dialect == .go: out += "\\v"
        default:
            if scalar.value < 0x80
                ? scalar.value >= 0x20 && scalar.value < 0x7F : dialect == .python || isGoPrintable(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x80 {
                out += "\\x" + hex(scalar.value, 2)
            } else if scalar.value < 0x10000 {
                out += "\\u" + hex(scalar.value, 4)
            } else {
                out += "\\U" + hex(scalar.value, 8)
            }
        }
    }
    out.unicodeScalars.append(quote)
    return out
}

/// Go's `%q` (`strconv.Quote`); see `QuoteDialect.go`.
///
/// - Parameter s: the text.
/// - Returns: the quoted text.
package func goQuote(_ s: String) -> String {
    quoted(s, .go)
}

/// Go's `unicode.IsPrint` above ASCII: letters, marks, numbers, punctuation and symbols.
private func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator,
        .paragraphSeparator:
        return false
    default:
        return true
    }
}

private func hex(_ value: UInt32, _ width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
