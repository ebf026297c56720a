import BarrageCore
import Foundation

/// click's conversion of a prompt's answer for each of chaoslib's portable type names
/// (`portable_type_name_to_python_type`, then click's `convert_type`).
enum InitTypes {
    typealias Converter = (JSON) -> Result<JSON, InitWizard.Crash>

    /// The converter for `typeName`, guessed from the default's type for `null` (click's `_guess_type`).
    ///
    /// - Throws: `Crash` for the types click cannot build from text (`byte`, `object`, unknown names), where the
    ///   Chaos Toolkit raises a `TypeError` at the first answer.
    static func converter(_ typeName: String, default fallback: JSON?) throws(InitWizard.Crash) -> Converter {
        switch typeName {
        case "string": return string
        case "integer": return integer
        case "number": return number
        case "boolean": return boolean
        case "list", "tuple": return characters(unique: false)
        case "set": return characters(unique: true)
        case "mapping": return mapping
        case "null":
            switch fallback {
            case .int?: return integer
            case .double?: return number
            case .bool?: return boolean
            default: return string
            }
        default:
            throw InitWizard.Crash(message: "TypeError: arguments of type '\(typeName)' cannot be entered as text")
        }
    }

    /// `str(value)`.
    static func string(_ value: JSON) -> Result<JSON, InitWizard.Crash> {
        if case .string = value { return .success(value) }
        return .success(.string(value.pythonString))
    }

    /// `int(value)`: Python's integer text (spaces around, a sign, `_` between digits).
    static func integer(_ value: JSON) -> Result<JSON, InitWizard.Crash> {
        switch value {
        case .int: return .success(value)
        case .bool(let b): return .success(.int(b ? 1 : 0))
        case .double(let d) where d.isFinite && abs(d) < 9.2e18: return .success(.int(Int(d.rounded(.towardZero))))
        case .string(let s):
            if let i = Int(pythonNumberText(s)), !s.hasPrefix("_"), !s.hasSuffix("_"), !s.contains("__") {
                return .success(.int(i))
            }
        default: break
        }
        return .failure(InitWizard.Crash(message: "\(value.pythonRepr) is not a valid integer."))
    }

    /// `float(value)`.
    static func number(_ value: JSON) -> Result<JSON, InitWizard.Crash> {
        switch value {
        case .double: return .success(value)
        case .int(let i): return .success(.double(Double(i)))
        case .bool(let b): return .success(.double(b ? 1 : 0))
        case .string(let s):
            let text = pythonNumberText(s)
            let lower = text.lowercased()
            if !lower.contains("0x"), !lower.hasPrefix("+0x"), let d = Double(text), !s.contains("__") {
                return .success(.double(d))
            }
        default: break
        }
        return .failure(InitWizard.Crash(message: "\(value.pythonRepr) is not a valid float."))
    }

    /// click 8.5's `BOOL` (an empty text is false).
    static func boolean(_ value: JSON) -> Result<JSON, InitWizard.Crash> {
        switch value {
        case .bool: return .success(value)
        case .int(0): return .success(.bool(false))
        case .int(1): return .success(.bool(true))
        case .string(let s):
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "1", "true", "t", "yes", "y", "on": return .success(.bool(true))
            case "0", "false", "f", "no", "n", "off", "": return .success(.bool(false))
            default: break
            }
        default: break
        }
        return .failure(
            InitWizard.Crash(
                message:
                    "\(value.pythonRepr) is not a valid boolean. Recognized values: , 0, 1, f, false, n, no, off, on, t, true, y, yes"
            ))
    }

    /// `list(value)`: a text becomes its characters; `set` keeps each once (in first-seen order, where Python's
    /// order depends on string hashing).
    static func characters(unique: Bool) -> Converter {
        { value in
            switch value {
            case .array: return .success(value)
            case .string(let s):
                var seen: Set<Character> = []
                return .success(
                    .array(s.filter { !unique || seen.insert($0).inserted }.map { .string(String($0)) }))
            default: return .failure(InitWizard.Crash(message: value.pythonString))
            }
        }
    }

    /// `dict(value)`: only an empty answer (an absent default) or a mapping default converts.
    static func mapping(_ value: JSON) -> Result<JSON, InitWizard.Crash> {
        switch value {
        case .object: return .success(value)
        case .string(""): return .success(.object([]))
        case .string:
            return .failure(
                InitWizard.Crash(message: "dictionary update sequence element #0 has length 1; 2 is required"))
        default: return .failure(InitWizard.Crash(message: value.pythonString))
        }
    }

    /// Python's number text without its surrounding spaces and digit-group underscores.
    private static func pythonNumberText(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
    }
}
