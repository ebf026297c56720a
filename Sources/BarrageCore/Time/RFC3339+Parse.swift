extension RFC3339 {
    /// A parsed timestamp: the instant and the offset it was written with.
    package struct Parsed: Sendable, Equatable {
        /// Seconds since 1970-01-01T00:00:00Z.
        package var seconds: Int64
        /// Nanoseconds within the second (digits past the ninth are dropped).
        package var nanoseconds: Int32
        /// The written offset in seconds east of UTC; nil for `Z` (and for a naive Python time, taken as UTC).
        package var utcOffset: Int32?

        /// Creates a parsed timestamp from its parts.
        package init(seconds: Int64, nanoseconds: Int32, utcOffset: Int32?) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
            self.utcOffset = utcOffset
        }
    }

    /// Which texts `parse` accepts.
    package enum Reading: Sendable {
        /// Go's `time.Parse(time.RFC3339, …)`: `T` or `t`, `.` or `,` before the fraction, a zone (`Z`, `z` or
        /// `±hh:mm`) required, days checked against their month.
        case go
        /// A chaos journal's times as any chaoslib writes them: `T` or a space, an optional zone (`Z`, `±hh:mm` or
        /// `±hhmm`), years 1900 to 2200, a leap second allowed.
        case pythonISO
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac]zone` (see `Reading` for what each reading accepts).
    ///
    /// - Parameters:
    ///   - p: the text's first byte.
    ///   - count: the text's length.
    ///   - reading: `.go` or `.pythonISO`.
    /// - Returns: the timestamp, or nil when the whole text is not one.
    package static func parse(_ p: UnsafePointer<UInt8>, _ count: Int, _ reading: Reading) -> Parsed? {
        var cursor = Cursor(p: p, count: count)
        let python = reading == .pythonISO
        guard let year = cursor.number(4), cursor.skip(UInt8(ascii: "-")), let month = cursor.number(2),
            cursor.skip(UInt8(ascii: "-")), let day = cursor.number(2),
            cursor.skip(UInt8(ascii: "T")) || cursor.skip(python ? UInt8(ascii: " ") : UInt8(ascii: "t")),
            let hour = cursor.number(2), cursor.skip(UInt8(ascii: ":")), let minute = cursor.number(2),
            cursor.skip(UInt8(ascii: ":")), let second = cursor.number(2)
        else { return nil }
        let lastDay = python ? 31 : daysIn(month: month, year: year)
        guard (1...12).contains(month), day >= 1, day <= lastDay, hour < 24, minute < 60, second < (python ? 61 : 60)
        else { return nil }
        if python, !(1900...2200).contains(year) { return nil }
        var nanos: Int64 = 0
        if cursor.skip(UInt8(ascii: ".")) || (!python && cursor.skip(UInt8(ascii: ","))) {
            guard let n = cursor.fraction() else { return nil }
            nanos = n
        }
        guard let offset = cursor.zone(required: !python) else { return nil }
        guard cursor.i == count else { return nil }
        let local = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        return Parsed(seconds: local - Int64(offset ?? 0), nanoseconds: Int32(nanos), utcOffset: offset)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private struct Cursor {
        let p: UnsafePointer<UInt8>
        let count: Int
        var i = 0

        mutating func number(_ width: Int) -> Int64? {
            guard i + width <= count else { return nil }
            var v: Int64 = 0
            for k in 0..<width {
                let d = p[i + k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            i += width
            return v
        }

        mutating func skip(_ c: UInt8) -> Bool {
            guard i < count, p[i] == c else { return false }
            i += 1
            return true
        }

        /// Fraction digits as nanoseconds (at least one digit; past the ninth ignored).
        mutating func fraction() -> Int64? {
            var nanos: Int64 = 0
            var digits = 0
            while i < count, p[i] &- 48 < 10 {
                if digits < 9 { nanos = nanos * 10 + Int64(p[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
            return nanos
        }

        /// The zone: `.some(nil)` for `Z` or none, `.some(offset)` for `±hh:mm`, nil when malformed. Go requires
        /// a zone and the colon; the Python reading takes neither.
        mutating func zone(required: Bool) -> Int32?? {
            if skip(UInt8(ascii: "Z")) || (required && skip(UInt8(ascii: "z"))) { return .some(nil) }
            guard i < count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") else {
                return required || i < count ? nil : .some(nil)
            }
            let negative = p[i] == UInt8(ascii: "-")
            i += 1
            guard let h = number(2), skip(UInt8(ascii: ":")) || !required, let m = number(2) else { return nil }
            if required, h >= 24 || m >= 60 { return nil }
            let value = Int32(h * 3600 + m * 60)
            return .some(negative ? -value : value)
        }
    }
}
