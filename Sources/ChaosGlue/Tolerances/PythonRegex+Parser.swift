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

        /// `(`...: groups, extensions, flags. Nil for what adds no node (a comment, global flags).
        mutating func group(verbose: inout Bool, nested: Int, first: Bool, isEmpty: Bool) throws(Error) -> Node? {
            let start = source.tell() - 1
            var capture = true
            var atomic = false
            var name: String?
            var add: Flags = []
            var remove: Flags = []
            if try source.match("?") {
                guard let char = try source.get() else { throw source.error("unexpected end of pattern") }
                switch char {
                case "P":
                    if try source.match("<") {
                        let n = try source.getUntil(">", "group name")
                        try source.checkGroupName(n, 1)
                        name = n
                    } else if try source.match("=") {
                        let n = try source.getUntil(")", "group name")
                        try source.checkGroupName(n, 1)
                        guard let gid = groupNames[n] else {
                            throw source.error(
                                "unknown group name \(JSON.string(n).pythonRepr)", n.unicodeScalars.count + 1)
                        }
                        guard isClosed(gid) else {
                            throw source.error("cannot refer to an open group", n.unicodeScalars.count + 1)
                        }
                        try checkLookbehindGroup(gid)
                        return .backreference(gid)
                    } else {
                        guard let c = try source.get() else { throw source.error("unexpected end of pattern") }
                        throw source.error("unknown extension ?P" + c, c.unicodeScalars.count + 2)
                    }
                case ":":
                    capture = false
                case "#":
                    while true {
                        guard source.next != nil else {
                            throw source.error("missing ), unterminated comment", source.tell() - start)
                        }
                        if try source.get() == ")" { break }
                    }
                    return nil
                case "=", "!", "<":
                    return try lookaround(char, start: start, verbose: verbose, nested: nested)
                case "(":
                    return try conditional(start: start, verbose: verbose, nested: nested)
                case ">":
                    capture = false
                    atomic = true
                default:
                    guard
                        char == "-"
                            || (char.unicodeScalars.count == 1
                                && Flags.letter(char.unicodeScalars[char.unicodeScalars.startIndex]) != nil)
                    else { throw source.error("unknown extension ?" + char, char.unicodeScalars.count + 1) }
                    guard let scoped = try parseFlags(char) else {
                        if !first || !isEmpty {
                            throw source.error("global flags not at the start of the expression", source.tell() - start)
                        }
                        verbose = flags.contains(.verbose)
                        return nil
                    }
                    (add, remove) = scoped
                    capture = false
                }
            }
            var group: Int?
            if capture {
                group = try openGroup(name)
            }
            let subVerbose = (verbose || add.contains(.verbose)) && !remove.contains(.verbose)
            let p = try parseAlternatives(verbose: subVerbose, nested: nested + 1)
            if try !source.match(")") {
                throw source.error("missing ), unterminated subpattern", source.tell() - start)
            }
            if let group { groupWidths[group] = width(p) }
            return atomic ? .atomic(p) : .group(group, add: add, remove: remove, p)
        }

        mutating func openGroup(_ name: String?) throws(Error) -> Int {
            let gid = groupWidths.count
            groupWidths.append(nil)
            if gid >= Self.maxGroups { throw source.error("too many groups", (name?.unicodeScalars.count ?? 0) + 1) }
            if let name {
                if let old = groupNames[name] {
                    throw source.error(
                        "redefinition of group name \(JSON.string(name).pythonRepr) as group \(gid); was group \(old)",
                        name.unicodeScalars.count + 1)
                }
                groupNames[name] = gid
            }
            return gid
        }

        func isClosed(_ gid: Int) -> Bool { gid < groupWidths.count && groupWidths[gid] != nil }

        func checkLookbehindGroup(_ gid: Int) throws(Error) {
            guard let lookbehindGroups else { return }
            if !isClosed(gid) { throw source.error("cannot refer to an open group") }
            if gid >= lookbehindGroups {
                throw source.error("cannot refer to group defined in the same lookbehind subpattern")
            }
        }

        mutating func lookaround(_ first: String, start: Int, verbose: Bool, nested: Int) throws(Error) -> Node {
            var char = first
            var behind = false
            let saved = lookbehindGroups
            if char == "<" {
                guard let c = try source.get() else { throw source.error("unexpected end of pattern") }
                guard c == "=" || c == "!" else {
                    throw source.error("unknown extension ?<" + c, c.unicodeScalars.count + 2)
                }
                char = c
                behind = true
                if lookbehindGroups == nil { lookbehindGroups = groupWidths.count }
            }
            let p = try parseAlternatives(verbose: verbose, nested: nested + 1)
            if behind, saved == nil { lookbehindGroups = nil }
            if try !source.match(")") {
                throw source.error("missing ), unterminated subpattern", source.tell() - start)
            }
            if behind { lookbehinds.append(p) }
            return .look(behind: behind, negative: char == "!", p)
        }

        mutating func conditional(start: Int, verbose: Bool, nested: Int) throws(Error) -> Node {
            let name = try source.getUntil(")", "group name")
            let length = name.unicodeScalars.count + 1
            let group: Int
            if Tokenizer.isIdentifier(name) {
                guard let gid = groupNames[name] else {
                    throw source.error("unknown group name \(JSON.string(name).pythonRepr)", length)
                }
                group = gid
            } else {
                guard let n = Int(name.trimmingSpaces()), n >= 0 else {
                    throw source.error("bad character in group name \(JSON.string(name).pythonRepr)", length)
                }
                if n == 0 { throw source.error("bad group number", length) }
                if n >= Self.maxGroups { throw source.error("invalid group reference \(n)", length) }
                if conditionalRefs[n] == nil { conditionalRefs[n] = source.tell() - length }
                group = n
            }
            try checkLookbehindGroup(group)
            let yes = try parseSequence(verbose: verbose, nested: nested + 1)
            var no: [Node]?
            if try source.match("|") {
                no = try parseSequence(verbose: verbose, nested: nested + 1)
                if source.next == "|" { throw source.error("conditional backref with more than two branches") }
            }
            if try !source.match(")") {
                throw source.error("missing ), unterminated subpattern", source.tell() - start)
            }
            return .conditional(group, yes: yes, no: no)
        }

        /// `_parse_flags`: nil for global flags (`(?i)`), else the scoped flags added and removed (`(?i-m:`).
        mutating func parseFlags(_ first: String) throws(Error) -> (Flags, Flags)? {
            var char: String? = first
            var add: Flags = []
            var remove: Flags = []
            let typeFlags: Flags = [.ascii, .locale, .unicode]
            if char != "-" {
                while true {
                    guard let c = char, let flag = Self.flag(c) else { break }
                    if flag == .locale {
                        throw source.error("bad inline flags: cannot use 'L' flag with a str pattern")
                    }
                    add.insert(flag)
                    if !flag.intersection(typeFlags).isEmpty, add.intersection(typeFlags) != flag {
                        throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible")
                    }
                    char = try source.get()
                    guard let next = char else { throw source.error("missing -, : or )") }
                    if next == ")" || next == "-" || next == ":" { break }
                    if Self.flag(next) == nil {
                        throw source.error(
                            Self.isAlpha(next) ? "unknown flag" : "missing -, : or )", next.unicodeScalars.count)
                    }
                }
            }
            if char == ")" {
                flags.formUnion(add)
                return nil
            }
            if char == "-" {
                guard let c = try source.get() else { throw source.error("missing flag") }
                guard Self.flag(c) != nil else {
                    throw source.error(Self.isAlpha(c) ? "unknown flag" : "missing flag", c.unicodeScalars.count)
                }
                char = c
                while true {
                    guard let c = char, let flag = Self.flag(c) else { break }
                    if !flag.intersection(typeFlags).isEmpty {
                        throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'")
                    }
                    remove.insert(flag)
                    char = try source.get()
                    guard let next = char else { throw source.error("missing :") }
                    if next == ":" { break }
                    if Self.flag(next) == nil {
                        throw source.error(Self.isAlpha(next) ? "unknown flag" : "missing :", next.unicodeScalars.count)
                    }
                }
            }
            if !add.intersection(remove).isEmpty { throw source.error("bad inline flags: flag turned on and off", 1) }
            return (add, remove)
        }

        static func flag(_ token: String) -> Flags? {
            guard token.unicodeScalars.count == 1, let c = token.unicodeScalars.first else { return nil }
            return Flags.letter(c)
        }

        static func isAlpha(_ token: String) -> Bool {
            !token.isEmpty && token.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }
        }
    }
}
