import BarrageCore

extension PythonRegex {
    /// Python 3.11's `re._parser` for str patterns: the same walk over the same tokens, so errors come out with the
    /// same message at the same position.
    struct Parser {
        var source: Tokenizer
        var flags: Flags = []
        var groupNames: [String: Int] = [:]
        /// Each group's (min, max) width once closed; nil while open. Index 0 is the whole match.
        var groupWidths: [Width?] = [nil]
        var lookbehindGroups: Int?
        /// Groups conditionals refer to, with the position Python reports when one does not exist.
        var conditionalRefs: [Int: Int] = [:]
        var lookbehinds: [Alternatives] = []

        static let maxRepeat = 4_294_967_295
        static let maxGroups = 1_073_741_823

        init(_ pattern: String) { source = Tokenizer(pattern) }

        mutating func parse() throws(Error) -> Tree {
            try source.start()
            let top = try parseAlternatives(verbose: false, nested: 0)
            if flags.contains(.ascii) && flags.contains(.unicode) {
                throw Error(message: "ASCII and UNICODE flags are incompatible", position: nil, kind: .other)
            }
            if source.next != nil { throw source.error("unbalanced parenthesis") }
            for (group, position) in conditionalRefs.sorted(by: { $0.key < $1.key }) where group >= groupWidths.count {
                throw Error(message: "invalid group reference \(group)", position: position)
            }
            for look in lookbehinds {
                let w = width(look)
                if w.lo > 0xFFFF_FFFF { throw Error(message: "looks too much behind", position: nil, kind: .compile) }
                if w.lo != w.hi {
                    throw Error(message: "look-behind requires fixed-width pattern", position: nil, kind: .compile)
                }
            }
            return Tree(alternatives: top, flags: flags, groupCount: groupWidths.count - 1)
        }

        /// `_parse_sub`: branches separated by `|`.
        mutating func parseAlternatives(verbose: Bool, nested: Int) throws(Error) -> Alternatives {
            var items: Alternatives = []
            var verbose = verbose
            while true {
                items.append(
                    try parseSequence(verbose: verbose, nested: nested + 1, first: nested == 0 && items.isEmpty))
                if try !source.match("|") { break }
                if nested == 0 { verbose = flags.contains(.verbose) }
            }
            return items
        }

        /// `_parse`: one branch.
        mutating func parseSequence(verbose: Bool, nested: Int, first: Bool = false) throws(Error) -> [Node] {
            var out: [Node] = []
            var verbose = verbose
            while let this = source.next {
                if this == "|" || this == ")" { break }
                try source.get()
                if verbose {
                    if this.count == 1, Tokenizer.whitespace.contains(this) { continue }
                    if this == "#" {
                        while let c = try source.get(), c != "\n" {}
                        continue
                    }
                }
                if this.hasPrefix("\\") {
                    out.append(try escape(this))
                } else if !".[{()*+?^$|".contains(this) {
                    out.append(.literal(this.unicodeScalars.first?.value ?? 0))
                } else if this == "[" {
                    out.append(try characterSet())
                } else if "*+?{".contains(this) {
                    try quantifier(this, &out)
                } else if this == "." {
                    out.append(.any)
                } else if this == "(" {
                    if let node = try group(verbose: &verbose, nested: nested, first: first, isEmpty: out.isEmpty) {
                        out.append(node)
                    }
                } else if this == "^" {
                    out.append(.anchor(.beginning))
                } else {
                    out.append(.anchor(.end))
                }
            }
            return out
        }

        mutating func quantifier(_ this: String, _ out: inout [Node]) throws(Error) {
            let here = source.tell()
            var min = 0
            var max: Int?
            switch this {
            case "?": max = 1
            case "*": break
            case "+": min = 1
            default:
                if source.next == "}" {
                    out.append(.literal(UInt32(UInt8(ascii: "{"))))
                    return
                }
                var lo = ""
                var hi = ""
                while let c = source.next, Tokenizer.digits.contains(c) { lo += try source.get() ?? "" }
                if try source.match(",") {
                    while let c = source.next, Tokenizer.digits.contains(c) { hi += try source.get() ?? "" }
                } else {
                    hi = lo
                }
                if try !source.match("}") {
                    out.append(.literal(UInt32(UInt8(ascii: "{"))))
                    try source.seek(here)
                    return
                }
                if !lo.isEmpty {
                    guard let v = Int(lo), v < Self.maxRepeat else { throw Self.tooLarge }
                    min = v
                }
                if !hi.isEmpty {
                    guard let v = Int(hi), v < Self.maxRepeat else { throw Self.tooLarge }
                    max = v
                    if v < min { throw source.error("min repeat greater than max repeat", source.tell() - here) }
                }
            }
            let length = source.tell() - here + this.unicodeScalars.count
            guard let last = out.last else { throw source.error("nothing to repeat", length) }
            var item = [last]
            switch last {
            case .anchor: throw source.error("nothing to repeat", length)
            case .repeat: throw source.error("multiple repeat", length)
            case .group(nil, let add, let remove, let alternatives) where add.isEmpty && remove.isEmpty:
                if alternatives.count == 1 { item = alternatives[0] }
            default: break
            }
            let kind: RepeatKind = try source.match("?") ? .lazy : (source.match("+") ? .possessive : .greedy)
            out[out.count - 1] = .repeat(min: min, max: max, kind, item)
        }

        static let tooLarge = Error(message: "the repetition number is too large", position: nil, kind: .other)
    }
}
