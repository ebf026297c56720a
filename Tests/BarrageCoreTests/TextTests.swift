import BarrageCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("errno and RFC 3339 text")
struct TextTests {
    @Test("errno in Go's words and in the C library's")
    func errno() {
        #expect(errnoText(.go, code: ENOENT) == "no such file or directory")
        #expect(errnoText(.libc, code: ENOENT) == "No such file or directory")
        #expect(errnoText(.go, code: ECONNREFUSED) == "connection refused")
        #expect(errnoText(.go, code: 9999) == "errno 9999")
    }

    @Test(
        "one writer, three peers' forms",
        arguments: [
            (RFC3339.Style.goNano, 0, 0, 0, "1970-01-01T00:00:00Z"),
            (.goNano, 0, 500_000_000, 7200, "1970-01-01T02:00:00.5+02:00"),
            (.goNano, -1, 1, -34200, "1969-12-31T14:29:59.000000001-09:30"),
            (.goNano, -62_135_596_800, 0, 0, "0001-01-01T00:00:00Z"),
            (.python, 1_795_312_228, 755_564_000, 0, "2026-11-22T01:50:28.755564+00:00"),
            (.python, 1_795_312_228, 999, 0, "2026-11-22T01:50:28+00:00"),
            (.python, 1_795_312_228, 1000, 0, "2026-11-22T01:50:28.000001+00:00"),
            (.mayaTenths, 1_795_324_071, 499_999_000, 3600, "2026-11-22T05:07:51.4Z"),
            (.mayaTenths, 1_795_324_071, 0, 0, "2026-11-22T05:07:51.0Z"),
        ])
    func write(style: RFC3339.Style, seconds: Int64, nanoseconds: Int32, offset: Int32, text: String) {
        #expect(RFC3339.string(seconds: seconds, nanoseconds: nanoseconds, utcOffset: offset, style) == text)
    }

    static func parse(_ text: String, _ reading: RFC3339.Reading) -> RFC3339.Parsed? {
        var copy = text
        return copy.withUTF8 { u in u.baseAddress.flatMap { RFC3339.parse($0, u.count, reading) } }
    }

    @Test("Go's reading: zone required, days checked, fraction up to nanoseconds")
    func parseGo() {
        #expect(
            Self.parse("2026-11-22T01:52:59.781494572Z", .go)
                == RFC3339.Parsed(seconds: 1_795_312_379, nanoseconds: 781_494_572, utcOffset: nil))
        #expect(
            Self.parse("1970-01-01t02:00:00,5+02:00", .go)
                == .init(seconds: 0, nanoseconds: 500_000_000, utcOffset: 7200))
        for bad in ["2026-02-30T00:00:00Z", "2026-11-22T01:52:59", "2026-11-22 01:52:59Z", "2026-11-22T01:52:59+0100"] {
            #expect(Self.parse(bad, .go) == nil, "\(bad)")
        }
    }

    @Test("the journal's reading: space or T, zone optional, colon optional")
    func parsePython() {
        let utc = RFC3339.Parsed(seconds: 1_795_312_228, nanoseconds: 755_564_000, utcOffset: nil)
        #expect(Self.parse("2026-11-22T01:50:28.755564", .pythonISO) == utc)
        #expect(Self.parse("2026-11-22 01:50:28.755564Z", .pythonISO) == utc)
        #expect(Self.parse("2026-11-22T02:50:28.755564+0100", .pythonISO)?.seconds == utc.seconds)
        for bad in ["1899-12-31T00:00:00", "2026-11-22T01:50:28.", "2026-11-22T01:50:28z", "2026-11-22"] {
            #expect(Self.parse(bad, .pythonISO) == nil, "\(bad)")
        }
    }
}
