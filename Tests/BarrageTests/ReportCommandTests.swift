import BarrageCore
import Foundation
import TestSupport
import Testing

/// Runs the built `barrage report` as a real process.
@Suite(.timeLimit(.minutes(3))) struct ReportCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let fixtures = SampleResults.fixtures

    /// Runs `/bin/sh -c script` with `$BARRAGE` and `$FIX` set, feeding `input` to stdin.
    func shell(_ script: String, input: String = "") throws -> Run {
        var environment = ProcessInfo.processInfo.environment
        environment["BARRAGE"] = Paths.barrage
        environment["FIX"] = fixtures
        let process = try #require(
            ChildProcess(["/bin/sh", "-c", script], environment: environment.map { $0.key + "=" + $0.value }))
        process.writeStdin(Array(input.utf8))
        process.closeStdin()
        // Reads both pipes to the end before waiting, so a large output cannot block the child.
        let (status, out, err) = process.finish()
        return Run(
            status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func everyReportTypeOfSmallBinRuns() throws {
        for type in ["text", "json", "hdrplot", "hist[0,500us,1ms,2ms]"] {
            let run = try shell("\"$BARRAGE\" report -type='\(type)' \"$FIX/small.bin\"")
            #expect(run.status == 0)
            #expect(run.stderr.isEmpty)
        }
        let hist = try shell("\"$BARRAGE\" report -type='hist[0,500us,1ms,2ms]' \"$FIX/small.bin\"")
        #expect(hist.stdout == (try SampleResults.fixtureText("report_hist.txt")))
    }

    @Test func severalFilesInMixedFormatsAreMerged() throws {
        let run = try shell("\"$BARRAGE\" report \"$FIX/small.bin\" \"$FIX/small.json\" \"$FIX/small.csv\"")
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first == "Requests      [total, rate, throughput]         60, 31.58, 7.89")
        #expect(lines.contains("Status Codes  [code:count]                      0:15  200:15  404:15  418:15  "))
        #expect(
            run.stdout.hasSuffix(
                "Error Set:\n418 \n404 Not Found\nGet \"http://127.0.0.1:1/\": dial tcp 0.0.0.0:0->127.0.0.1:1: connect: connection refused\n"
            ))
        let json = try shell("\"$BARRAGE\" report -type=json \"$FIX/small.json\" \"$FIX/small.csv\"")
        #expect(json.stdout.contains("\"bytes_in\":{\"total\":1730,\"mean\":43.25}"))
        #expect(json.stdout.contains("\"requests\":40,\"rate\":21.050428751291104"))
    }

    @Test func stdinIsReadWhenNoFileIsGiven() throws {
        let run = try shell("\"$BARRAGE\" report -type=json < \"$FIX/small.bin\"")
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"requests\":20,"))
    }

    @Test func emptyInputIsAnError() throws {
        let run = try shell("\"$BARRAGE\" report < /dev/null")
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix("encode: can't detect encoding of \"stdin\"\n"))
        #expect(run.stdout.isEmpty)
    }

    @Test func allErrorInputReportsZeroSuccess() throws {
        var input = ""
        for i in 0..<5 {
            input +=
                "{\"attack\":\"\",\"seq\":\(i),\"code\":0,\"timestamp\":\"2026-11-22T01:52:5\(i).5Z\",\"latency\":30000000000,"
            input += "\"bytes_out\":0,\"bytes_in\":0,\"error\":\"Get \\\"http://127.0.0.1:1/\\\": timeout \(i % 2)\","
            input += "\"body\":null,\"method\":\"GET\",\"url\":\"http://127.0.0.1:1/\",\"headers\":null}\n"
        }
        let run = try shell("\"$BARRAGE\" report", input: input)
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                Requests      [total, rate, throughput]         5, 1.25, 0.00
                Duration      [total, attack, wait]             34s, 4s, 30s
                Latencies     [min, mean, 50, 90, 95, 99, max]  30s, 30s, 30s, 30s, 30s, 30s, 30s
                Bytes In      [total, mean]                     0, 0.00
                Bytes Out     [total, mean]                     0, 0.00
                Success       [ratio]                           0.00%
                Status Codes  [code:count]                      0:5  
                Error Set:
                Get "http://127.0.0.1:1/": timeout 0
                Get "http://127.0.0.1:1/": timeout 1

                """)
    }

    @Test func damagedInputReportsWhatWasReadAndFails() throws {
        let run = try shell("head -c 1000 \"$FIX/small.bin\" | \"$BARRAGE\" report -type=json")
        #expect(run.status == 1)
        #expect(run.stdout.contains("\"requests\":2,"))
        #expect(run.stderr.contains("stdin: byte 721: truncated record"))
    }

    @Test(arguments: [
        ("-type=x", "invalid report type: x"), ("-type=xml!", "unknown report type: \"xml!\""),
        ("-type=hist", "bad buckets: ''"),
        ("-type=plot", "The plot reporter has been deprecated and succeeded by the vegeta plot command"),
        ("-type=json -buckets=1ms", "bad buckets: 1ms"),
    ])
    func badTypesFailLikeVegeta(flags: String, message: String) throws {
        let run = try shell("\"$BARRAGE\" report \(flags) \"$FIX/small.bin\"")
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix(" " + message + "\n"))
    }

    @Test func helpStatesThePercentilePrecision() throws {
        let run = try shell("\"$BARRAGE\" report -h")
        #expect(run.status == 0)
        #expect(run.stderr.contains("3 significant digits"))
    }

    /// A real slow producer: one line every 50 ms through a pipe. Frames appear while the input is still open,
    /// each after a clear-screen sequence, and the final report follows without one.
    @Test func everyRedrawsWhileInputArrives() throws {
        let feeder = "while IFS= read -r l; do printf '%s\\n' \"$l\"; sleep 0.05; done < \"$FIX/small.json\""
        let run = try shell("\(feeder) | \"$BARRAGE\" report -every=20ms")
        #expect(run.status == 0)
        let clear = "\u{1B}[2J\u{1B}[0;0H"
        let parts = run.stdout.components(separatedBy: clear)
        let frames = parts.dropFirst()
        #expect(parts.first == "")
        #expect(frames.count >= 1)
        var last = 0
        for frame in frames {
            let requests = frame.split(separator: "\n").first?.split(separator: " ").dropFirst(4).first
            let count = Int(requests?.dropLast() ?? "") ?? -1
            #expect(count >= last && count <= 20)
            last = count
        }
        let final = try shell("\"$BARRAGE\" report \"$FIX/small.json\"").stdout
        #expect(frames.last?.hasSuffix(final) == true)
    }

    @Test func everyToAFileWritesFramesWithoutClearing() throws {
        let dir = NSTemporaryDirectory() + "barrage-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let feeder = "while IFS= read -r l; do printf '%s\\n' \"$l\"; sleep 0.02; done < \"$FIX/small.json\""
        let run = try shell("\(feeder) | \"$BARRAGE\" report -every=10ms -type=json -output=\"\(dir)/r.json\"")
        #expect(run.status == 0)
        let text = try String(contentsOfFile: dir + "/r.json", encoding: .utf8)
        #expect(!text.contains("\u{1B}"))
        let reports = text.split(separator: "\n")
        #expect(reports.count >= 2)
        #expect(reports.last?.contains("\"requests\":20,") == true)
    }

    /// SIGINT while the input is still open ends reading and writes the report of what was read, exit 0.
    /// The feeder keeps the pipe open after the 20 records; the test waits for the frame showing all 20.
    @Test func interruptWritesTheReportOfWhatWasRead() throws {
        let dir = NSTemporaryDirectory() + "barrage-report-int-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
            cd "\(dir)" && mkfifo in
            { cat "$FIX/small.json"; exec sleep 30; } > in & feeder=$!
            "$BARRAGE" report -every=10ms -type=json -output=r.json < in & barrage=$!
            until grep -q '"requests":20,' r.json 2>/dev/null; do sleep 0.01; done
            kill -INT $barrage
            wait $barrage; status=$?
            kill $feeder
            tail -n 1 r.json
            exit $status
            """
        let run = try shell(script)
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"requests\":20,"))
        #expect(run.stdout.hasSuffix("]}\n"))
    }
}

/// The fixtures of the report command: `Fixtures/` beside this file.
private enum SampleResults {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"

    static func fixtureText(_ name: String) throws -> String {
        String(decoding: try TestSupport.Run.read(fixtures + "/" + name), as: UTF8.self)
    }
}
