/// Writes JSON the way Python's `json.dumps(indent=2, ensure_ascii=False)` does (the journal's format),
/// or compactly like `json.dumps(x)` (`", "` and `": "` separators) for one-line messages.
enum JSONWriter {
    static func pretty(_ value: JSON) -> String {
        var out = ""
        write(value, into: &out, indent: 0)
        return out
    }

    static func compact(_ value: JSON) -> String {
        switch value {
        case .array(let a): return "[" + a.map(compact).joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { quote($0.key) + ": " + compact($0.value) }.joined(separator: ", ") + "}"
        default: return scalar(value)
        }
    }

    private static func write(_ value: JSON, into out: inout String, indent: Int) {
        switch value {
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                write(item, into: &out, indent: indent + 2)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += String(repeating: " ", count: indent + 2) + quote(member.key) + ": "
                write(member.value, into: &out, indent: indent + 2)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        default:
            out += scalar(value)
        }
    }

    private static func scalar(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return JSON.pythonFloat(d)
        case .string(let s): return quote(s)
        default: return ""
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
