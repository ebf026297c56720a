import BarrageCore

/// The JSONPath subset the jsonpath tolerance needs, evaluated like jsonpath2 (all matches, document order):
/// `$`, `.name`, `['name']`, `..name`, `.*`, `[*]`, `[n]` (negative from the end), `[a,b]`, `[start:end:step]`,
/// `[?(@.x)]` and `[?(@.x <op> literal)]` with `=`/`==`, `!=`, `<`, `<=`, `>`, `>=`.
struct JSONPath: Sendable {
    enum Step: Sendable {
        case child([Selector])
        case descendant([Selector])
    }

    enum Selector: Sendable {
        case name(String)
        case wildcard
        case index(Int)
        case slice(Int?, Int?, Int?)
        case filter(path: [String], op: String?, literal: JSON?)
    }

    struct ParseError: Error { var message: String }

    let steps: [Step]

    init(_ text: String) throws(ParseError) {
        var p = Parser(chars: Array(text))
        steps = try p.parse()
    }

    func evaluate(_ root: JSON) -> [JSON] {
        var current = [root]
        for step in steps {
            var next: [JSON] = []
            switch step {
            case .child(let selectors):
                for node in current { for s in selectors { next += Self.select(s, node) } }
            case .descendant(let selectors):
                for node in current {
                    for d in Self.descendants(node) { for s in selectors { next += Self.select(s, d) } }
                }
            }
            current = next
        }
        return current
    }

    private static func descendants(_ node: JSON) -> [JSON] {
        var out = [node]
        switch node {
        case .array(let a): for v in a { out += descendants(v) }
        case .object(let m): for v in m { out += descendants(v.value) }
        default: break
        }
        return out
    }

    private static func select(_ selector: Selector, _ node: JSON) -> [JSON] {
        switch selector {
        case .name(let n):
            return node[n].map { [$0] } ?? []
        case .wildcard:
            switch node {
            case .array(let a): return a
            case .object(let m): return m.map(\.value)
            default: return []
            }
        case .index(let i):
            guard case .array(let a) = node else { return [] }
            let j = i < 0 ? a.count + i : i
            return j >= 0 && j < a.count ? [a[j]] : []
        case .slice(let s, let e, let st):
            guard case .array(let a) = node else { return [] }
            let step = st ?? 1
            guard step != 0 else { return [] }
            func norm(_ v: Int?, _ def: Int) -> Int {
                guard let v else { return def }
                return v < 0 ? max(0, a.count + v) : min(v, a.count)
            }
            var out: [JSON] = []
            if step > 0 {
                var i = norm(s, 0)
                let end = norm(e, a.count)
                while i < end {
                    out.append(a[i])
                    i += step
                }
            } else {
                var i = s.map { $0 < 0 ? a.count + $0 : min($0, a.count - 1) } ?? a.count - 1
                let end = e.map { $0 < 0 ? a.count + $0 : $0 } ?? -1
                while i > end, i >= 0 {
                    out.append(a[i])
                    i += step
                }
            }
            return out
        case .filter(let path, let op, let literal):
            let items: [JSON]
            switch node {
            case .array(let a): items = a
            case .object(let m): items = m.map(\.value)
            default: items = []
            }
            return items.filter { item in
                var v: JSON? = item
                for key in path { v = v?[key] }
                guard let v else { return false }
                guard let op, let literal else { return true }
                switch op {
                case "=", "==": return JSON.pythonEquals(v, literal)
                case "!=": return !JSON.pythonEquals(v, literal)
                case "<": return JSON.pythonLessOrEqual(v, literal) == true && !JSON.pythonEquals(v, literal)
                case "<=": return JSON.pythonLessOrEqual(v, literal) == true
                case ">": return JSON.pythonLessOrEqual(literal, v) == true && !JSON.pythonEquals(v, literal)
                case ">=": return JSON.pythonLessOrEqual(literal, v) == true
                default: return false
                }
            }
        }
    }

    private struct Parser {
        let chars: [Character]
        var i = 0

        mutating func fail(_ m: String) -> ParseError { ParseError(message: m) }

