import Encoder
import TestSupport
import Testing

/// Tiny inputs that claim or expand to huge ones: refused with a located message, never buffered whole.
@Suite("Hostile result inputs")
struct HostileInputTests {
    let fixtures = Fixtures()

    /// small.bin (five type definitions, then records) with the length prefix of its sixth message (the second
    /// record) replaced by `claim` (a gob uint).
    func claiming(_ claim: [UInt8]) throws -> (bytes: [UInt8], offset: Int) {
        let gob = try fixtures.bytes("small.bin")
        let starts = DamagedFiles.messageStarts(gob)
        let at = starts[5]
        let prefix = gob[at] < 0x80 ? 1 : 1 + 256 - Int(gob[at])
        return (Array(gob[..<at]) + claim + Array(gob[(at + prefix)...]), at)
    }

    @Test("a gob length prefix claiming 2 GB is refused at its byte offset")
    func gobClaimOverLimit() throws {
        let (bytes, offset) = try claiming([0xfc, 0x7f, 0xff, 0xff, 0xf0])
        let path = try Run.temporaryFile("claim.bin")
        try Run.write(bytes, to: path)
        let got = try readAll([path])
        #expect(got.results.count == 1)
        #expect(
            got.failures.map(\.description) == [
                "\(path): byte \(offset): gob: message of 2147483632 bytes is over the 64 MiB limit for one result"
            ])
    }

    @Test("a gob type definition whose field numbers overflow is a damaged stream, not a crash")
    func gobFieldDeltaOverflow() throws {
        // Found by the FuzzGobResults target: a wire type's field delta near 2^63 after a field already read.
        let path = fixtures.path("gob_field_delta_overflow.bin")
        let error = #expect(throws: (any Error).self) { try readAll([path]) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("can't detect encoding"))
    }

    @Test("a gob length prefix claiming 60 MiB in a 5 kB file is a truncated record, read as it arrives")
    func gobClaimUnderLimit() throws {
        let (bytes, offset) = try claiming([0xfc, 0x03, 0xc0, 0x00, 0x00])
        let path = try Run.temporaryFile("claim.bin")
        try Run.write(bytes, to: path)
        let got = try readAll([path])
        #expect(got.results.count == 1)
        let failure = try #require(got.failures.first)
        #expect(failure.location == "byte \(offset)")
        #expect(failure.reason.hasPrefix("truncated record: ") && failure.reason.hasSuffix("(unexpected EOF)"))
    }

    @Test("a JSON line over 64 MiB is refused with its line and byte offset; the lines before it are kept")
    func jsonLineLimit() throws {
        let good = try fixtures.bytes("small.json").split(separator: 0x0a).prefix(2).map { Array($0) + [0x0a] }
        let head = good.joined()
        let long =
            Array(#"{"error":""#.utf8) + [UInt8](repeating: 0x78, count: ResultLimits.maxRecordBytes)
            + Array("\"}\n".utf8)
        let path = try Run.temporaryFile("long.json")
        try Run.write(Array(head) + long, to: path)
        let got = try readAll([path])
        #expect(got.results.count == 2)
        #expect(
            got.failures.map(\.description) == [
                "\(path): line 3, byte \(head.count): line longer than 64 MiB (the limit for one result)"
            ])
    }

    @Test("a gzip bomb without line ends is refused without holding the whole stream")
    func gzipBomb() throws {
        let dir = try Run.temporaryDirectory()
        // 96 MiB of zeros compress to about 100 kB; no format accepts them, and no line ever ends.
        let out = try OutputFile.open(dir + "/bomb.gz")
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<96 { try out.write(zeros) }
        try out.close()
        #expect(throws: DecodeError.self) { try readAll([dir + "/bomb.gz"]) }
    }

    @Test("a CSV record over 64 MiB is refused with its line")
    func csvRecordLimit() throws {
        let first = try fixtures.bytes("small.csv").split(separator: 0x0a).prefix(1).map { Array($0) + [0x0a] }.joined()
        let long = Array(#""a"#.utf8) + [UInt8](repeating: 0x0a, count: ResultLimits.maxRecordBytes + 1)
        let path = try Run.temporaryFile("long.csv")
        try Run.write(Array(first) + long, to: path)
        let got = try readAll([path])
        #expect(got.results.count == 1)
        #expect(got.failures.map(\.location) == ["line 2, byte \(first.count)"])
        #expect(got.failures.first?.reason == "record longer than 64 MiB (the limit for one result)")
    }

    @Test("a bad timestamp is quoted to 64 bytes")
    func excerpt() throws {
        let line = #"{"timestamp":""# + String(repeating: "9", count: 500) + "\"}\n"
        let path = try Run.temporaryFile("t.json")
        try Run.write(Array(#"{"code":200}"#.utf8) + [0x0a] + Array(line.utf8), to: path)
        let got = try readAll([path])
        #expect(
            got.failures.map(\.reason) == [
                "timestamp: \"" + String(repeating: "9", count: 64) + "...\" is not RFC 3339"
            ])
    }
}
