/// `-max-body` values as c2h5oh/datasize reads them: binary units, case-insensitive, `-1` for no limit.
public enum ByteSize {
    /// Parses `10`, `10b`, `1k`, `1KB`, `2 mb`, `1 gigabyte`, `5 peta`, `1e`, or `-1`.
    ///
    /// - Returns: the byte count, or nil for a bad value (including `Kb`, which datasize reads as bits).
    public static func parse(_ text: String) -> Int64? {
        if text == "-1" { return -1 }
        let u = Array(text.utf8)
        var i = 0
        while i < u.count && u[i] == 0x20 { i += 1 }
        let digitsStart = i
        var value: UInt64 = 0
        while i < u.count && u[i] >= 0x30 && u[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(u[i] - 0x30))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        guard i > digitsStart else { return nil }
        while i < u.count && u[i] == 0x20 { i += 1 }
        let unitBytes = Array(u[i...])
        var end = unitBytes.count
        while end > 0 && unitBytes[end - 1] == 0x20 { end -= 1 }
        let unitRaw = String(decoding: unitBytes[0..<end], as: UTF8.self)
        // "Kb", "Mb"...: an upper-case prefix with a lower-case b means bits; datasize rejects it.
        if unitRaw.utf8.count == 2, let first = unitRaw.utf8.first, first >= 0x41 && first <= 0x5a,
            unitRaw.utf8.last == UInt8(ascii: "b")
        {
            return nil
        }
        let shift: UInt64
        switch unitRaw.lowercased() {
        case "", "b", "byte", "bytes": shift = 0
        case "k", "kb", "kilo", "kilobyte", "kilobytes": shift = 10
        case "m", "mb", "mega", "megabyte", "megabytes": shift = 20
        case "g", "gb", "giga", "gigabyte", "gigabytes": shift = 30
        case "t", "tb", "tera", "terabyte", "terabytes": shift = 40
        case "p", "pb", "peta", "petabyte", "petabytes": shift = 50
        case "e", "eb", "exa", "exabyte", "exabytes": shift = 60
        default: return nil
        }
        let (v, o) = value.multipliedReportingOverflow(by: 1 << shift)
        guard !o, v <= UInt64(Int64.max) else { return nil }
        return Int64(v)
    }
}
