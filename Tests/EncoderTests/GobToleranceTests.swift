import Encoder
import TestSupport
import Testing

/// Hand-written gob streams: everything Go's decoder accepts from other encoders must decode here too.
@Suite("gob decoder tolerance")
struct GobToleranceTests {
    // Minimal gob encoding helpers.
    private func u(_ v: UInt64) -> [UInt8] {
        if v < 0x80 { return [UInt8(v)] }
        var bytes: [UInt8] = []
        var x = v
        while x > 0 {
            bytes.insert(UInt8(x & 0xff), at: 0)
            x >>= 8
        }
        return [UInt8(truncatingIfNeeded: 256 - bytes.count)] + bytes
    }
    private func i(_ v: Int64) -> [UInt8] { u(v < 0 ? (UInt64(bitPattern: ~v) << 1) | 1 : UInt64(v) << 1) }
    private func s(_ text: String) -> [UInt8] { u(UInt64(text.utf8.count)) + Array(text.utf8) }
    private func message(_ payload: [UInt8]) -> [UInt8] { u(UInt64(payload.count)) + payload }
    private func common(_ name: String, _ id: Int64) -> [UInt8] {
        (name.isEmpty ? [] : [1] + s(name)) + [name.isEmpty ? 2 : 1] + i(id) + [0]
    }
    /// wireType{StructT: structType{CommonType, Field: [{Name, Id}]}}
    private func structDef(_ id: Int64, _ name: String, _ fields: [(String, Int64)]) -> [UInt8] {
        var body: [UInt8] = i(-id) + [3, 1] + common(name, id) + [1] + u(UInt64(fields.count))
        for (n, t) in fields { body += [1] + s(n) + [1] + i(t) + [0] }
        return message(body + [0, 0])
    }
    private func sliceDef(_ id: Int64, elem: Int64) -> [UInt8] {
        message(i(-id) + [2, 1] + common("", id) + [1] + i(elem) + [0, 0])
    }
    private func mapDef(_ id: Int64, key: Int64, elem: Int64) -> [UInt8] {
        message(i(-id) + [4, 1] + common("Header", id) + [1] + i(key) + [1] + i(elem) + [0, 0])
    }
    private func encoderDef(_ id: Int64, _ name: String) -> [UInt8] {
        message(i(-id) + [5, 1] + common(name, id) + [0, 0])
    }
    private func time(_ unix: Int64, _ nanos: UInt32, offsetMinutes: Int16, extraSeconds: Int8? = nil) -> [UInt8] {
        var t: [UInt8] = [extraSeconds == nil ? 1 : 2]
        let sec = UInt64(bitPattern: unix + 62_135_596_800)
        for k in stride(from: 56, through: 0, by: -8) { t.append(UInt8(truncatingIfNeeded: sec >> UInt64(k))) }
        for k in stride(from: 24, through: 0, by: -8) { t.append(UInt8(truncatingIfNeeded: nanos >> UInt32(k))) }
        let m = UInt16(bitPattern: offsetMinutes)
        t += [UInt8(m >> 8), UInt8(m & 0xff)]
        if let extraSeconds { t.append(UInt8(bitPattern: extraSeconds)) }
        return u(UInt64(t.count)) + t
    }

    private func decode(_ bytes: [UInt8]) throws -> (results: [Result], failures: [DecodeError]) {
        let dir = try Run.temporaryDirectory()
        try Run.write(bytes, to: dir + "/s.bin")
        return try readAll([dir + "/s.bin"])
    }

    @Test("other type ids, definition order, field order, unknown and missing fields, time v2")
    func foreignStream() throws {
        // Types defined out of order with ids far from vegeta's: slice 90, map 91, time 77, nested struct 95, result 120.
        var stream = sliceDef(90, elem: 6) + mapDef(91, key: 6, elem: 90) + encoderDef(77, "Time")
        stream += structDef(95, "Nested", [("A", 6), ("B", 2)])
        stream += structDef(
            120, "Hit",
            [
                ("Extra", 2), ("Code", 3), ("Nested", 95), ("Timestamp", 77), ("Latency", 2), ("Error", 6),
                ("Tags", 90), ("Seq", 3), ("Headers", 91), ("Ratio", 4),
            ])
        // Value: Extra=-5, Code=503, Nested{A:"x",B:7}, Timestamp v2 (+01:00:30), Latency=42, Error, Tags, Seq=9, Headers, Ratio.
        var value: [UInt8] = i(120) + [1] + i(-5) + [1] + u(503) + [1, 1] + s("x") + [1] + i(7) + [0]
        value += [1] + time(1_795_312_379, 5, offsetMinutes: 60, extraSeconds: 30) + [1] + i(42) + [1] + s("boom")
        value += [1] + u(2) + s("a") + s("b") + [1] + u(9) + [1] + u(1) + s("X-Y") + u(2) + s("1") + s("2")
        value += [1] + u(0x4000_0000_0000_0000) + [0]
        stream += message(value)
        let got = try decode(stream)
        #expect(got.failures.isEmpty)
        let r = try #require(got.results.first)
        #expect(r.code == 503 && r.seq == 9 && r.latency == 42 && r.error == "boom")
        #expect(r.timestamp == Timestamp(seconds: 1_795_312_379, nanoseconds: 5, utcOffset: 3630))
        #expect(r.headers == [Header(name: "X-Y", values: ["1", "2"])])
        #expect(r.body == nil && r.url == "" && r.attack == "")
    }

    @Test("a type defined twice is vegeta's error, with the byte offset")
    func duplicateType() throws {
        let def = structDef(64, "Result", [("Seq", 3)])
        let value = message(i(64) + [1] + u(1) + [0])
        let got = try decode(def + value + def + value)
        #expect(got.results.count == 1)
        #expect(got.failures.first?.reason == "gob: duplicate type received")
        #expect(got.failures.first?.location == "byte \(def.count + value.count)")
    }

    @Test("a field of the wrong kind is refused")
    func wrongKind() throws {
        // The first record is damaged, so opening the input already fails, naming the type clash.
        #expect {
            _ = try decode(structDef(64, "Result", [("Latency", 3)]) + message(i(64) + [1] + u(1) + [0]))
        } throws: { error in
            (error as? DecodeError)?.reason == "gob: wrong type (uint) for received field Result.Latency"
        }
    }

    @Test("UTC times (offset -1) and zone offsets in minutes")
    func zones() throws {
        let def = encoderDef(65, "Time") + structDef(64, "Result", [("Timestamp", 65)])
        let utc = message(i(64) + [1] + time(0, 0, offsetMinutes: -1) + [0])
        let east = message(i(64) + [1] + time(0, 0, offsetMinutes: 120) + [0])
        let got = try decode(def + utc + east)
        #expect(got.results.map(\.timestamp.utcOffset) == [nil, 7200])
    }

    @Test("reading only some fields leaves the rest zero")
    func fieldSelection() throws {
        let path = Fixtures().path("small.bin")
        var reader = try ResultReader(paths: [path], fields: .metrics)
        var full = try ResultReader(paths: [path])
        while let r = reader.next(), let f = full.next() {
            #expect(r.code == f.code && r.latency == f.latency && r.timestamp == f.timestamp && r.error == f.error)
            #expect(r.body == nil && r.headers == nil && r.url == "" && r.method == "" && r.attack == "")
        }
    }
}
