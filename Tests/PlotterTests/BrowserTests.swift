import Encoder
import Foundation
import Plotter
import TestSupport
import Testing

/// Finds the browser the page checks run in.
enum Chromium {
    /// The Chromium executable on PATH, if any.
    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()
}

/// Runs the page in headless Chromium (Debian package `chromium`): it must render with no JavaScript error.
/// Skipped, with that reason, when Chromium is not installed; cancelled (shown as skipped) when it cannot start.
@Suite(
    "Page in a real browser", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: Chromium.path != nil, "Chromium is not installed (apt-get install -y chromium)"))
struct BrowserTests {
    /// Where pages and screenshots go: `$BARRAGE_PLOT_SCREENSHOTS` if set (kept for a person to look at), else a
    /// fresh temporary directory.
    static func workDirectory() throws -> URL {
        if let keep = ProcessInfo.processInfo.environment["BARRAGE_PLOT_SCREENSHOTS"] {
            let url = URL(fileURLWithPath: keep)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("barrage-plot-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A plot like a real attack: two attacks, OK and ERROR series, a latency spike, three status classes.
    static func demoPage(title: String = "Browser check <&>") throws -> [UInt8] {
        var plot = Plot(title: title)
        var rng = SplitMix64(seed: 11)
        for (name, count) in [("api", 30_000), ("web", 12_000)] {
            for i in 0..<count {
                let t = Double(i) / 2000
                var ms = 0.4 + 0.3 * sin(t) + Double.random(in: 0...0.5, using: &rng)
                if t > 6 && t < 8 { ms *= 20 }
                let code: UInt16 = i % 97 == 0 ? 0 : (i % 41 == 0 ? 503 : 200)
                plot.add(
                    Result(
                        attack: name, seq: UInt64(i), code: code,
                        timestamp: Timestamp(unixNanoseconds: 1_700_000_000_000_000_000 + Int64(i) * 500_000),
                        latency: Int64(ms * 1e6),
                        error: code == 200 ? "" : (code == 0 ? "timeout" : "503 Service Unavailable")))
            }
        }
        return try plot.page().html()
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program (bounded by `timeout`) with the one process runner (outputs in files, so no pipe can fill up).
    static func run(_ executable: String, _ arguments: [String], in dir: URL) throws -> Run {
        let out = try TestSupport.Run.process("/usr/bin/timeout", ["50", executable] + arguments)
        return Run(status: out.status, stdout: out.stdoutText, stderr: out.stderr)
    }

    static func chromeArguments(_ dir: URL, _ extra: [String]) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
            "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--enable-logging=stderr", "--v=0",
            "--window-size=1200,900",
        ] + extra
    }

    @Test("renders in light and dark with no JavaScript errors, every control exercised")
    func renders() throws {
        let chromium = try #require(Chromium.path)
        let dir = try Self.workDirectory()
        let page = dir.appendingPathComponent("plot.html")
        try Data(try Self.demoPage()).write(to: page)
        for theme in ["light", "dark"] {
            let dom = try Self.run(
                chromium,
                Self.chromeArguments(
                    dir,
                    [
                        "--virtual-time-budget=5000", "--dump-dom",
                        page.absoluteString + "#\(theme),selftest,pointertest",
                    ]), in: dir
            )
            if dom.status != 0 && dom.stdout.isEmpty {
                try Test.cancel("Chromium could not run (status \(dom.status)): \(dom.stderr.suffix(400))")
            }
            let body = try #require(dom.stdout.range(of: "<body")).lowerBound
            let tag = String(dom.stdout[body...].prefix { $0 != ">" })
            #expect(tag.contains("data-rendered=\"ok\""), "\(tag)")
            #expect(!tag.contains("data-render-error"), "\(tag)")
            #expect(tag.contains("data-selftest=\"zoom;hover:"), "\(tag)")
            // A synthetic drag zoomed the chart and a hover showed the read-out (series, time, latency).
            #expect(tag.contains("data-pointertest=\"zoomed;tip:"), "\(tag)")
            #expect(tag.contains("latency"), "\(tag)")
            let drawn = tag.firstMatch(of: /data-points-drawn="(\d+)"/).flatMap { Int($0.1) } ?? 0
            #expect(drawn > 1000, "\(tag)")
            let png = tag.firstMatch(of: /data-png-bytes="(\d+)"/).flatMap { Int($0.1) } ?? 0
            #expect(png > 10_000, "\(tag)")
            let consoleErrors = dom.stderr.split(separator: "\n").filter {
                $0.contains("CONSOLE") && ($0.contains("Uncaught") || $0.contains("Error"))
            }
            #expect(consoleErrors.isEmpty, "\(consoleErrors)")
            let shot = dir.appendingPathComponent("plot-\(theme).png")
            try? FileManager.default.removeItem(at: shot)
            let snap = try Self.run(
                chromium, Self.chromeArguments(dir, ["--screenshot=\(shot.path)", page.absoluteString + "#\(theme)"]),
                in: dir)
            #expect(FileManager.default.fileExists(atPath: shot.path), "\(snap.stderr.suffix(400))")
        }
    }

    @Test("an empty plot and a one-point plot render without errors")
    func edgeCases() throws {
        let chromium = try #require(Chromium.path)
        let dir = try Self.workDirectory()
        var one = Plot(title: "one")
        one.add(Result(seq: 0, code: 200, timestamp: Timestamp(unixNanoseconds: 1), latency: 1_000_000))
        for (name, plot) in [("empty", Plot(title: "empty")), ("one", one)] {
            let page = dir.appendingPathComponent("\(name).html")
            try Data(try plot.page().html()).write(to: page)
            let dom = try Self.run(
                chromium, Self.chromeArguments(dir, ["--dump-dom", page.absoluteString + "#selftest"]), in: dir)
            if dom.status != 0 && dom.stdout.isEmpty {
                try Test.cancel("Chromium could not run (status \(dom.status)): \(dom.stderr.suffix(400))")
            }
            let body = try #require(dom.stdout.range(of: "<body")).lowerBound
            let tag = String(dom.stdout[body...].prefix { $0 != ">" })
            #expect(tag.contains("data-rendered=\"ok\""), "\(name): \(tag)")
            #expect(!tag.contains("data-render-error"), "\(name): \(tag)")
        }
    }
}
