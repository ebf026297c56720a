import BarrageCore
import Foundation
import TestSupport
import Testing

/// The Chromium on PATH, if any (Debian package `chromium`).
private let chromium: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        }
    }
    return nil
}()

/// The lab's report in headless Chromium: it renders without JavaScript errors, draws the timeline bars and the
/// scatter, and its error points lie between the break and the repair. `BARRAGE_REPORT_SCREENSHOTS=/dir` keeps
/// the page and the screenshots for a person to look at.
@Suite(
    "chaos report in a real browser", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: chromium != nil, "Chromium is not installed (apt-get install -y chromium)"))
struct ReportBrowserTests {
    static func browse(_ dir: String, _ extra: [String]) throws -> ProcessOutput {
        try Run.process(
            "/usr/bin/timeout",
            [
                "50", chromium ?? "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=\(dir)/profile", "--enable-logging=stderr", "--v=0",
                "--window-size=1300,1500",
            ] + extra)
    }

    /// The `<body …>` tag of the page `browse` dumped with `--dump-dom` (cancels the test when Chromium could not run).
    static func bodyTag(_ dom: ProcessOutput) throws -> String {
        if dom.status != 0 && dom.stdout.isEmpty {
            try Test.cancel("Chromium could not run (status \(dom.status)): \(dom.stderr.suffix(400))")
        }
        let text = dom.stdoutText
        let body = try #require(text.range(of: "<body")).lowerBound
        return String(text[body...].prefix { $0 != ">" })
    }

    @Test("renders in light and dark: bars, points, errors inside the disruption, no script errors")
    func renders() throws {
        let lab = try Lab.get()
        let dir = try ProcessInfo.processInfo.environment["BARRAGE_REPORT_SCREENSHOTS"] ?? Run.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let page = dir + "/report.html"
        let made = try Run.barrage(["chaos", "report", "-o", page, lab.journal])
        #expect(made.status == 0, "\(made.stderr)")
        let data = try PageData(page: String(decoding: try Run.read(page), as: UTF8.self))
        let from = try #require(data.activity("break-the-service")?["start"]?.number)
        let to = try #require(data.activity("repair-the-service")?["end"]?.number)
        for theme in ["light", "dark"] {
            let dom = try Self.browse(
                dir, ["--virtual-time-budget=3000", "--dump-dom", "file://\(page)#\(theme),selftest"])
            let tag = try Self.bodyTag(dom)
            #expect(tag.contains("data-rendered=\"ok\""), "\(tag)")
            #expect(!tag.contains("data-render-error"), "\(tag)")
            func number(_ name: String) -> Int {
                guard let r = tag.range(of: name + "=\"") else { return -1 }
                return Int(tag[r.upperBound...].prefix { $0.isNumber }) ?? -1
            }
            #expect(number("data-bars-drawn") == 7, "\(tag)")
            #expect(number("data-points-drawn") > 50, "\(tag)")
            #expect(number("data-disruptions") == 3, "\(tag)")
            #expect(tag.contains("data-selftest=\"zoom;bar:break-the-service"), "\(tag)")
            #expect(tag.contains(";selected;point:"), "\(tag)")
            let span = try #require(tag.firstMatch(of: /data-error-span="([0-9.]+),([0-9.]+)"/))
            let first = try #require(Double(span.1))
            let last = try #require(Double(span.2))
            #expect(
                first >= from - 0.002 && last <= to + 0.002, "errors \(first)...\(last), disruption \(from)...\(to)")
            let consoleErrors = dom.stderr.split(separator: "\n").filter {
                $0.contains("CONSOLE") && ($0.contains("Uncaught") || $0.contains("Error"))
            }
            #expect(consoleErrors.isEmpty, "\(consoleErrors)")
            let shot = dir + "/report-\(theme).png"
            try? FileManager.default.removeItem(atPath: shot)
            let snap = try Self.browse(dir, ["--screenshot=\(shot)", "file://\(page)#\(theme)"])
            #expect(FileManager.default.fileExists(atPath: shot), "\(snap.stderr.suffix(400))")
        }
    }

    @Test("a journal without results, and one without timed activities, render without errors")
    func edgeCases() throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array("{\"experiment\": {\"title\": \"empty <&>\"}, \"run\": []}".utf8), to: dir + "/empty.json")
        let lab = try Lab.get()
        try Run.write(try Run.read(lab.journal), to: dir + "/lonely.json")
        for name in ["empty", "lonely"] {
            let made = try Run.barrage(["chaos", "report", "-o", "\(dir)/\(name).html", "\(dir)/\(name).json"])
            #expect(made.status == 0, "\(made.stderr)")
            let tag = try Self.bodyTag(
                try Self.browse(
                    dir, ["--virtual-time-budget=2000", "--dump-dom", "file://\(dir)/\(name).html#selftest"]))
            #expect(tag.contains("data-rendered=\"ok\""), "\(name): \(tag)")
            #expect(!tag.contains("data-render-error"), "\(name): \(tag)")
        }
    }
}
