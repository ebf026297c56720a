import BarrageCore
import Foundation
import TestSupport
import Testing

/// `barrage encode` as users run it: the built binary, real files, pipes and exit codes.
@Suite("barrage encode end to end")
struct EncodeCommandTests {
    let fixtures = Fixtures()

    @Test("stdin to stdout, JSON by default", arguments: [[String](), ["-to=json"], ["--to=json"], ["-to", "json"]])
    func defaults(_ flags: [String]) throws {
        let out = try Run.barrage(["encode"] + flags, input: try fixtures.bytes("small.bin"))
        #expect(out.status == 0)
        #expect(out.stdoutText.split(separator: "\n").count == 20)
        #expect(
            out.stdoutText.hasPrefix(
                #"{"attack":"sample","seq":0,"code":200,"timestamp":"2026-11-22T01:52:59.781494572Z""#))
    }

    @Test("gob to CSV is vegeta's file byte for byte")
    func csv() throws {
        let out = try Run.barrage(["encode", "--to", "csv", fixtures.path("small.bin")])
        #expect(out.status == 0)
        #expect(out.stdout == (try fixtures.bytes("small.csv")))
    }

    @Test("-output writes the file, .gz compresses, and the result reads back")
    func outputFile() throws {
        let dir = try Run.temporaryDirectory()
        let gz = dir + "/r.bin.gz"
        #expect(try Run.barrage(["encode", "-to=gob", "-output=" + gz, fixtures.path("small.json")]).status == 0)
        #expect(try Run.read(gz).prefix(2) == [0x1f, 0x8b])
        let back = try Run.barrage(["encode", "-to", "csv", gz])
        #expect(back.stdout == (try fixtures.bytes("small.csv")))
    }

    @Test("parsing stops at the first file name, as Go's flag package does")
    func flagAfterFile() throws {
        let out = try Run.barrage(["encode", fixtures.path("small.bin"), "-to=csv"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("-to=csv: open: No such file or directory"))
    }

    @Test("several files of different formats are merged round-robin")
    func merge() throws {
        let out = try Run.barrage(["encode", fixtures.path("small.bin"), fixtures.path("small.csv")])
        #expect(out.status == 0)
        let seqs = out.stdoutText.split(separator: "\n").prefix(4).map { line in
            line.split(separator: ",")[1]
        }
        #expect(seqs == [#""seq":0"#, #""seq":0"#, #""seq":1"#, #""seq":1"#])
    }

    @Test(
        "usage errors exit 2 with Go's message; -h exits 0",
        arguments: [
            (["encode", "-to=xml"], Int32(2), "encode: unknown encoding \"xml\""),
            (["encode", "-nope"], 2, "flag provided but not defined: -nope"),
            (["encode", "-to"], 2, "flag needs an argument: -to"),
            (["encode", "-h"], 0, "Usage: barrage encode"),
            (["-version"], 0, "Version: "),
            (["dump"], 1, "vegeta dump has been deprecated and succeeded by the vegeta encode command"),
        ])
    func usage(_ args: [String], _ status: Int32, _ message: String) throws {
        let out = try Run.barrage(args)
        #expect(out.status == status)
        #expect((out.stderr + out.stdoutText).contains(message))
    }

    @Test("a truncated gob keeps every complete record, names file and byte, exits 1")
    func truncated() throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array(try fixtures.bytes("small.bin").prefix(3000)), to: dir + "/cut.bin")
        let out = try Run.barrage(["encode", "-to=csv", dir + "/cut.bin"])
        #expect(out.status == 1)
        #expect(out.stdoutText.split(separator: "\n").count == 10)
        let lines = out.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasSuffix("\(dir)/cut.bin: byte 2811: truncated record: 189 of 376 bytes (unexpected EOF)")
                == true)
    }

    @Test("undetectable and missing inputs are one line and exit 1")
    func badInputs() throws {
        let empty = try Run.barrage(["encode"], input: [])
        #expect(empty.status == 1 && empty.stderr.hasSuffix("encode: can't detect encoding of \"stdin\"\n"))
        let missing = try Run.barrage(["encode", "/nonexistent/r.bin"])
        #expect(
            missing.status == 1 && missing.stderr.hasSuffix("/nonexistent/r.bin: open: No such file or directory\n"))
    }

    @Test("a link named vegeta behaves as barrage")
    func vegetaLink() throws {
        let dir = try Run.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/vegeta", withDestinationPath: Paths.barrage)
        let out = try Run.process(dir + "/vegeta", ["encode", "-to", "csv"], input: try fixtures.bytes("small.bin"))
        #expect(out.status == 0)
        #expect(out.stdout == (try fixtures.bytes("small.csv")))
    }

    @Test("a live pipe is converted as it arrives, not at the end")
    func livePipe() throws {
        // The producer writes half, waits for the converted half to appear, then closes: the encoder must flush
        // while its input is idle, or the shell would wait forever (bounded by `timeout`).
        let dir = try Run.temporaryDirectory()
        let json = fixtures.path("small.json")
        let script = """
            mkfifo \(dir)/in
            timeout 20 \(Paths.barrage) encode -to=csv -output=\(dir)/out.csv \(dir)/in &
            exec 3>\(dir)/in
            head -n 5 \(json) >&3
            for i in $(seq 1 200); do [ "$(wc -l < \(dir)/out.csv 2>/dev/null)" = 5 ] && break; sleep 0.05; done
            wc -l < \(dir)/out.csv
            exec 3>&-
            wait
            """
        let out = try Run.process("/bin/sh", ["-c", script])
        #expect(out.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "5")
    }
}
