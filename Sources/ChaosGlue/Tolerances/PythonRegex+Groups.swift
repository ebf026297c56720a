import BarrageCore

extension PythonRegex.Parser {
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
