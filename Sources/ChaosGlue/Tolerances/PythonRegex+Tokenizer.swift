import BarrageCore
import Foundation

extension PythonRegex {
    /// `re._parser.Tokenizer`: tokens are one character, or a backslash and the character after it; positions
    /// count code points.
    struct Tokenizer {
        private let chars: [Unicode.Scalar]
        private var index = 0
        private(set) var next: String?

        static let digits: Set<String> = Set("0123456789".map(String.init))
        static let octalDigits: Set<String> = Set("01234567".map(String.init))
        static let hexDigits: Set<String> = Set("0123456789abcdefABCDEF".map(String.init))
        static let whitespace: Set<String> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]

        init(_ pattern: String) { chars = Array(pattern.unicodeScalars) }

        /// Reads the first token (a lone trailing backslash is already an error).
        mutating func start() throws(Error) { try advance() }

        private mutating func advance() throws(Error) {
            var i = index
            guard i < chars.count else {
                next = nil
                return
            }
            var token = String.UnicodeScalarView([chars[i]])
            if chars[i] == "\\" {
                i += 1
                guard i < chars.count else {
                    throw Error(message: "bad escape (end of pattern)", position: chars.count - 1)
                }
                token.append(chars[i])
            }
            index = i + 1
            next = String(token)
        }

        /// Consumes the next token when it is `token`.
        mutating func match(_ token: String) throws(Error) -> Bool {
            guard next == token else { return false }
            try advance()
            return true
        }

        /// Consumes and returns the next token (nil at the end).
        @discardableResult
        mutating func get() throws(Error) -> String? {
            let this = next
            try advance()
            return this
        }

        /// Up to `n` tokens from `set`.
        mutating func getWhile(_ n: Int, _ set: Set<String>) throws(Error) -> String {
            var out = ""
            for _ in 0..<n {
                guard let c = next, set.contains(c) else { break }
                out += c
                try get()
            }
            return out
        }

        /// Tokens up to `terminator`, which is consumed.
        mutating func getUntil(_ terminator: String, _ name: String) throws(Error) -> String {
            var out = ""
            while true {
                let c = next
                try get()
                guard let c else {
                    if out.isEmpty { throw error("missing " + name) }
                    throw error("missing \(terminator), unterminated name", out.unicodeScalars.count)
                }
                if c == terminator {
                    if out.isEmpty { throw error("missing " + name, 1) }
                    return out
                }
                out += c
            }
        }

        /// Where the next token starts.
        func tell() -> Int { index - (next?.unicodeScalars.count ?? 0) }

        mutating func seek(_ position: Int) throws(Error) {
            index = position
            try advance()
        }

        /// Python's `source.error(msg, offset)`: the position is `tell() - offset`.
        func error(_ message: String, _ offset: Int = 0) -> Error {
            Error(message: message, position: tell() - offset)
        }

        /// `checkgroupname`: a group name must be a Python identifier.
        func checkGroupName(_ name: String, _ offset: Int) throws(Error) {
            guard Self.isIdentifier(name) else {
                throw error(
                    "bad character in group name \(JSON.string(name).pythonRepr)", name.unicodeScalars.count + offset)
            }
        }

        /// `str.isidentifier()`.
        static func isIdentifier(_ s: String) -> Bool {
            guard let first = s.unicodeScalars.first else { return false }
            guard first == "_" || first.properties.isXIDStart else { return false }
            return s.unicodeScalars.dropFirst().allSatisfy { $0.properties.isXIDContinue }
        }
    }
}
