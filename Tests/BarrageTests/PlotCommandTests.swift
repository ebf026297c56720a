import BarrageCore
import Foundation
import TestSupport
import Testing

/// `barrage plot` end to end: the built binary, real files, real exit codes.
@Suite("barrage plot command", .timeLimit(.minutes(3)))
struct PlotCommandTests {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"

    struct Run {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// Runs `barrage` with its output in files (no pipe can fill up) and, optionally, a file as standard input.
    static func barrage(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("barrage-plot-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let err = dir.appendingPathComponent("err")
        let process = try #require(
            ChildProcess(
                [Paths.barrage] + arguments, stdin: .file(stdin ?? "/dev/null"), stdout: .file(out.path),
                stderr: .file(err.path)))
        let status = process.wait()
        return Run(
            status: status, stdout: Array(try Data(contentsOf: out)),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// The expected points of small.bin, from the JSON vegeta wrote for the same results.
    static func expectedSmall() throws -> (ok: [Double], error: [Double], okX: [Double]) {
        let lines = try String(contentsOfFile: fixtures + "/small.json", encoding: .utf8).split(separator: "\n")
        var ok: [Double] = []
        var error: [Double] = []
        var okX: [Double] = []
        var origin: Date?
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let latencyMs = Double(try #require(object["latency"] as? Int)) / 1e6
            let stamp = try #require(object["timestamp"] as? String)
            // ISO8601DateFormatter keeps milliseconds only, which is the resolution x has anyway.
            let date = try #require(iso.date(from: String(stamp.prefix(23)) + "Z"))
            if origin == nil { origin = date }
            if (object["error"] as? String ?? "").isEmpty {
                ok.append(latencyMs)
                okX.append(date.timeIntervalSince(try #require(origin)))
            } else {
                error.append(latencyMs)
            }
        }
        return (ok, error, okX)
    }

    @Test("plots vegeta's small.bin: one series per OK/ERROR with every point")
    func small() throws {
        let run = try Self.barrage(["plot", Self.fixtures + "/small.bin"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        let data = try embeddedData(run.stdout)
        #expect(data["title"] as? String == "Vegeta Plot")
        let series = try #require(data["series"] as? [[String: Any]])
        #expect(series.map { $0["label"] as? String } == ["sample: ERROR", "sample: OK"])
        let expected = try Self.expectedSmall()
        #expect(series[1]["y"] as? [Double] == expected.ok)
        #expect(series[0]["y"] as? [Double] == expected.error)
        let x = try #require(series[1]["x"] as? [Double])
        #expect(x.count == expected.okX.count)
        for (a, b) in zip(x, expected.okX) { #expect(abs(a - b) <= 0.0011) }
        let html = String(decoding: run.stdout, as: UTF8.self)
        #expect(html.contains("<title>Vegeta Plot</title>"))
    }

    @Test("reads standard input and writes -output; -title is escaped")
    func stdinAndOutput() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try Self.barrage(
            ["plot", "-title=Load <test> & more", "-output", out.path], stdin: Self.fixtures + "/small.bin")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.contains("<title>Load &lt;test&gt; &amp; more</title>"))
        #expect(html.contains("<h1>Load &lt;test&gt; &amp; more</h1>"))
    }

    @Test("several inputs of different formats merge; the same attack shares one reorder buffer")
    func merged() throws {
        let run = try Self.barrage(["plot", Self.fixtures + "/small.bin", Self.fixtures + "/small.json"])
        #expect(run.status == 0, "\(run.stderr)")
        let series = try #require(try embeddedData(run.stdout)["series"] as? [[String: Any]])
        // The JSON file repeats every seq of the gob file: vegeta keeps one point per seq.
        #expect(series.map { ($0["y"] as? [Double])?.count } == [15, 5])
    }

    @Test("-threshold 1 fails once a series is longer than 1", arguments: ["1", "2"])
    func thresholdTooSmall(value: String) throws {
        let run = try Self.barrage(["plot", "-threshold=" + value, Self.fixtures + "/small.bin"])
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix(" lttb: min threshold is 3\n"), "\(run.stderr)")
    }

    @Test("-threshold=3 downsamples each series to 3 points; 0 keeps all")
    func threshold() throws {
        let three = try Self.barrage(["plot", "-threshold", "3", Self.fixtures + "/small.bin"])
        let series = try #require(try embeddedData(three.stdout)["series"] as? [[String: Any]])
        #expect(series.map { ($0["x"] as? [Double])?.count } == [3, 3])
        let all = try Self.barrage(["plot", "-threshold=0", Self.fixtures + "/small.bin"])
        let full = try #require(try embeddedData(all.stdout)["series"] as? [[String: Any]])
        #expect(full.map { ($0["x"] as? [Double])?.count } == [15, 5])
    }

    @Test("extreme -threshold values neither crash nor lose points", arguments: ["9223372036854775807", "0x7fffffff"])
    func hugeThreshold(value: String) throws {
        let run = try Self.barrage(["plot", "-threshold=" + value, Self.fixtures + "/small.bin"])
        #expect(run.status == 0, "\(run.stderr)")
        let series = try #require(try embeddedData(run.stdout)["series"] as? [[String: Any]])
        #expect(series.map { ($0["x"] as? [Double])?.count } == [15, 5])
        let negative = try Self.barrage(["plot", "-threshold=-9223372036854775808", Self.fixtures + "/small.bin"])
        #expect(negative.status == 1)
        #expect(negative.stderr.hasSuffix(" lttb: min threshold is 3\n"))
    }

    @Test("a damaged input still gives a page of what was read, then the failure line and exit 1")
    func damaged() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/small.bin"))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: cut) }
        try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
        let run = try Self.barrage(["plot", cut.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains(cut.path), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        let series = try #require(try embeddedData(run.stdout)["series"] as? [[String: Any]])
        let points = series.reduce(0) { $0 + (($1["y"] as? [Double])?.count ?? 0) }
        #expect(points > 0 && points < 20)
    }

    @Test("usage errors exit 2, a missing file exits 1")
    func errors() throws {
        let bad = try Self.barrage(["plot", "-threshold=abc"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("invalid value \"abc\" for flag -threshold"), "\(bad.stderr)")
        let missing = try Self.barrage(["plot", "/nonexistent/r.bin"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/r.bin"))
    }
}

/// The JSON object embedded in a page.
private func embeddedData(_ html: [UInt8]) throws -> [String: Any] {
    let text = String(decoding: html, as: UTF8.self)
    let open = "<script id=\"plot-data\" type=\"application/json\">"
    let start = try #require(text.range(of: open))
    let end = try #require(text.range(of: "</script>", range: start.upperBound..<text.endIndex))
    let json = Data(text[start.upperBound..<end.lowerBound].utf8)
    return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
}