        mutating func parse() throws(ParseError) -> [Step] {
            skip()
            guard i < chars.count, chars[i] == "$" else { throw fail("a path starts with $") }
            i += 1
            var steps: [Step] = []
            while true {
                skip()
                guard i < chars.count else { break }
                if chars[i] == "." {
                    let deep = i + 1 < chars.count && chars[i + 1] == "."
                    i += deep ? 2 : 1
                    let sel: [Selector]
                    if i < chars.count, chars[i] == "[" {
                        sel = try bracket()
                    } else if i < chars.count, chars[i] == "*" {
                        i += 1
                        sel = [.wildcard]
                    } else {
                        sel = [.name(try name())]
                    }
                    steps.append(deep ? .descendant(sel) : .child(sel))
                } else if chars[i] == "[" {
                    steps.append(.child(try bracket()))
                } else {
                    throw fail("unexpected '\(chars[i])'")
                }
            }
            return steps
        }

        mutating func skip() {
            while i < chars.count, chars[i] == " " { i += 1 }
        }

        mutating func name() throws(ParseError) -> String {
            let start = i
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "-" {
                i += 1
            }
            guard i > start else { throw fail("expected a name") }
            return String(chars[start..<i])
        }

        mutating func quoted() throws(ParseError) -> String {
            let q = chars[i]
            i += 1
            var out = ""
            while i < chars.count, chars[i] != q {
                if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                out.append(chars[i])
                i += 1
            }
            guard i < chars.count else { throw fail("unterminated string") }
            i += 1
            return out
        }

        mutating func int() -> Int? {
            skip()
            let start = i
            if i < chars.count, chars[i] == "-" { i += 1 }
            while i < chars.count, chars[i].isNumber { i += 1 }
            return i > start ? Int(String(chars[start..<i])) : nil
        }

        mutating func bracket() throws(ParseError) -> [Selector] {
            i += 1
            skip()
            var out: [Selector] = []
            if i < chars.count, chars[i] == "?" {
                out.append(try filter())
            } else {
                while true {
                    skip()
                    guard i < chars.count else { throw fail("unterminated [") }
                    if chars[i] == "*" {
                        i += 1
                        out.append(.wildcard)
                    } else if chars[i] == "'" || chars[i] == "\"" {
                        out.append(.name(try quoted()))
                    } else {
                        let a = int()
                        skip()
                        if i < chars.count, chars[i] == ":" {
                            i += 1
                            let b = int()
                            skip()
                            var c: Int?
                            if i < chars.count, chars[i] == ":" {
                                i += 1
                                c = int()
                            }
                            out.append(.slice(a, b, c))
                        } else {
                            guard let a else { throw fail("expected an index") }
                            out.append(.index(a))
                        }
                    }
                    skip()
                    guard i < chars.count else { throw fail("unterminated [") }
                    if chars[i] == "," {
                        i += 1
                        continue
                    }
                    break
                }
            }
            skip()
            guard i < chars.count, chars[i] == "]" else { throw fail("expected ]") }
            i += 1
            return out
        }

        mutating func filter() throws(ParseError) -> Selector {
            i += 1
            skip()
            var paren = false
            if i < chars.count, chars[i] == "(" {
                paren = true
                i += 1
            }
            skip()
            guard i < chars.count, chars[i] == "@" else { throw fail("a filter starts with @") }
            i += 1
            var path: [String] = []
            while i < chars.count {
                if chars[i] == "." {
                    i += 1
                    path.append(try name())
                } else if chars[i] == "[", i + 1 < chars.count, chars[i + 1] == "'" || chars[i + 1] == "\"" {
                    i += 1
                    path.append(try quoted())
                    guard i < chars.count, chars[i] == "]" else { throw fail("expected ]") }
                    i += 1
                } else {
                    break
                }
            }
            skip()
            var op: String?
            var literal: JSON?
            for candidate in ["==", "!=", "<=", ">=", "=", "<", ">"] {
                let c = Array(candidate)
                if i + c.count <= chars.count, Array(chars[i..<i + c.count]) == c {
                    op = candidate
                    i += c.count
                    break
                }
            }
            if op != nil {
                skip()
                guard i < chars.count else { throw fail("expected a value") }
                if chars[i] == "'" || chars[i] == "\"" {
                    literal = .string(try quoted())
                } else {
                    let start = i
                    while i < chars.count, chars[i] != ")", chars[i] != "]", chars[i] != " " { i += 1 }
                    let text = String(chars[start..<i])
                    do {
                        literal = try JSONParser.parse(text)
                    } catch {
                        throw fail("bad literal \(text)")
                    }
                }
            }
            skip()
            if paren {
                guard i < chars.count, chars[i] == ")" else { throw fail("expected )") }
                i += 1
            }
            return .filter(path: path, op: op, literal: literal)
        }
    }
}
