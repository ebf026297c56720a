import Encoder
import TestSupport
import Testing

/// Damaged inputs: never a crash, every complete record before the damage kept, one message with a location.
@Suite("Truncated and corrupt inputs")
struct DamageTests {
    let fixtures = Fixtures()

    @Test("a cut at every byte offset keeps the complete prefix", arguments: ["small.bin", "small.json", "small.csv"])
    func truncation(_ name: String) throws {
        let dir = try Run.temporaryDirectory()
        // All of small.bin (5.4 kB); the first 6 lines of the text formats, which repeat the same shapes.
        var full = try fixtures.bytes(name)
        if name != "small.bin" {
            full = Array(full.split(separator: 0x0a).prefix(6).joined(separator: [0x0a])) + [0x0a]
        }
        try Run.write(full, to: dir + "/full")
        let all = try readAll([dir + "/full"]).results
        let path = dir + "/cut"
        var previous = 0
        for cut in 0...full.count {
            try Run.write(Array(full.prefix(cut)), to: path)
            let got: (results: [Result], failures: [DecodeError])
            do {
                got = try readAll([path])
            } catch let error as DecodeError {
                // Nothing recognisable yet (a cut inside the first record): reported, not crashed.
                #expect(error.description.contains("cut") || error.description.contains("can't detect"))
                continue
            }
            #expect(Array(all.prefix(got.results.count)) == got.results)
            #expect(got.results.count >= previous)
            previous = got.results.count
            if name == "small.bin" { #expect(got.failures.allSatisfy { $0.location.hasPrefix("byte ") }) }
        }
        #expect(previous == all.count)
    }

    @Test("a JSON file cut mid-line keeps every whole line and names the broken one")
    func jsonCutMidLine() throws {
        let full = try fixtures.bytes("small.json")
        let dir = try Run.temporaryDirectory()
        let lines = full.split(separator: 0x0a, omittingEmptySubsequences: false)
        let cut = Array(lines.prefix(5).joined(separator: [0x0a])) + [0x0a] + Array(lines[5].prefix(40))
        try Run.write(cut, to: dir + "/cut.json")
        let got = try readAll([dir + "/cut.json"])
        #expect(got.results.count == 5)
        #expect(got.failures.map(\.description) == ["\(dir)/cut.json: line 6: \(got.failures.first?.reason ?? "")"])
    }

    @Test("a last JSON line without newline is kept (vegeta drops it)")
    func jsonLastLine() throws {
        var full = try fixtures.bytes("small.json")
        full.removeLast()
        let dir = try Run.temporaryDirectory()
        try Run.write(full, to: dir + "/r.json")
        #expect(try readAll([dir + "/r.json"]).results.count == 20)
    }

    @Test("random byte flips never crash the gob decoder")
    func corruptGob() throws {
        let full = try fixtures.bytes("small.bin")
        var g = SeededGenerator(state: 99)
        let dir = try Run.temporaryDirectory()
        for round in 0..<400 {
            var bytes = full
            for _ in 0..<(1 + round % 4) {
                bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            }
            try Run.write(bytes, to: dir + "/x.bin")
            _ = try? readAll([dir + "/x.bin"])
        }
    }

    @Test("random byte flips never crash the JSON and CSV decoders", arguments: ["small.json", "small.csv"])
    func corruptText(_ name: String) throws {
        let full = try fixtures.bytes(name)
        var g = SeededGenerator(state: 5)
        let dir = try Run.temporaryDirectory()
        for _ in 0..<300 {
            var bytes = full
            for _ in 0..<3 {
                bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            }
            try Run.write(bytes, to: dir + "/x")
            _ = try? readAll([dir + "/x"])
        }
    }

    @Test("empty and unrecognisable inputs say vegeta's message")
    func undetectable() throws {
        let dir = try Run.temporaryDirectory()
        try Run.write([], to: dir + "/empty")
        try Run.write(Array("hello\n".utf8), to: dir + "/text")
        for name in ["empty", "text"] {
            #expect(throws: DecodeError.self) { _ = try readAll([dir + "/" + name]) }
            do {
                _ = try readAll([dir + "/" + name])
            } catch let error as DecodeError {
                #expect(error.description == "encode: can't detect encoding of \"\(dir)/\(name)\"")
            }
        }
    }

    @Test("a CSV record with the wrong number of fields is named by line")
    func csvFieldCount() throws {
        var lines = String(decoding: try fixtures.bytes("small.csv"), as: UTF8.self).split(separator: "\n")
        lines[3] = lines[3].split(separator: ",").prefix(7).joined(separator: ",")[...]
        let dir = try Run.temporaryDirectory()
        try Run.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: dir + "/r.csv")
        let got = try readAll([dir + "/r.csv"])
        #expect(got.results.count == 3)
        #expect(got.failures.first?.location == "line 4")
    }
}
