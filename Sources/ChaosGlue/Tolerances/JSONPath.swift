package import BarrageCore

/// A JSON path as the `jsonpath2` package (the one chaoslib's jsonpath tolerance uses) reads and evaluates it.
///
/// Grammar: `$` then subscripts: `.name`, `.*`, `..name`, `..*`, `..[...]`, `[...]` holding one or more of
/// `"name"` (double quotes only, escapes kept as written), an index (`-1` counts from the end), a slice
/// `start:end:step`, `*`, a filter `?(expression)`, a path whose value indexes (`[@.key]`, `[$.i]`), or a function
/// (`length()`, `keys()`, `values()`, `entries()`, `charAt(i)`, `substring(a[, b])`, also as `.length()`).
/// Filter expressions compare paths and JSON literals with `=`, `!=`, `<`, `<=`, `>`, `>=`, combine with `and`,
/// `or`, `not` and parentheses (`and` binds looser than `or`, as jsonpath2's grammar has it), and a bare path
/// tests that it matches. A filter keeps the value it is applied to (`$.foo[?(@.baz)]` is `foo` itself when it has
/// `baz`), so the children of a collection are filtered with `$.foo.*[?(...)]` or `$.foo[*][?(...)]`.
package struct JSONPath: Sendable {
    /// One step after `$` or `@`.
    enum Step: Sendable {
        /// `.x` or `[...]`: the subscripts applied to the current value.
        case child([Subscript])
        /// `..x` or `..[...]`: the subscripts applied to the current value and every value below it, depth first.
        case descendant([Subscript])
    }

    enum Subscript: Sendable {
        case key(String)
        case index(Int)
        case slice(Int?, Int?, Int?)
        case wildcard
        case filter(Expression)
        /// `[$.x]` or `[@.x]`: each value the path yields indexes an array (an int) or an object (a string).
        case node(JSONPath)
        case function(Function, [Operand])
    }

    enum Function: String, Sendable, CaseIterable {
        case charAt, entries, keys, length, substring, values
    }

    /// A path or a JSON literal inside a filter or a function's arguments.
    enum Operand: Sendable {
        case path(JSONPath)
        case value(JSON)
    }

    enum Comparison: String, Sendable {
        case eq = "="
        case ne = "!="
        case lt = "<"
        case le = "<="
        case gt = ">"
        case ge = ">="
    }

    indirect enum Expression: Sendable {
        /// A path that matches something, or a truthy literal.
        case some(Operand)
        case compare(Comparison, Operand, Operand)
        case not(Expression)
        case and([Expression])
        case or([Expression])
    }

    /// Why a path does not parse: ANTLR's position (`line 1:COLUMN`) and what was found there.
    package struct ParseError: Error, Sendable, CustomStringConvertible {
        var column: Int
        var message: String
        /// `line 1:COLUMN what`, as ANTLR words a syntax error.
        package var description: String { "line 1:\(column) \(message)" }
    }

    /// What jsonpath2 raises while matching (Python's `range()` with a zero step).
    package struct MatchError: Error, Sendable, CustomStringConvertible {
        /// Python's exception line (`ValueError: ...`).
        package var description: String
    }

    /// Whether the path starts at the document (`$`) or at the value a filter looks at (`@`).
    var fromRoot: Bool
    var steps: [Step]

    /// Parses `text` as jsonpath2 does.
    ///
    /// - Throws: `ParseError` where jsonpath2's parser raises ValueError (the tolerance's path "is invalid").
    package init(_ text: String) throws(ParseError) {
        var parser = try Parser(text)
        self = try parser.parseDocumentPath()
    }

    init(fromRoot: Bool, steps: [Step]) {
        self.fromRoot = fromRoot
        self.steps = steps
    }

    /// Every value the path matches in `document`, in jsonpath2's order.
    ///
    /// - Throws: `MatchError` where jsonpath2 raises while matching.
    package func values(in document: JSON) throws(MatchError) -> [JSON] {
        var out: [JSON] = []
        try match(root: document, current: document) { out.append($0) }
        return out
    }

    /// Calls `yield` with each match of the path evaluated at `current` (`$` paths start at `root`).
    func match(root: JSON, current: JSON, _ yield: (JSON) throws(MatchError) -> Void) throws(MatchError) {
        try matchSteps(steps[...], root: root, current: fromRoot ? root : current, yield)
    }

    private func matchSteps(
        _ rest: ArraySlice<Step>, root: JSON, current: JSON, _ yield: (JSON) throws(MatchError) -> Void
    ) throws(MatchError) {
        guard let step = rest.first else { return try yield(current) }
        let next = rest.dropFirst()
        switch step {
        case .child(let subscripts):
            for s in subscripts {
                try Self.apply(s, root: root, current: current) { v throws(MatchError) in
                    try matchSteps(next, root: root, current: v, yield)
                }
            }
        case .descendant(let subscripts):
            try descend(subscripts, next, root: root, current: current, yield)
        }
    }

    /// jsonpath2's recursive descent: the subscripts here first, then the same below each child, depth first.
    private func descend(
        _ subscripts: [Subscript], _ next: ArraySlice<Step>, root: JSON, current: JSON,
        _ yield: (JSON) throws(MatchError) -> Void
    ) throws(MatchError) {
        for s in subscripts {
            try Self.apply(s, root: root, current: current) { v throws(MatchError) in
                try matchSteps(next, root: root, current: v, yield)
            }
        }
        for child in Self.children(current) {
            try descend(subscripts, next, root: root, current: child, yield)
        }
    }

    /// A wildcard's values: an object's member values in order, an array's items; nothing for scalars.
    static func children(_ value: JSON) -> [JSON] {
        switch value {
        case .object(let members): return members.map(\.value)
        case .array(let items): return items
        default: return []
        }
    }

    private static func apply(
        _ selector: Subscript, root: JSON, current: JSON, _ yield: (JSON) throws(MatchError) -> Void
    ) throws(MatchError) {
        switch selector {
        case .key(let key):
            if let v = current[key] { try yield(v) }
        case .index(let i):
            if let v = item(current, i) { try yield(v) }
        case .slice(let start, let end, let step):
            for v in try slice(current, start, end, step) { try yield(v) }
        case .wildcard:
            for v in children(current) { try yield(v) }
        case .filter(let expression):
            if try expression.evaluate(root: root, current: current) { try yield(current) }
        case .node(let path):
            var keys: [JSON] = []
            try path.match(root: root, current: current) { keys.append($0) }
            for k in keys {
                switch k {
                case .int(let i): if let v = item(current, i) { try yield(v) }
                case .bool(let b): if let v = item(current, b ? 1 : 0) { try yield(v) }
                case .string(let s): if let v = current[s] { try yield(v) }
                default: break
                }
            }
        case .function(let function, let arguments):
            try function.call(arguments, root: root, current: current, yield)
        }
    }

    /// jsonpath2's array index: negative counts from the end; nothing outside the array or on a non-array.
    static func item(_ value: JSON, _ index: Int) -> JSON? {
        guard case .array(let items) = value else { return nil }
        let i = index < 0 ? index + items.count : index
        return i >= 0 && i < items.count ? items[i] : nil
    }

    /// jsonpath2's slice: its own start/end adjustment, then Python's `range(start, end, step)`, each index taken
    /// as an array index (so a negative one still counts from the end).
    private static func slice(_ value: JSON, _ start: Int?, _ end: Int?, _ step: Int?) throws(MatchError) -> [JSON] {
        guard case .array(let items) = value else { return [] }
        let n = items.count
        let step = step ?? 1
        guard step != 0 else { throw MatchError(description: "ValueError: range() arg 3 must not be zero") }
        guard n > 0 else { return [] }
        var i = 0
        if let start { i = start < 0 ? (start.magnitude < n ? start + n : 0) : start }
        var to = n
        if let end { to = end < 0 ? end + n : end }
        // Only indexes in -n..<n select anything, so the walk first jumps over the part of a huge range before them.
        let stride = step.magnitude
        if step > 0, i < -n {
            guard let jump = Self.roundUp(UInt(-n - i), to: stride) else { return [] }
            i += jump
        } else if step < 0, i >= n {
            guard let jump = Self.roundUp(UInt(i - (n - 1)), to: stride) else { return [] }
            i -= jump
        }
        var out: [JSON] = []
        while step > 0 ? (i < to && i < n) : (i > to && i >= -n) {
            if let v = item(value, i) { out.append(v) }
            let (next, overflow) = i.addingReportingOverflow(step)
            if overflow { break }
            i = next
        }
        return out
    }

    /// `distance` rounded up to a multiple of `stride`, when that fits in an `Int`.
    private static func roundUp(_ distance: UInt, to stride: UInt) -> Int? {
        let (q, r) = distance.quotientAndRemainder(dividingBy: stride)
        let (total, overflow) = (r == 0 ? q : q + 1).multipliedReportingOverflow(by: stride)
        return overflow ? nil : Int(exactly: total)
    }
}

