extension PythonRegex {
    /// Writes a parsed Python pattern as an ICU pattern with the same matches. Everything whose meaning differs
    /// between the two is spelled out (anchors, `.`, categories, word boundaries); literals other than ASCII letters
    /// are written as `\x{...}`, so no character is read as ICU syntax.
    struct ICUWriter {
        /// ICU group numbers for Python's groups, and for the marker group a conditional tests.
        private var numbers: [Int: Int] = [:]
        private var markers: [Int: Int] = [:]
        private var out = ""

        static func write(_ tree: Tree) -> String {
            var writer = ICUWriter()
            var targets: Set<Int> = []
            collectConditionals(tree.alternatives, into: &targets)
            var next = 0
            writer.number(tree.alternatives, targets, &next)
            if tree.flags.contains(.ignoreCase) { writer.out += "(?i)" }
            writer.write(tree.alternatives, tree.flags)
            return writer.out
        }

        private static func collectConditionals(_ alternatives: Alternatives, into targets: inout Set<Int>) {
            for branch in alternatives { collectConditionals(branch, into: &targets) }
        }

        private static func collectConditionals(_ sequence: [Node], into targets: inout Set<Int>) {
            for node in sequence {
                switch node {
                case .group(_, _, _, let p), .atomic(let p), .look(_, _, let p):
                    collectConditionals(p, into: &targets)
                case .conditional(let g, let yes, let no):
                    targets.insert(g)
                    collectConditionals(yes, into: &targets)
                    collectConditionals(no ?? [], into: &targets)
                case .repeat(_, _, _, let item):
                    collectConditionals(item, into: &targets)
                default: break
                }
            }
        }

        /// Numbers groups in the order their `(` is written: a group, the groups inside it, then its marker.
        private mutating func number(_ alternatives: Alternatives, _ targets: Set<Int>, _ next: inout Int) {
            for branch in alternatives { number(branch, targets, &next) }
        }

        private mutating func number(_ sequence: [Node], _ targets: Set<Int>, _ next: inout Int) {
            for node in sequence {
                switch node {
                case .group(let g, _, _, let p):
                    if let g {
                        next += 1
                        numbers[g] = next
                    }
                    number(p, targets, &next)
                    if let g, targets.contains(g) {
                        next += 1
                        markers[g] = next
                    }
                case .atomic(let p), .look(_, _, let p):
                    number(p, targets, &next)
                case .conditional(_, let yes, let no):
                    number(yes, targets, &next)
                    number(no ?? [], targets, &next)
                case .repeat(_, _, _, let item):
                    number(item, targets, &next)
                default: break
                }
            }
        }

        private mutating func write(_ alternatives: Alternatives, _ flags: Flags) {
            for (i, branch) in alternatives.enumerated() {
                if i > 0 { out += "|" }
                for node in branch { write(node, flags) }
            }
        }

        private mutating func write(_ node: Node, _ flags: Flags) {
            switch node {
            case .literal(let v): out += Self.literal(v)
            case .named(let name): out += "\\N{" + name + "}"
            case .any: out += flags.contains(.dotAll) ? "(?s:.)" : "[^\\x{A}]"
            case .set(let negated, let items):
                out += negated ? "[^" : "["
                for item in items { out += Self.setItem(item, flags) }
                out += "]"
            case .category(let c): out += Self.category(c, flags)
            case .anchor(let a): out += Self.anchor(a, flags)
            case .group(let g, let add, let remove, let p):
                let inner = flags.union(add).subtracting(remove)
                if let g {
                    out += "("
                    write(p, inner)
                    if markers[g] != nil { out += "()" }
                    out += ")"
                } else {
                    let caseChange = inner.contains(.ignoreCase) != flags.contains(.ignoreCase)
                    out += caseChange ? (inner.contains(.ignoreCase) ? "(?i:" : "(?-i:") : "(?:"
                    write(p, inner)
                    out += ")"
                }
            case .atomic(let p):
                out += "(?>"
                write(p, flags)
                out += ")"
            case .look(let behind, let negative, let p):
                out += "(?" + (behind ? "<" : "") + (negative ? "!" : "=")
                write(p, flags)
                out += ")"
            case .backreference(let g):
                out += "\\" + String(numbers[g] ?? g)
            case .conditional(let g, let yes, let no):
                // A marker group right inside group g is set exactly when g took part; a back reference to it
                // matches (empty) then, and fails otherwise.
                let marker = "\\" + String(markers[g] ?? 0)
                out += "(?:(?=" + marker + ")"
                for n in yes { write(n, flags) }
                out += "|(?!" + marker + ")"
                for n in no ?? [] { write(n, flags) }
                out += ")"
            case .repeat(let min, let max, let kind, let item):
                out += "(?:"
                for n in item { write(n, flags) }
                out += "){" + String(min) + "," + (max.map(String.init) ?? "") + "}"
                switch kind {
                case .greedy: break
                case .lazy: out += "?"
                case .possessive: out += "+"
                }
            }
        }

        private static func literal(_ v: UInt32) -> String {
            if let s = Unicode.Scalar(v), s.isASCII, s.properties.isAlphabetic { return String(Character(s)) }
            return "\\x{" + String(v, radix: 16) + "}"
        }

        /// Python's `str.isspace()` characters: `\s` for str patterns.
        private static let unicodeSpace =
            "\\x{9}-\\x{d}\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"

        /// The members of a category, to go inside `[...]`.
        private static func members(_ c: Category, _ flags: Flags) -> (String, negated: Bool) {
            let ascii = flags.contains(.ascii)
            switch c {
            case .digit, .notDigit: return (ascii ? "0-9" : "\\p{Nd}", c == .notDigit)
            case .space, .notSpace: return (ascii ? "\\x{9}-\\x{d}\\x{20}" : unicodeSpace, c == .notSpace)
            case .word, .notWord: return (ascii ? "a-zA-Z0-9_" : "\\p{L}\\p{N}_", c == .notWord)
            }
        }

        private static func category(_ c: Category, _ flags: Flags) -> String {
            let (m, negated) = members(c, flags)
            return (negated ? "[^" : "[") + m + "]"
        }

        private static func setItem(_ item: SetItem, _ flags: Flags) -> String {
            switch item {
            case .char(let v): return "\\x{" + String(v, radix: 16) + "}"
            case .range(let lo, let hi): return "\\x{" + String(lo, radix: 16) + "}-\\x{" + String(hi, radix: 16) + "}"
            case .named(let name): return "\\N{" + name + "}"
            case .category(let c):
                let (m, negated) = members(c, flags)
                return negated ? "[^" + m + "]" : m
            }
        }

        private static func anchor(_ a: Anchor, _ flags: Flags) -> String {
            let word = category(.word, flags)
            switch a {
            case .beginning: return flags.contains(.multiline) ? "(?:\\A|(?<=\\x{a}))" : "\\A"
            case .end: return flags.contains(.multiline) ? "(?=\\x{a}|\\z)" : "(?=\\x{a}?\\z)"
            case .beginningOfString: return "\\A"
            case .endOfString: return "\\z"
            case .boundary: return "(?:(?<=\(word))(?!\(word))|(?<!\(word))(?=\(word)))"
            case .notBoundary: return "(?:(?<=\(word))(?=\(word))|(?<!\(word))(?!\(word)))"
            }
        }
    }
}
