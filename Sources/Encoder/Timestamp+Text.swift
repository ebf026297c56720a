extension Timestamp {
    /// Appends Go's `RFC3339Nano` form (`2026-11-22T01:52:59.781494572Z`, trailing fraction zeros removed,
    /// `Z` for a zero offset, else `+hh:mm`), as `Time.MarshalJSON` and `RFC3339Nano` formatting write it.
    public func appendRFC3339Nano(to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 48))
        let written = out.withUnsafeMutableBufferPointer { p -> Int in
            guard let base = p.baseAddress else { return 0 }
            var w = RawBytes(p: base + start)
            putRFC3339Nano(&w)
            return w.p - (base + start)
        }
        out.removeLast(48 - written)
    }

    /// Writes the RFC 3339 form (at most 48 bytes).
    @inline(__always)
    func putRFC3339Nano(_ w: inout RawBytes) {
        let offset = Int64(utcOffset ?? 0)
        let local = seconds &+ offset
        var days = local / 86_400
        var secs = local % 86_400
        if secs < 0 {
            secs += 86_400
            days -= 1
        }
        let (y, m, d) = Timestamp.civil(fromDays: days)
        if y < 0 { w.put(UInt8(ascii: "-")) }
        if y.magnitude > 9999 { w.putDecimal(y.magnitude) } else { w.putDigits(y, width: 4) }
        w.put(UInt8(ascii: "-"))
        w.putDigits(m, width: 2)
        w.put(UInt8(ascii: "-"))
        w.putDigits(d, width: 2)
        w.put(UInt8(ascii: "T"))
        w.putDigits(secs / 3600, width: 2)
        w.put(UInt8(ascii: ":"))
        w.putDigits(secs / 60 % 60, width: 2)
        w.put(UInt8(ascii: ":"))
        w.putDigits(secs % 60, width: 2)
        if nanoseconds != 0 {
            var digits = 9
            var n = Int64(nanoseconds)
            while n % 10 == 0 {
                n /= 10
                digits -= 1
            }
            w.put(UInt8(ascii: "."))
            w.putDigits(n, width: digits)
        }
        if offset == 0 {
            w.put(UInt8(ascii: "Z"))
        } else {
            let minutes = abs(offset) / 60
            w.put(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            w.putDigits(minutes / 60, width: 2)
            w.put(UInt8(ascii: ":"))
            w.putDigits(minutes % 60, width: 2)
        }
    }

    /// The RFC 3339 text as a string (cold paths: reports, messages).
    public var rfc3339Nano: String {
        var out: [UInt8] = []
        appendRFC3339Nano(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)`) as Go's `time.Parse(time.RFC3339, …)` accepts it.
    ///
    /// - Returns: nil when the text is not a valid RFC 3339 timestamp.
    static func parseRFC3339(_ p: UnsafePointer<UInt8>, _ count: Int) -> Timestamp? {
        var i = 0
        func num(_ width: Int) -> Int64? {
            guard i + width <= count else { return nil }
            var v: Int64 = 0
            for k in 0..<width {
                let c = p[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < count, p[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = num(4), expect(UInt8(ascii: "-")), let month = num(2), expect(UInt8(ascii: "-")),
            let day = num(2), i < count, p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: "t")
        else { return nil }
        i += 1
        guard let hour = num(2), expect(UInt8(ascii: ":")), let minute = num(2), expect(UInt8(ascii: ":")),
            let second = num(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var nanos: Int64 = 0
        if i < count && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",")) {
            i += 1
            var digits = 0
            while i < count, p[i] >= 48, p[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(p[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { nanos *= 10 } }
        }
        var offset: Int32?
        guard i < count else { return nil }
        if p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z") {
            i += 1
        } else if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            let negative = p[i] == UInt8(ascii: "-")
            i += 1
            guard let oh = num(2), expect(UInt8(ascii: ":")), let om = num(2), oh < 24, om < 60 else { return nil }
            let value = Int32(oh * 3600 + om * 60)
            offset = negative ? -value : value
        } else {
            return nil
        }
        guard i == count else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return Timestamp(seconds: local - Int64(offset ?? 0), nanoseconds: Int32(nanos), utcOffset: offset)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (`days_from_civil`).
    package static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

@inline(__always)
func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
    out.appendDecimal(value.magnitude, minWidth: width)
}

extension [UInt8] {
    /// Appends a decimal unsigned integer, zero-padded to `minWidth` digits (no allocation).
    @inline(__always)
    mutating func appendDecimal(_ value: UInt64, minWidth: Int = 1) {
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var v = value
        var n = 0
        Swift.withUnsafeMutableBytes(of: &tmp) { buf in
            repeat {
                buf[23 - n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            while n < minWidth && n < 24 {
                buf[23 - n] = 48
                n += 1
            }
            append(contentsOf: buf[(24 - n)...])
        }
    }

    /// Appends a decimal signed integer.
    @inline(__always)
    mutating func appendDecimal(_ v: Int64) {
        if v < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(v.magnitude)
    }
}
