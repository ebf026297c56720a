import BarrageCore

extension String {
    /// `self` without leading and trailing spaces, tabs and line breaks (Python's `str.strip()` for the ASCII
    /// white space experiments carry).
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
