package import BarrageCore
import Foundation

/// A regular expression with Python's `re` syntax and meaning (the regex tolerance's pattern), run on ICU.
///
/// The pattern is parsed as Python 3.11's `re` parses a str pattern, with its error messages and positions, then
/// written out as an ICU pattern that matches the same strings: named groups and `(?P=name)` become numbered ones,
/// `\Z` is ICU's `\z`, `^`, `$`, `.`, `\w`, `\d`, `\s` and `\b` are spelled out with Python's definitions (only `\n`
/// ends a line), inline and scoped flags (`a i m s x`) are applied while writing, a `{` that is not a repeat is a
/// literal, and conditional groups `(?(1)yes|no)` are rebuilt from an empty marker group.
package struct PythonRegex: Sendable {
    /// Python's `re.error`: the message, and the position (in code points) when Python gives one.
    package struct Error: Swift.Error, Sendable, CustomStringConvertible, Equatable {
        /// `e.msg`: what chaoslib's validation message quotes.
        package var message: String
        /// `e.pos`.
        package var position: Int?
        /// Which of Python's exceptions this is, or a limit of barrage's.
        package var kind: Kind

        /// Where the error comes from.
        package enum Kind: Sendable {
            /// `re.error` from the parser (with a position).
            case parse
            /// `re.error` from the compiler: no position, and `e.pattern` is None.
            case compile
            /// Another exception `re.compile` raises (ValueError, OverflowError): chaoslib does not catch it.
            case other
            /// A valid Python pattern ICU cannot run.
            case unsupported
        }

        /// An error with Python's message and position.
        package init(message: String, position: Int?, kind: Kind = .parse) {
            self.message = message
            self.position = position
            self.kind = kind
        }

        /// Same message and position (what Python shows).
        package static func == (a: Error, b: Error) -> Bool { a.message == b.message && a.position == b.position }

        /// `str(e)`: the message with ` at position N` when there is a position.
        package var description: String { position.map { "\(message) at position \($0)" } ?? message }
    }

    /// The ICU pattern that matches as the Python one does.
    package let icuPattern: String
    private let regex: NSRegularExpression

    /// Parses `pattern` with Python's rules.
    ///
    /// - Throws: `Error` with Python's message and position where `re.compile` raises `re.error`.
    package init(_ pattern: String) throws(Error) {
        var parser = Parser(pattern)
        let tree = try parser.parse()
        icuPattern = ICUWriter.write(tree)
        do {
            regex = try NSRegularExpression(pattern: icuPattern, options: [])
        } catch {
            // Only limits Python does not share (ICU's own sizes) get here.
            throw Error(
                message: "barrage cannot run this valid Python pattern on ICU (\(icuPattern))", position: nil,
                kind: .unsupported)
        }
    }

    /// Python's `re.search(pattern, text) is not None`.
    package func search(_ text: String) -> Bool {
        regex.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }
}

extension PythonRegex {
    /// Inline flags as `re` numbers them.
    struct Flags: OptionSet, Sendable {
        let rawValue: Int
        static let ignoreCase = Flags(rawValue: 2)
        static let locale = Flags(rawValue: 4)
        static let multiline = Flags(rawValue: 8)
        static let dotAll = Flags(rawValue: 16)
        static let unicode = Flags(rawValue: 32)
        static let verbose = Flags(rawValue: 64)
        static let ascii = Flags(rawValue: 256)

        static func letter(_ c: Unicode.Scalar) -> Flags? {
            switch c {
            case "a": return .ascii
            case "i": return .ignoreCase
            case "L": return .locale
            case "m": return .multiline
            case "s": return .dotAll
            case "x": return .verbose
            case "u": return .unicode
            default: return nil
            }
        }
    }

    /// `\d \D \s \S \w \W`.
    enum Category: Sendable {
        case digit, notDigit, space, notSpace, word, notWord
    }

    /// `^ $ \A \Z \b \B`.
    enum Anchor: Sendable {
        case beginning, end, beginningOfString, endOfString, boundary, notBoundary
    }

    enum SetItem: Sendable {
        case char(UInt32)
        case range(UInt32, UInt32)
        case category(Category)
        /// `\N{name}` (its code point is left to ICU).
        case named(String)
    }

    enum RepeatKind: Sendable {
        case greedy, lazy, possessive
    }

    /// One alternation: its branches, each a sequence.
    typealias Alternatives = [[Node]]

    indirect enum Node: Sendable {
        case literal(UInt32)
        case named(String)
        case any
        case set(negated: Bool, [SetItem])
        case category(Category)
        case anchor(Anchor)
        /// A group: captured (Python's number) or not, with scoped flags added and removed.
        case group(Int?, add: Flags, remove: Flags, Alternatives)
        case atomic(Alternatives)
        case look(behind: Bool, negative: Bool, Alternatives)
        case backreference(Int)
        case conditional(Int, yes: [Node], no: [Node]?)
        case `repeat`(min: Int, max: Int?, RepeatKind, [Node])
    }

    /// The parsed pattern: the top alternation and the flags it set globally (`(?i)` at the start).
    struct Tree: Sendable {
        var alternatives: Alternatives
        var flags: Flags
        var groupCount: Int
    }
}
