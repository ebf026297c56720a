import Encoder
import TestSupport
import Testing

/// Every pair of formats over random records: write A, read, write B, read, compare.
@Suite("Round trips across all nine format pairs")
struct RoundTripTests {
    static let pairs: [(ResultFormat, ResultFormat)] = ResultFormat.allCases.flatMap { a in
        ResultFormat.allCases.map { b in (a, b) }
    }

    @Test("random records survive A then B", arguments: pairs)
    func pair(_ formats: (ResultFormat, ResultFormat)) throws {
        let (a, b) = formats
        let original = randomResults(300, seed: 7)
        let dir = try Run.temporaryDirectory()
        try writeAll(original, a, to: dir + "/a")
        let first = try readAll([dir + "/a"])
        #expect(first.failures.isEmpty, "\(first.failures)")
        try writeAll(first.results, b, to: dir + "/b")
        let second = try readAll([dir + "/b"])
        #expect(second.failures.isEmpty, "\(second.failures)")
        #expect(second.results.count == original.count)
        let through = [a, b]
        for (got, want) in zip(second.results, original) {
            #expect(sortedHeaders(got) == expected(want, through: through))
        }
    }

    /// What a record looks like after passing through `formats` in order: the only losses are vegeta's own.
    private func expected(_ r: Result, through formats: [ResultFormat]) -> Result {
        var r = sortedHeaders(r)
        for f in formats {
            switch f {
            case .gob:  // zero-length fields are left out, so they read back nil
                if r.body == [] { r.body = nil }
                if r.headers == [] { r.headers = nil }
            case .json:  // a zero offset is written `Z`, which reads back as the UTC location
                if r.timestamp.utcOffset == 0 { r.timestamp.utcOffset = nil }
            case .csv:  // no zone (read back in the local one), no nil body
                r.timestamp.utcOffset = Timestamp.localOffset(at: r.timestamp.seconds)
                if r.body == nil { r.body = [] }
            }
        }
        return r
    }

    @Test("nil and empty bodies and headers keep vegeta's distinction in JSON")
    func nilVersusEmpty() throws {
        let dir = try Run.temporaryDirectory()
        let records = [
            Result(seq: 1, body: nil, headers: nil), Result(seq: 2, body: [], headers: []),
            Result(seq: 3, body: [0], headers: [Header(name: "A", values: [])]),
        ]
        try writeAll(records, .json, to: dir + "/r.json")
        let text = String(decoding: try Run.read(dir + "/r.json"), as: UTF8.self)
        #expect(text.contains(#""body":null"#) && text.contains(#""body":"""#) && text.contains(#""body":"AA==""#))
        #expect(
            text.contains(#""headers":null"#) && text.contains(#""headers":{}"#)
                && text.contains(#""headers":{"A":[]}"#))
        #expect(try readAll([dir + "/r.json"]).results == records)
        try writeAll(records, .gob, to: dir + "/r.bin")
        let gob = try readAll([dir + "/r.bin"]).results
        #expect(gob[1].body == nil && gob[1].headers == nil)
    }

    @Test(
        "RFC 3339 timestamps: fraction trimmed, zone kept",
        arguments: [
            (Timestamp(seconds: 0, nanoseconds: 0, utcOffset: nil), "1970-01-01T00:00:00Z"),
            (Timestamp(seconds: 0, nanoseconds: 500_000_000, utcOffset: 7200), "1970-01-01T02:00:00.5+02:00"),
            (Timestamp(seconds: -1, nanoseconds: 1, utcOffset: -34200), "1969-12-31T14:29:59.000000001-09:30"),
            (Timestamp.zero, "0001-01-01T00:00:00Z"),
            (
                Timestamp(seconds: 1_795_312_379, nanoseconds: 781_494_572, utcOffset: 0),
                "2026-11-22T01:52:59.781494572Z"
            ),
        ])
    func rfc3339(_ t: Timestamp, _ text: String) {
        #expect(t.rfc3339Nano == text)
    }

    @Test("merging reads inputs round-robin, whatever their formats")
    func roundRobin() throws {
        let dir = try Run.temporaryDirectory()
        let a = (0..<3).map { Result(attack: "a", seq: UInt64($0)) }
        let b = (0..<5).map { Result(attack: "b", seq: UInt64($0)) }
        try writeAll(a, .gob, to: dir + "/a.bin")
        try writeAll(b, .csv, to: dir + "/b.csv")
        let merged = try readAll([dir + "/a.bin", dir + "/b.csv"]).results
        #expect(merged.map { "\($0.attack)\($0.seq)" } == ["a0", "b0", "a1", "b1", "a2", "b2", "b3", "b4"])
    }

    @Test("gzip input is detected and gzip output written for .gz names")
    func gzip() throws {
        let dir = try Run.temporaryDirectory()
        let records = randomResults(200, seed: 3)
        try writeAll(records, .gob, to: dir + "/r.bin.gz")
        let raw = try Run.read(dir + "/r.bin.gz")
        #expect(raw.prefix(2) == [0x1f, 0x8b])
        let back = try readAll([dir + "/r.bin.gz"])
        #expect(back.failures.isEmpty)
        #expect(back.results.count == 200)
        // A cut gzip stream keeps the records before the cut and names the damage.
        try Run.write(Array(raw.prefix(raw.count / 2)), to: dir + "/cut.gz")
        let cut = try readAll([dir + "/cut.gz"])
        #expect(cut.results.count > 0 && cut.results.count < 200)
        #expect(cut.failures.count == 1)
    }
}

/// The gob fast path (`Conversion.run` on gob input) must write exactly what the general writers write.
@Suite("gob conversion fast path")
struct ConversionTests {
    @Test("gob to JSON and CSV equal the general path byte for byte", arguments: [ResultFormat.json, .csv])
    func sameBytes(_ format: ResultFormat) throws {
        let dir = try Run.temporaryDirectory()
        let records = randomResults(400, seed: 11) + (try readAll([Fixtures().path("small.bin")]).results)
        try writeAll(records, .gob, to: dir + "/in.bin")
        var reader = try ResultReader(paths: [dir + "/in.bin"])
        let out = try OutputFile.open(dir + "/fast")
        #expect(try Conversion.run(&reader, to: format, out: out).isEmpty)
        try out.close()
        try writeAll(try readAll([dir + "/in.bin"]).results, format, to: dir + "/general")
        #expect(try Run.read(dir + "/fast") == Run.read(dir + "/general"))
    }

    @Test("invalid UTF-8 in a gob string becomes one \\ufffd per bad byte, as Go's JSON writer does")
    func invalidUTF8() throws {
        let dir = try Run.temporaryDirectory()
        // A vegeta stream whose Error field holds the bytes 'a', 0xff, 0xfe, 'b'.
        var payload: [UInt8] = [0xff, 0x80, 0x08, 0x04, 0x61, 0xff, 0xfe, 0x62, 0x00]
        payload.insert(UInt8(payload.count), at: 0)
        try Run.write(try Fixtures().bytes("gob_preamble.bin") + payload, to: dir + "/bad.bin")
        var reader = try ResultReader(paths: [dir + "/bad.bin"])
        let out = try OutputFile.open(dir + "/out.json")
        _ = try Conversion.run(&reader, to: .json, out: out)
        try out.close()
        let text = String(decoding: try Run.read(dir + "/out.json"), as: UTF8.self)
        #expect(text.contains(#""error":"a\ufffd\ufffdb""#))
    }
}
