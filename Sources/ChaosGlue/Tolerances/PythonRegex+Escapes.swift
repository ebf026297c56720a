import BarrageCore
import Foundation

extension PythonRegex.Parser {
    typealias Error = PythonRegex.Error
    typealias Node = PythonRegex.Node
    typealias SetItem = PythonRegex.SetItem
    typealias Flags = PythonRegex.Flags
    typealias Tokenizer = PythonRegex.Tokenizer

    private static let simpleEscapes: [String: UInt32] = [
        "\\a": 7, "\\b": 8, "\\f": 12, "\\n": 10, "\\r": 13, "\\t": 9, "\\v": 11, "\\\\": 92,
    ]
    private static let categories: [String: PythonRegex.Category] = [
        "\\d": .digit, "\\D": .notDigit, "\\s": .space, "\\S": .notSpace, "\\w": .word, "\\W": .notWord,
    ]
    private static let anchors: [String: PythonRegex.Anchor] = [
        "\\A": .beginningOfString, "\\b": .boundary, "\\B": .notBoundary, "\\Z": .endOfString,
    ]

    /// `_escape`: an escape outside a set.
    mutating func escape(_ escape: String) throws(Error) -> Node {
        if let c = Self.categories[escape] { return .category(c) }
        if let a = Self.anchors[escape] { return .anchor(a) }
        if let v = Self.simpleEscapes[escape] { return .literal(v) }
        let c = String(escape.unicodeScalars.dropFirst())
        if let literal = try codeEscape(escape, c) { return literal }
        if c == "0" {
            let digits = try source.getWhile(2, Tokenizer.octalDigits)
            return .literal(UInt32(digits.isEmpty ? "0" : digits, radix: 8) ?? 0)
        }
        if Tokenizer.digits.contains(c) {
            var text = escape
            if let n = source.next, Tokenizer.digits.contains(n) {
                text += try source.get() ?? ""
                let d = Array(text.unicodeScalars)
                if Tokenizer.octalDigits.contains(String(d[1])),
                    Tokenizer.octalDigits.contains(String(d[2])),
                    let n2 = source.next, Tokenizer.octalDigits.contains(n2)
                {
                    text += try source.get() ?? ""
                    let value = UInt32(String(text.dropFirst()), radix: 8) ?? 0
                    if value > 0o377 {
                        throw source.error(
                            "octal escape value \(text) outside of range 0-0o377", text.unicodeScalars.count)
                    }
                    return .literal(value)
                }
            }
            let group = Int(String(text.dropFirst())) ?? 0
            let length = text.unicodeScalars.count
            if group < groupWidths.count {
                if !isClosed(group) { throw source.error("cannot refer to an open group", length) }
                try checkLookbehindGroup(group)
                return .backreference(group)
            }
            throw source.error("invalid group reference \(group)", length - 1)
        }
        return .literal(try plainEscape(escape))
    }

    /// `_class_escape`: an escape inside a set.
    mutating func classEscape(_ escape: String) throws(Error) -> SetItem {
        if let v = Self.simpleEscapes[escape] { return .char(v) }
        if let c = Self.categories[escape] { return .category(c) }
        let c = String(escape.unicodeScalars.dropFirst())
        if let literal = try codeEscape(escape, c) {
            switch literal {
            case .literal(let v): return .char(v)
            case .named(let n): return .named(n)
            default: break
            }
        }
        if Tokenizer.octalDigits.contains(c) {
            let text = escape + (try source.getWhile(2, Tokenizer.octalDigits))
            let value = UInt32(String(text.dropFirst()), radix: 8) ?? 0
            if value > 0o377 {
                throw source.error("octal escape value \(text) outside of range 0-0o377", text.unicodeScalars.count)
            }
            return .char(value)
        }
        if Tokenizer.digits.contains(c) {
            throw source.error("bad escape \(escape)", escape.unicodeScalars.count)
        }
        return .char(try plainEscape(escape))
    }

    /// `\xhh`, `\uhhhh`, `\Uhhhhhhhh`, `\N{name}`; nil for any other escape.
    private mutating func codeEscape(_ escape: String, _ c: String) throws(Error) -> Node? {
        let lengths = ["x": 2, "u": 4, "U": 8]
        if let n = lengths[c] {
            let text = escape + (try source.getWhile(n, Tokenizer.hexDigits))
            guard text.unicodeScalars.count == n + 2 else {
                throw source.error("incomplete escape \(text)", text.unicodeScalars.count)
            }
            guard let value = UInt32(String(text.dropFirst(2)), radix: 16), Unicode.Scalar(value) != nil || c != "U"
            else { throw source.error("bad escape \(text)", text.unicodeScalars.count) }
            return .literal(value)
        }
        guard c == "N" else { return nil }
        if try !source.match("{") { throw source.error("missing {") }
        let name = try source.getUntil("}", "character name")
        // ICU knows the same names; a pattern of just this escape tells whether it exists.
        let probe = "\\N{" + name.replacingOccurrences("}", "") + "}"
        guard !name.contains("}"), (try? NSRegularExpression(pattern: probe)) != nil else {
            throw source.error(
                "undefined character name \(JSON.string(name).pythonRepr)", name.unicodeScalars.count + 4)
        }
        return .named(name)
    }

    /// A backslash before anything else: ASCII letters and digits are errors, the rest stand for themselves.
    private func plainEscape(_ escape: String) throws(Error) -> UInt32 {
        let scalars = Array(escape.unicodeScalars)
        guard scalars.count == 2 else { throw source.error("bad escape \(escape)", scalars.count) }
        let c = scalars[1]
        if c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) {
            throw source.error("bad escape \(escape)", 2)
        }
        return c.value
    }

    /// `[...]`, after its `[`.
    mutating func characterSet() throws(Error) -> Node {
        let here = source.tell() - 1
        var items: [SetItem] = []
        let negated = try source.match("^")
        while true {
            guard let this = try source.get() else {
                throw source.error("unterminated character set", source.tell() - here)
            }
            if this == "]" && !items.isEmpty { break }
            let first: SetItem =
                this.hasPrefix("\\") ? try classEscape(this) : .char(this.unicodeScalars.first?.value ?? 0)
            if try source.match("-") {
                guard let that = try source.get() else {
                    throw source.error("unterminated character set", source.tell() - here)
                }
                if that == "]" {
                    items.append(first)
                    items.append(.char(UInt32(UInt8(ascii: "-"))))
                    break
                }
                let second: SetItem =
                    that.hasPrefix("\\") ? try classEscape(that) : .char(that.unicodeScalars.first?.value ?? 0)
                let length = this.unicodeScalars.count + 1 + that.unicodeScalars.count
                guard case .char(let lo) = first, case .char(let hi) = second, lo <= hi else {
                    throw source.error("bad character range \(this)-\(that)", length)
                }
                items.append(.range(lo, hi))
            } else {
                items.append(first)
            }
        }
        return .set(negated: negated, items)
    }
}
