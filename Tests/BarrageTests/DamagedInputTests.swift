import BarrageCore
import Foundation
import TestSupport
import Testing

/// Damaged and hostile results files through the built binary: encode, report and plot agree on the valid prefix
/// and the error; tiny files that claim or expand to huge ones fail cleanly inside a 1 GB address space.
@Suite("Damaged and hostile files end to end", .timeLimit(.minutes(2)))
struct DamagedInputTests {
    let fixtures = Fixtures()

    /// A damaged file: the first two records are good, the third is not.
    static func damaged(_ name: String) throws -> (path: String, bytes: [UInt8]) {
        let fixtures = Fixtures()
        let dir = try Run.temporaryDirectory()
        let source = name.hasSuffix(".csv") ? "small.csv" : "small.json"
        var lines = try fixtures.bytes(source).split(separator: 0x0a).prefix(4).map {
            String(decoding: $0, as: UTF8.self)
        }
        switch name {
        case "body.json": lines[2] = lines[2].replacingOccurrences(of: #""body":"#, with: #""body":"%%%","x":"#)
        case "headers.json": lines[2] = lines[2].replacingOccurrences(of: #""headers":"#, with: #""headers":"x","y":"#)
        case "method.json": lines[2] = lines[2].replacingOccurrences(of: #""method":"#, with: #""method":7,"y":"#)
        case "headers.csv":
            var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[fields.count - 1] = "%%%"
            lines[2] = fields.joined(separator: ",")
        default: break
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        try Run.write(bytes, to: dir + "/" + name)
        return (dir + "/" + name, bytes)
    }

    /// stderr without the log timestamp (`2026/11/22 01:52:10 `).
    static func message(_ stderr: String) -> String {
        stderr.split(separator: "\n").map { String($0.dropFirst(20)) }.joined(separator: "\n")
    }

    @Test(
        "encode, report and plot keep the same valid prefix and print the same error",
        arguments: ["body.json", "headers.json", "method.json", "headers.csv"])
    func sameVerdict(_ name: String) throws {
        let (path, _) = try Self.damaged(name)
        let encode = try Run.barrage(["encode", path])
        let report = try Run.barrage(["report", "-type=json", path])
        let plot = try Run.barrage(["plot", path])
        #expect(encode.status == 1 && report.status == 1 && plot.status == 1)
        #expect(encode.stdoutText.split(separator: "\n").count == 2)
        #expect(report.stdoutText.contains(#""requests":2,"#))
        let expected = Self.message(encode.stderr)
        #expect(expected.hasPrefix(path + ": line 3"))
        #expect(Self.message(report.stderr) == expected)
        #expect(Self.message(plot.stderr) == expected)
    }

    /// Runs barrage inside a 1 GB address space (the unfixed readers reserved 3 to 24 GB on these files).
    static func bounded(_ arguments: [String], in directory: String? = nil) throws -> ProcessOutput {
        try Run.process(
            "/usr/bin/prlimit", ["--as=1000000000", "--", Paths.barrage] + arguments, currentDirectory: directory)
    }

    @Test(
        "a gob file whose length prefix claims 2 GB fails cleanly in bounded memory",
        arguments: ["encode", "report", "plot"])
    func gobClaim(_ command: String) throws {
        var gob = try fixtures.bytes("small.bin")
        // The sixth message (a record) claims 0x7ffffff0 bytes instead of its own length.
        let at = 502
        #expect(gob[at] == 0xff)  // a one-byte length follows
        gob.replaceSubrange(at..<(at + 2), with: [0xfc, 0x7f, 0xff, 0xff, 0xf0])
        let path = try Run.temporaryFile("claim.bin")
        try Run.write(gob, to: path)
        let out = try Self.bounded([command, path])
        #expect(out.status == 1)
        #expect(
            Self.message(out.stderr)
                == "\(path): byte 502: gob: message of 2147483632 bytes is over the 64 MiB limit for one result")
    }

    @Test("a gzip bomb of zeros fails cleanly in bounded memory", arguments: ["encode", "report", "plot"])
    func gzipBomb(_ command: String) throws {
        let dir = try Run.temporaryDirectory()
        let zeros = try Run.process("/bin/sh", ["-c", "head -c 300000000 /dev/zero | gzip -1 > \(dir)/bomb.gz"])
        #expect(zeros.status == 0)
        let out = try Self.bounded([command, dir + "/bomb.gz"])
        #expect(out.status == 1)
        #expect(Self.message(out.stderr) == "encode: can't detect encoding of \"\(dir)/bomb.gz\"")
    }

    @Test("a billion-laughs experiment fails cleanly in bounded memory", arguments: ["validate", "run"])
    func billionLaughs(_ command: String) throws {
        let dir = try Run.temporaryDirectory()
        var text =
            "title: x\ndescription: y\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        try Run.write(Array(text.utf8), to: dir + "/x.yaml")
        let out = try Self.bounded(["chaos", command, dir + "/x.yaml"], in: dir)  // chaostoolkit.log goes there
        #expect(out.status == 1)
        #expect(out.stderr.contains("x.yaml: invalid YAML: more than 1000000 nodes once aliases are expanded"))
    }
}