extension JSONPath.Expression {
    /// The filter's verdict on `current`.
    func evaluate(root: JSON, current: JSON) throws(JSONPath.MatchError) -> Bool {
        switch self {
        case .some(.value(let v)):
            return v.isTruthy
        case .some(.path(let path)):
            var found = false
            try path.match(root: root, current: current) { _ in found = true }
            return found
        case .compare(let op, let left, let right):
            let l = try left.values(root: root, current: current)
            let r = try right.values(root: root, current: current)
            return l.contains { a in r.contains { b in op.holds(a, b) } }
        case .not(let e):
            return try !e.evaluate(root: root, current: current)
        case .and(let es):
            for e in es where try !e.evaluate(root: root, current: current) { return false }
            return true
        case .or(let es):
            for e in es where try e.evaluate(root: root, current: current) { return true }
            return false
        }
    }
}

extension JSONPath.Operand {
    /// A path's matches, or the literal itself.
    func values(root: JSON, current: JSON) throws(JSONPath.MatchError) -> [JSON] {
        switch self {
        case .value(let v): return [v]
        case .path(let path):
            var out: [JSON] = []
            try path.match(root: root, current: current) { out.append($0) }
            return out
        }
    }
}

extension JSONPath.Comparison {
    /// `=`/`!=` are Python's `==`/`!=`; the orderings hold only between numbers (booleans count as numbers).
    func holds(_ a: JSON, _ b: JSON) -> Bool {
        switch self {
        case .eq: return JSON.pythonEquals(a, b)
        case .ne: return !JSON.pythonEquals(a, b)
        default:
            guard let x = a.number, let y = b.number else { return false }
            switch self {
            case .lt: return x < y
            case .le: return x <= y
            case .gt: return x > y
            default: return x >= y
            }
        }
    }
}
