public import BarrageCore
import Foundation

/// PyYAML's `yaml.dump(value, indent=2)` (block style, keys sorted, `allow_unicode` off), for the `chaos settings`
/// commands that print and save the settings file as the Chaos Toolkit does.
public enum PyYAMLDump {
    /// PyYAML's `indent` and `sort_keys` arguments.
    struct Style {
        var step = 2
        var sortKeys = true
    }

    /// The document PyYAML writes for `value`.
    public static func dump(_ value: JSON) -> String { dump(value, Style()) }

    /// The document `chaos init` writes for a `.yaml` experiment: `yaml.dump(indent=4, sort_keys=False)`.
    public static func dumpExperiment(_ value: JSON) -> String { dump(value, Style(step: 4, sortKeys: false)) }

    /// The document `yaml.dump(value, indent=step, sort_keys=sortKeys, default_flow_style=False)` writes.
    static func dump(_ value: JSON, _ style: Style) -> String {
        var out = ""
        switch value {
        case .object(let m) where !m.isEmpty: mapping(m, indent: 0, style, into: &out)
        case .array(let a) where !a.isEmpty: sequence(a, indent: 0, style, into: &out)
        default:
            let (text, plain) = scalar(value)
            out = text + "\n" + (plain && !isCollection(value) ? "...\n" : "")
        }
        return out
    }

    private static func isCollection(_ v: JSON) -> Bool {
        switch v {
        case .object, .array: return true
        default: return false
        }
    }

    private static func mapping(_ members: [JSON.Member], indent: Int, _ style: Style, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        // Python sorts str keys by code point; a repeated key cannot occur in a dict.
        let sorted =
            style.sortKeys
            ? members.sorted {
                Array($0.key.unicodeScalars.map(\.value)).lexicographicallyPrecedes(
                    $1.key.unicodeScalars.map(\.value))
            } : members
        for m in sorted {
            out += pad + scalar(.string(m.key)).0 + ":"
            value(m.value, indent: indent, inSequence: false, style, into: &out)
        }
    }

    private static func sequence(_ items: [JSON], indent: Int, _ style: Style, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            out += pad + "-"
            value(item, indent: indent, inSequence: true, style, into: &out)
        }
    }

    /// A value after `key:` or `-`.
    private static func value(_ v: JSON, indent: Int, inSequence: Bool, _ style: Style, into out: inout String) {
        let step = style.step
        switch v {
        case .object(let m) where !m.isEmpty:
            if inSequence {
                // The first key sits on the dash's line, `indent` columns in (`-   key:` with indent=4).
                out += String(repeating: " ", count: step - 1)
                var inner = ""
                mapping(m, indent: indent + step, style, into: &inner)
                out += String(inner.dropFirst(indent + step))
            } else {
                out += "\n"
                mapping(m, indent: indent + step, style, into: &out)
            }
        case .array(let a) where !a.isEmpty:
            if inSequence {
                out += String(repeating: " ", count: step - 1)
                var inner = ""
                sequence(a, indent: indent + step, style, into: &inner)
                out += String(inner.dropFirst(indent + step))
            } else {
                // PyYAML writes a sequence inside a mapping at the key's own indentation.
                out += "\n"
                sequence(a, indent: indent, style, into: &out)
            }
        default:
            out += " " + scalar(v).0 + "\n"
        }
    }

    /// A scalar's text and whether it is plain (unquoted).
    static func scalar(_ v: JSON) -> (String, Bool) {
        switch v {
        case .null: return ("null", true)
        case .bool(let b): return (b ? "true" : "false", true)
        case .int(let i): return (String(i), true)
        case .double(let d): return (float(d), true)
        case .object: return ("{}", false)
        case .array: return ("[]", false)
        case .string(let s): return string(s)
        }
    }

    private static func float(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        var text = JSON.pythonFloat(d).lowercased()
        if !text.contains("."), let e = text.firstIndex(of: "e") { text.insert(contentsOf: ".0", at: e) }
        return text
    }

    /// What PyYAML's implicit resolvers would read as something other than a string.
    private static let implicit: [NSRegularExpression] = [
        "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
        "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$",
        "^(?:~|null|Null|NULL)$",
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        "^(?:<<|=)$",
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    private static func string(_ s: String) -> (String, Bool) {
        if s.isEmpty { return ("''", false) }
        let scalars = Array(s.unicodeScalars)
        let printableASCII = scalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if !printableASCII { return (doubleQuoted(scalars), false) }
        let range = NSRange(s.startIndex..., in: s)
        let resolves = implicit.contains { $0.firstMatch(in: s, range: range) != nil }
        let first = scalars[0]
        let next = scalars.count > 1 ? scalars[1] : " "
        var plain = !resolves
        if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(first) { plain = false }
        if "-?:".unicodeScalars.contains(first), next == " " || scalars.count == 1 { plain = false }
        if first == " " || scalars.last == " " { plain = false }
        if s.hasPrefix("---") || s.hasPrefix("...") { plain = false }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { plain = false }
        if plain { return (s, true) }
        return ("'" + s.replacingOccurrences(of: "'", with: "''") + "'", false)
    }

    private static func doubleQuoted(_ scalars: [Unicode.Scalar]) -> String {
        let named: [UInt32: String] = [
            0: "0", 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 27: "e", 0x22: "\"", 0x5C: "\\",
            0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P",
        ]
        var out = "\""
        for c in scalars {
            if let n = named[c.value] {
                out += "\\" + n
            } else if c.value >= 0x20 && c.value < 0x7F {
                out.unicodeScalars.append(c)
            } else {
                let hex = String(c.value, radix: 16, uppercase: true)
                let (prefix, width) = c.value < 0x100 ? ("x", 2) : c.value < 0x10000 ? ("u", 4) : ("U", 8)
                out += "\\" + prefix + String(repeating: "0", count: width - hex.count) + hex
            }
        }
        return out + "\""
    }
}
