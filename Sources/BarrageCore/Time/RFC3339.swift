/// RFC 3339 timestamps as each peer writes them, and the proleptic Gregorian calendar under them.
///
/// One writer serves Go's `RFC3339Nano` (result lines, reports), Python's `isoformat()` (the chaos journal and log)
/// and maya's `rfc3339()` (Prometheus query times); `Style` holds the differences. `write` is `@inlinable` and
/// `public` so the Encoder's per-result writers get it inlined for `.goNano` (see `JSONString` for why `public`).
public enum RFC3339 {
    /// How the fraction and the zone are written.
    public struct Style: Sendable {
        /// Fraction digits kept (the rest are cut, not rounded).
        @usableFromInline package var digits: Int
        /// Whether trailing zeros of the fraction are removed (Go).
        @usableFromInline package var trimsZeros: Bool
        /// Whether a zero fraction is left out, point included.
        @usableFromInline package var omitsZeroFraction: Bool
        /// How the offset is written.
        @usableFromInline package var zone: Zone

        /// Go's `RFC3339Nano` and `Time.MarshalJSON`: `2026-11-22T01:52:59.781494572Z`, trailing zeros removed,
        /// `Z` for a zero offset, else `+hh:mm`.
        package static let goNano = Style(digits: 9, trimsZeros: true, omitsZeroFraction: true, zone: .zuluWhenZero)
        /// Python's `datetime.isoformat()` of an aware time: six digits unless zero, then `+00:00`.
        package static let python = Style(digits: 6, trimsZeros: false, omitsZeroFraction: true, zone: .offset)
        /// maya's `rfc3339()`: tenths of a second, always, and `Z`.
        package static let mayaTenths = Style(digits: 1, trimsZeros: false, omitsZeroFraction: false, zone: .zulu)
    }

    /// How the zone offset is written.
    public enum Zone: Sendable {
        /// `Z` for a zero offset, `+hh:mm` otherwise.
        case zuluWhenZero
        /// Always `±hh:mm`.
        case offset
        /// Always `Z` (the time is written in UTC).
        case zulu
    }

    /// The most bytes `write` produces.
    package static let maxLength = 48

    /// Writes the instant `seconds` + `nanoseconds` (Unix time) as seen at `utcOffset` seconds east of UTC.
    ///
    /// Allocates nothing. The caller reserves `maxLength` bytes.
    /// - Parameters:
    ///   - seconds: seconds since 1970-01-01T00:00:00Z.
    ///   - nanoseconds: 0..<1_000_000_000.
    ///   - utcOffset: the zone's offset in seconds (ignored by `.zulu`, which writes UTC).
    ///   - style: the peer's form.
    ///   - out: where to write.
    /// - Returns: the number of bytes written.
    @inlinable @inline(__always)
    public static func write(
        seconds: Int64, nanoseconds: Int32, utcOffset: Int32, _ style: Style, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let offset = style.zone == .zulu ? 0 : Int64(utcOffset)
        let local = seconds &+ offset
        var days = local / 86_400
        var secs = local % 86_400
        if secs < 0 {
            secs += 86_400
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        var o = out
        if y < 0 { put(UInt8(ascii: "-"), &o) }
        if y.magnitude > 9999 { putDecimal(y.magnitude, &o) } else { putDigits(y.magnitude, 4, &o) }
        put(UInt8(ascii: "-"), &o)
        putDigits(UInt64(m), 2, &o)
        put(UInt8(ascii: "-"), &o)
        putDigits(UInt64(d), 2, &o)
        put(UInt8(ascii: "T"), &o)
        putDigits(UInt64(secs / 3600), 2, &o)
        put(UInt8(ascii: ":"), &o)
        putDigits(UInt64(secs / 60 % 60), 2, &o)
        put(UInt8(ascii: ":"), &o)
        putDigits(UInt64(secs % 60), 2, &o)
        putFraction(nanoseconds, style, &o)
        if style.zone == .zulu || (style.zone == .zuluWhenZero && offset == 0) {
            put(UInt8(ascii: "Z"), &o)
        } else {
            let minutes = offset.magnitude / 60
            put(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"), &o)
            putDigits(minutes / 60, 2, &o)
            put(UInt8(ascii: ":"), &o)
            putDigits(minutes % 60, 2, &o)
        }
        return o - out
    }

    /// The text `write` writes, as a string (cold paths).
    package static func string(seconds: Int64, nanoseconds: Int32, utcOffset: Int32, _ style: Style) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength) { buffer in
            guard let base = buffer.baseAddress else { return "" }
            let n = write(seconds: seconds, nanoseconds: nanoseconds, utcOffset: utcOffset, style, to: base)
            return String(decoding: UnsafeBufferPointer(start: base, count: n), as: UTF8.self)
        }
    }

    @inlinable
    static func putFraction(_ nanoseconds: Int32, _ style: Style, _ o: inout UnsafeMutablePointer<UInt8>) {
        var digits = style.digits
        var n = UInt64(nanoseconds)
        for _ in digits..<9 { n /= 10 }
        if n == 0, style.omitsZeroFraction { return }
        if style.trimsZeros {
            while digits > 1, n % 10 == 0 {
                n /= 10
                digits -= 1
            }
        }
        put(UInt8(ascii: "."), &o)
        putDigits(n, digits, &o)
    }

    @inlinable
    static func put(_ b: UInt8, _ o: inout UnsafeMutablePointer<UInt8>) {
        o.pointee = b
        o += 1
    }

    @inlinable
    static func putDigits(_ value: UInt64, _ width: Int, _ o: inout UnsafeMutablePointer<UInt8>) {
        var v = value
        for i in stride(from: width - 1, through: 0, by: -1) {
            o[i] = UInt8(48 + v % 10)
            v /= 10
        }
        o += width
    }

    @inlinable
    static func putDecimal(_ value: UInt64, _ o: inout UnsafeMutablePointer<UInt8>) {
        var width = 1
        var t = value
        while t >= 10 {
            t /= 10
            width += 1
        }
        putDigits(value, width, &o)
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    ///
    /// - Returns: year, month (1...12) and day (1...31).
    @inlinable
    package static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
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
