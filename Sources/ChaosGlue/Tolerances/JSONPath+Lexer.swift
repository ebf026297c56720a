import BarrageCore

extension JSONPath {
    /// jsonpath2's tokens.
    enum Token: Hashable, Sendable {
        case at, dotDot, dollar, dot, star
        case and, not, or, `true`, `false`, null
        case eq, ne, lt, le, gt, ge
        case braceLeft, braceRight, bracketLeft, bracketRight, colon, comma, parenLeft, parenRight, question
        case id(String)
        /// A double-quoted string, its text between the quotes exactly as written (jsonpath2 decodes no escapes).
        case string(String)
        case number(String)
        case end

        /// How ANTLR names the token in a message.
        var text: String {
            switch self {
            case .at: return "@"
            case .dotDot: return ".."
            case .dollar: return "$"
            case .dot: return "."
            case .star: return "*"
            case .and: return "and"
            case .not: return "not"
            case .or: return "or"
            case .true: return "true"
            case .false: return "false"
            case .null: return "null"
            case .eq: return "="
            case .ne: return "!="
            case .lt: return "<"
            case .le: return "<="
            case .gt: return ">"
            case .ge: return ">="
            case .braceLeft: return "{"
            case .braceRight: return "}"
            case .bracketLeft: return "["
            case .bracketRight: return "]"
            case .colon: return ":"
            case .comma: return ","
            case .parenLeft: return "("
            case .parenRight: return ")"
            case .question: return "?"
            case .id(let s), .number(let s): return s
            case .string(let s): return "\"" + s + "\""
            case .end: return "<EOF>"
            }
        }
    }

    /// Splits a path into tokens as jsonpath2's ANTLR lexer does: the longest token wins, a keyword beats an
    /// identifier of the same length (`$.true` is not a name), spaces, tabs and line breaks separate tokens.
    struct Lexer {
        private let chars: [Unicode.Scalar]
        private var i = 0

        init(_ text: String) { chars = Array(text.unicodeScalars) }

        /// All tokens with their columns, ending with `.end`.
        mutating func tokens() throws(ParseError) -> [(Token, Int)] {
            var out: [(Token, Int)] = []
            while true {
                while i < chars.count, [" ", "\t", "\n", "\r"].contains(chars[i]) { i += 1 }
                let column = i
                guard i < chars.count else {
                    out.append((.end, column))
                    return out
                }
                out.append((try next(), column))
            }
        }

        private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            i + offset < chars.count ? chars[i + offset] : nil
        }

        private mutating func next() throws(ParseError) -> Token {
            let c = chars[i]
            let simple: [Unicode.Scalar: Token] = [
                "@": .at, "$": .dollar, "*": .star, "=": .eq, "{": .braceLeft, "}": .braceRight,
                "[": .bracketLeft, "]": .bracketRight, ":": .colon, ",": .comma, "(": .parenLeft, ")": .parenRight,
                "?": .question,
            ]
            switch c {
            case ".":
                let double = peek(1) == "."
                i += double ? 2 : 1
                return double ? .dotDot : .dot
            case "<", ">":
                let orEqual = peek(1) == "="
                i += orEqual ? 2 : 1
                return c == "<" ? (orEqual ? .le : .lt) : (orEqual ? .ge : .gt)
            case "!":
                guard peek(1) == "=" else { throw recognitionError(length: 1) }
                i += 2
                return .ne
            case "\"":
                return try string()
            case "-", "0"..."9":
                return try number()
            default:
                if let token = simple[c] {
                    i += 1
                    return token
                }
                if Self.isIdentifierStart(c) { return identifier() }
                throw recognitionError(length: 1)
            }
        }

        private func recognitionError(length: Int) -> ParseError {
            let end = min(i + length, chars.count)
            var text = String.UnicodeScalarView()
            text.append(contentsOf: chars[i..<end])
            return ParseError(column: i, message: "token recognition error at: '\(String(text))'")
        }

        private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
        }

        private mutating func identifier() -> Token {
            let start = i
            while let c = peek(), Self.isIdentifierStart(c) || ("0"..."9").contains(c) { i += 1 }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: chars[start..<i])
            let word = String(text)
            let keywords: [String: Token] = [
                "and": .and, "not": .not, "or": .or, "true": .true, "false": .false, "null": .null,
            ]
            return keywords[word] ?? .id(word)
        }

        /// A JSON string: no raw control characters, escapes `\" \\ \/ \b \f \n \r \t \uXXXX` only.
        private mutating func string() throws(ParseError) -> Token {
            let start = i
            i += 1
            while let c = peek() {
                if c == "\"" {
                    i += 1
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: chars[(start + 1)..<(i - 1)])
                    return .string(String(text))
                }
                if c.value < 0x20 { break }
                if c == "\\" {
                    guard let e = peek(1) else { break }
                    if "\"\\/bfnrt".unicodeScalars.contains(e) {
                        i += 2
                    } else if e == "u", (2...5).allSatisfy({ peek($0).map(Self.isHex) ?? false }) {
                        i += 6
                    } else {
                        break
                    }
                } else {
                    i += 1
                }
            }
            let length = i - start + 1
            i = start
            throw recognitionError(length: length)
        }

        private static func isHex(_ c: Unicode.Scalar) -> Bool {
            ("0"..."9").contains(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c)
        }

        private static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

        /// JSON's number: `-`? then `0` or a digit run without a leading zero, `.digits`?, exponent?; the longest
        /// prefix that is a whole number is the token (`1.x` is `1`, then `.`).
        private mutating func number() throws(ParseError) -> Token {
            let start = i
            if peek() == "-" { i += 1 }
            guard Self.isDigit(peek()) else {
                i = start
                throw recognitionError(length: 2)
            }
            integer()
            if peek() == ".", Self.isDigit(peek(1)) {
                i += 1
                while Self.isDigit(peek()) { i += 1 }
            }
            if let e = peek(), e == "e" || e == "E" {
                let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
                if Self.isDigit(peek(1 + sign)) {
                    i += 1 + sign
                    integer()
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: chars[start..<i])
            return .number(String(text))
        }

        /// `0`, or a non-zero digit and the digits after it.
        private mutating func integer() {
            if peek() == "0" {
                i += 1
            } else {
                while Self.isDigit(peek()) { i += 1 }
            }
        }
    }
}
