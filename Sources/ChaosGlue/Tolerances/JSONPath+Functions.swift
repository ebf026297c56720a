import BarrageCore

extension JSONPath.Function {
    /// jsonpath2's callable subscripts: every combination of the arguments' values (a path argument contributes each
    /// of its matches) is one call; a call whose arguments or current value do not fit yields nothing.
    func call(
        _ arguments: [JSONPath.Operand], root: JSON, current: JSON,
        _ yield: (JSON) throws(JSONPath.MatchError) -> Void
    ) throws(JSONPath.MatchError) {
        var choices: [[JSON]] = []
        for argument in arguments {
            choices.append(try argument.values(root: root, current: current))
        }
        var picked: [JSON] = []
        try combine(choices[...], &picked) { args throws(JSONPath.MatchError) in
            if let v = apply(args, to: current) { try yield(v) }
        }
    }

    private func combine(
        _ rest: ArraySlice<[JSON]>, _ picked: inout [JSON], _ body: ([JSON]) throws(JSONPath.MatchError) -> Void
    ) throws(JSONPath.MatchError) {
        guard let first = rest.first else { return try body(picked) }
        for v in first {
            picked.append(v)
            try combine(rest.dropFirst(), &picked, body)
            picked.removeLast()
        }
    }

    /// One call with concrete arguments; nil where jsonpath2 yields nothing.
    private func apply(_ args: [JSON], to current: JSON) -> JSON? {
        switch self {
        case .charAt:
            guard case .string(let s) = current, args.count == 1, let i = Self.pythonInt(args[0]) else { return nil }
            let scalars = Array(s.unicodeScalars)
            let j = i < 0 ? i + scalars.count : i
            guard j >= 0, j < scalars.count else { return nil }
            return .string(String(scalars[j]))
        case .entries:
            guard args.isEmpty else { return nil }
            switch current {
            case .object(let m): return .array(m.map { .array([.string($0.key), $0.value]) })
            case .array(let a): return .array(a.enumerated().map { .array([.int($0.offset), $0.element]) })
            default: return nil
            }
        case .keys:
            guard args.isEmpty else { return nil }
            switch current {
            case .object(let m): return .array(m.map { .string($0.key) })
            case .array(let a): return .array(a.indices.map { .int($0) })
            default: return nil
            }
        case .length:
            guard args.isEmpty else { return nil }
            switch current {
            case .array(let a): return .int(a.count)
            case .string(let s): return .int(s.unicodeScalars.count)
            default: return nil
            }
        case .substring:
            guard case .string(let s) = current, args.count == 1 || args.count == 2 else { return nil }
            guard let from = Self.pythonInt(args[0]) else { return nil }
            var to: Int?
            if args.count == 2 {
                guard let end = Self.pythonInt(args[1]) else { return nil }
                to = end
            }
            let scalars = Array(s.unicodeScalars)
            let range = Self.pythonSlice(count: scalars.count, from, to)
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[range])
            return .string(String(out))
        case .values:
            guard args.isEmpty else { return nil }
            switch current {
            case .object(let m): return .array(m.map(\.value))
            case .array: return current
            default: return nil
            }
        }
    }

    /// Python's `isinstance(x, int)`, which booleans pass.
    private static func pythonInt(_ v: JSON) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Python's `s[a:b]` bounds for a sequence of `count` items.
    private static func pythonSlice(count: Int, _ a: Int, _ b: Int?) -> Range<Int> {
        func clamp(_ v: Int) -> Int { v < 0 ? max(0, v + count) : min(v, count) }
        let lower = clamp(a)
        let upper = b.map(clamp) ?? count
        return lower..<max(lower, upper)
    }
}
