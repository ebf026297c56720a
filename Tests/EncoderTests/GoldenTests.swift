import Encoder
import TestSupport
import Testing

/// The real vegeta's files in Fixtures/ (copied from shared/reference/samples) decoded and re-encoded.
@Suite("Golden files from vegeta v12.13.0")
struct GoldenTests {
    let fixtures = Fixtures()

    @Test("small.bin, small.json and small.csv hold the same 20 records")
    func sameRecords() throws {
        let gob = try readAll([fixtures.path("small.bin")])
        let json = try readAll([fixtures.path("small.json")])
        let csv = try readAll([fixtures.path("small.csv")])
        #expect(gob.failures.isEmpty && json.failures.isEmpty && csv.failures.isEmpty)
        #expect(gob.results.count == 20)
        #expect(gob.results.map(sortedHeaders) == json.results.map(sortedHeaders).map(localZone))
        // CSV carries no zone, keeps empty bodies as "" (vegeta's base64 decoding of an empty field) and sorts headers.
        for (g, c) in zip(gob.results, csv.results) {
            var expected = sortedHeaders(g)
            if expected.body == nil { expected.body = [] }
            expected.timestamp.utcOffset = c.timestamp.utcOffset
            #expect(sortedHeaders(c) == expected)
            #expect(c.timestamp == g.timestamp)
        }
    }

    /// JSON times decode with `Z` as the UTC location; the gob from `attack` carries Local (here a zero offset).
    private func localZone(_ r: Result) -> Result {
        var r = r
        r.timestamp.utcOffset = 0
        return r
    }

    @Test("small.json decodes and re-encodes byte for byte")
    func jsonRoundTripIsExact() throws {
        let dir = try Run.temporaryDirectory()
        try writeAll(try readAll([fixtures.path("small.json")]).results, .json, to: dir + "/out.json")
        #expect(try Run.read(dir + "/out.json") == fixtures.bytes("small.json"))
    }

    @Test("small.bin re-encodes to gob byte for byte")
    func gobRoundTripIsExact() throws {
        let dir = try Run.temporaryDirectory()
        try writeAll(try readAll([fixtures.path("small.bin")]).results, .gob, to: dir + "/out.bin")
        #expect(try Run.read(dir + "/out.bin") == fixtures.bytes("small.bin"))
    }

    @Test("small.bin encodes to small.csv byte for byte")
    func csvIsExact() throws {
        let dir = try Run.temporaryDirectory()
        try writeAll(try readAll([fixtures.path("small.bin")]).results, .csv, to: dir + "/out.csv")
        #expect(try Run.read(dir + "/out.csv") == fixtures.bytes("small.csv"))
    }

    @Test("our gob of small.json equals vegeta's small.from_json.bin, record by record")
    func gobFromJSON() throws {
        let dir = try Run.temporaryDirectory()
        try writeAll(try readAll([fixtures.path("small.json")]).results, .gob, to: dir + "/out.bin")
        let ours = try Run.read(dir + "/out.bin")
        let theirs = try fixtures.bytes("small.from_json.bin")
        // The preamble is byte-equal, and so is the whole file once vegeta's random map order is replayed.
        #expect(ours.prefix(206) == theirs.prefix(206))
        #expect(ours.prefix(206) == (try fixtures.bytes("gob_preamble.bin"))[...])
        #expect(ours.count == theirs.count)
        let vegetaOrder = try readAll([fixtures.path("small.from_json.bin")]).results
        try writeAll(vegetaOrder, .gob, to: dir + "/replayed.bin")
        #expect(try Run.read(dir + "/replayed.bin") == theirs)
        let decoded = try readAll([dir + "/out.bin"]).results
        #expect(decoded.map(sortedHeaders) == vegetaOrder.map(sortedHeaders))
    }

    @Test("JSON of small.bin is vegeta's small.json once header order is set aside")
    func jsonOfGob() throws {
        let dir = try Run.temporaryDirectory()
        try writeAll(try readAll([fixtures.path("small.bin")]).results, .json, to: dir + "/out.json")
        let ours = try readAll([dir + "/out.json"]).results.map(sortedHeaders)
        let theirs = try readAll([fixtures.path("small.json")]).results.map(sortedHeaders)
        #expect(ours.map(\.timestamp.seconds) == theirs.map(\.timestamp.seconds))
        #expect(ours.count == theirs.count)
        for (o, t) in zip(ours, theirs) {
            var o = o
            o.timestamp.utcOffset = t.timestamp.utcOffset
            #expect(o == t)
        }
    }
}
