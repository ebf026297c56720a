extension PythonRegex {
    /// A subpattern's shortest and longest match, as `SubPattern.getwidth` counts them (saturating at `Int.max`).
    struct Width: Equatable, Sendable {
        var lo: Int
        var hi: Int

        static let zero = Width(lo: 0, hi: 0)

        static func + (a: Width, b: Width) -> Width {
            Width(lo: add(a.lo, b.lo), hi: add(a.hi, b.hi))
        }

        static func add(_ a: Int, _ b: Int) -> Int {
            let (v, overflow) = a.addingReportingOverflow(b)
            return overflow ? Int.max : v
        }

        static func multiply(_ a: Int, _ b: Int) -> Int {
            let (v, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? Int.max : v
        }
    }
}

extension PythonRegex.Parser {
    func width(_ alternatives: PythonRegex.Alternatives) -> PythonRegex.Width {
        guard !alternatives.isEmpty else { return .zero }
        if alternatives.count == 1 { return width(alternatives[0]) }
        var lo = Int.max
        var hi = 0
        for branch in alternatives {
            let w = width(branch)
            lo = min(lo, w.lo)
            hi = max(hi, w.hi)
        }
        return PythonRegex.Width(lo: lo, hi: hi)
    }

    func width(_ sequence: [PythonRegex.Node]) -> PythonRegex.Width {
        var total = PythonRegex.Width.zero
        for node in sequence {
            switch node {
            case .literal, .named, .any, .set, .category:
                total = total + PythonRegex.Width(lo: 1, hi: 1)
            case .anchor, .look:
                break
            case .group(_, _, _, let p), .atomic(let p):
                total = total + width(p)
            case .backreference(let g):
                total = total + ((g < groupWidths.count ? groupWidths[g] : nil) ?? .zero)
            case .conditional(_, let yes, let no):
                var w = width(yes)
                if let no {
                    let n = width(no)
                    w = PythonRegex.Width(lo: min(w.lo, n.lo), hi: max(w.hi, n.hi))
                } else {
                    w.lo = 0
                }
                total = total + w
            case .repeat(let min, let max, _, let item):
                let w = width(item)
                let lo = PythonRegex.Width.multiply(w.lo, min)
                let hi = max.map { PythonRegex.Width.multiply(w.hi, $0) } ?? (w.hi > 0 ? Int.max : 0)
                total = total + PythonRegex.Width(lo: lo, hi: hi)
            }
        }
        return total
    }
}
