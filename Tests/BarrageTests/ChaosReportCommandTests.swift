import BarrageCore
import ChaosGlue
import Encoder
import Foundation
import TestSupport
import Testing

/// `barrage chaos report` on the journal and results of a real run (see `Lab`), through the built binary.
@Suite("chaos report command", .timeLimit(.minutes(3)))
struct ChaosReportCommandTests {
    @Test("the lab run itself completes, its hypothesis met before and after")
    func labRuns() throws {
        let lab = try Lab.get()
        #expect(lab.runStatus == 0, "\(lab.runLog)")
        let journal = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: lab.journal))))
        #expect(journal["status"]?.string == "completed")
        #expect(journal["deviated"] == .bool(false))
    }

    @Test("results found from the journal: activities, series and errors inside the disruption window")
    func discovered() throws {
        let lab = try Lab.get()
        let run = try Run.barrage(["chaos", "report", lab.journal])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "chaos report: reading results from \(lab.results) (activity 'attack-the-service')\n")
        let data = try PageData(page: run.stdoutText)
        // Every record of the journal, in drawing order, with its times and status.
        let names = data.activities.map { ($0["phase"]?.string ?? "") + ":" + ($0["name"]?.string ?? "") }
        #expect(
            names == [
                "before:service-answers-200", "method:attack-the-service", "method:break-the-service",
                "method:service-is-broken", "method:repair-the-service", "after:service-answers-200",
                "rollback:make-sure-it-is-repaired",
            ])
        for a in data.activities {
            #expect(a["status"]?.string == "succeeded")
            let start = try #require(a["start"]?.number)
            let end = try #require(a["end"]?.number)
            #expect(end >= start)
        }
        let attack = try #require(data.activity("attack-the-service"))
        #expect(attack["background"] == .bool(true))
        #expect(attack["provider"]?.string?.contains("-output=results.bin") == true)
        let broken = try #require(data.activity("break-the-service"))
        #expect(broken["pauseBefore"]?.number == 0.8 && broken["pauseAfter"]?.number == 1.2)
        #expect(data.activity("service-is-broken")?["output"]?.string?.hasPrefix("HTTP 500") == true)
        #expect(data.activities.first?["tolerance"] == .bool(true))
        // Series counts are every result of the file.
        let counted = try Lab.count(lab.results)
        #expect(data.count(kind: "OK") + data.count(kind: "ERROR") == counted.all)
        #expect(data.count(kind: "ERROR") == counted.errors)
        #expect(counted.errors > 0 && counted.errors < counted.all)
        // Errors start when the service is broken and stop when it is repaired.
        let from = try #require(broken["start"]?.number)
        let to = try #require(data.activity("repair-the-service")?["end"]?.number)
        let errors = data.times(kind: "ERROR")
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0 >= from - 0.002 && $0 <= to + 0.002 }, "\(from)...\(to): \(errors)")
        #expect(data.times(kind: "OK").contains { $0 < from } && data.times(kind: "OK").contains { $0 > to })
        // The rate strip counts every request too.
        let classes = data.json["strip"]?["classes"]?.array ?? []
        let stripTotal = classes.flatMap { $0["counts"]?.array ?? [] }.reduce(0) { $0 + Int($1.number ?? 0) }
        #expect(stripTotal == counted.all)
        // The overview.
        let page = run.stdoutText
        #expect(page.contains("<h1>The service recovers when the broken flag is removed</h1>"))
        #expect(page.contains("<span class=\"badge good\">completed</span>"))
        #expect(page.contains("results.bin (\(counted.all) results)"))
        #expect(page.contains("<dt>Errors</dt><dd><span class=\"badge bad\">\(counted.errors) of \(counted.all) ("))
        #expect(!page.contains("http://") && !page.contains("https://") || !page.contains("src=\"http"))
    }

    @Test("explicit RESULTS give the same series; -o writes the file")
    func explicitResults() throws {
        let lab = try Lab.get()
        let dir = try Run.temporaryDirectory()
        let run = try Run.barrage(["chaos", "report", "-o", dir + "/r.html", lab.journal, lab.results])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty && run.stderr.isEmpty)
        let explicit = try PageData(page: String(decoding: try Run.read(dir + "/r.html"), as: UTF8.self))
        let found = try PageData(page: try Run.barrage(["chaos", "report", lab.journal]).stdoutText)
        #expect(explicit.series.map { $0["x"] } == found.series.map { $0["x"] })
        #expect(explicit.count(kind: "ERROR") == found.count(kind: "ERROR"))
    }

    @Test("chaostoolkit-reporting's form: --export-format=html5 JOURNAL REPORT writes the page to REPORT")
    func exportFormat() throws {
        let lab = try Lab.get()
        let dir = try Run.temporaryDirectory()
        let run = try Run.barrage(["chaos", "report", "--export-format=html5", lab.journal, dir + "/report.html"])
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stderr)")
        let written = try PageData(page: String(decoding: try Run.read(dir + "/report.html"), as: UTF8.self))
        let found = try PageData(page: try Run.barrage(["chaos", "report", lab.journal]).stdoutText)
        #expect(written.series.map { $0["x"] } == found.series.map { $0["x"] })
        // Results between the journal and the report, as with our own form.
        let withResults = try Run.barrage([
            "chaos", "report", "--export-format", "html", lab.journal, lab.results, dir + "/r2.html",
        ])
        let second = try Run.read(dir + "/r2.html")
        #expect(withResults.status == 0 && second.count > 1000)
        let pdf = try Run.barrage(["chaos", "report", "--export-format=pdf", lab.journal, dir + "/r.pdf"])
        #expect(pdf.status == 2)
        #expect(pdf.stderr.contains("Invalid value for '--export-format': 'pdf' is not one of 'html', 'html5'."))
    }

    @Test("the same attack in two files is plotted apart, not dropped as repeated seqs")
    func twoFiles() throws {
        let lab = try Lab.get()
        let dir = try Run.temporaryDirectory()
        try Run.write(try Run.read(lab.results), to: dir + "/again.bin")
        let run = try Run.barrage(["chaos", "report", lab.journal, lab.results, dir + "/again.bin"])
        #expect(run.status == 0, "\(run.stderr)")
        let data = try PageData(page: run.stdoutText)
        let all = try Lab.count(lab.results).all
        #expect(data.count(kind: "OK") + data.count(kind: "ERROR") == 2 * all)
        #expect(
            Set(data.series.compactMap { $0["label"]?.string }) == ["OK", "ERROR", "again.bin: OK", "again.bin: ERROR"])
    }

    @Test("a result file the journal names but that is missing is said on stderr; the page still comes")
    func missingDiscovered() throws {
        let lab = try Lab.get()
        let dir = try Run.temporaryDirectory()
        try Run.write(try Run.read(lab.journal), to: dir + "/journal.json")
        let run = try Run.barrage(["chaos", "report", dir + "/journal.json"], currentDirectory: dir)
        #expect(run.status == 0)
        #expect(
            run.stderr.contains(
                "chaos report: \(dir)/results.bin: not found (named by activity 'attack-the-service'), skipped"),
            "\(run.stderr)")
        let data = try PageData(page: run.stdoutText)
        #expect(data.series.isEmpty && data.activities.count == 7)
    }

    @Test("a damaged result file: the valid records are drawn, the file and offset named, exit 1")
    func damagedResults() throws {
        let lab = try Lab.get()
        let dir = try Run.temporaryDirectory()
        let bytes = try Run.read(lab.results)
        try Run.write(Array(bytes.prefix(bytes.count * 2 / 3)), to: dir + "/cut.bin")
        let run = try Run.barrage(["chaos", "report", lab.journal, dir + "/cut.bin"])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("chaos report: \(dir)/cut.bin: "), "\(run.stderr)")
        #expect(run.stderr.contains("byte"), "\(run.stderr)")
        let data = try PageData(page: run.stdoutText)
        let drawn = data.count(kind: "OK") + data.count(kind: "ERROR")
        let all = try Lab.count(lab.results).all
        #expect(drawn > 0 && drawn < all)
        #expect(run.stdoutText.contains("cut.bin"))
    }

    @Test(
        "bad journals: one line naming the file and what is wrong, exit 1",
        arguments: [
            ("{\n  \"experiment\": ,\n}", ":2:17: invalid JSON: "),
            ("[1, 2]", ": not a Chaos Toolkit journal: the document is not a JSON object"),
            ("{\"status\": \"completed\"}", ": not a Chaos Toolkit journal: no \"experiment\" object"),
            ("{\"experiment\": {}, \"run\": 3}", ": not a Chaos Toolkit journal: \"run\" is not a list"),
            ("", ":1:1: invalid JSON: "),
        ])
    func badJournal(text: String, message: String) throws {
        let dir = try Run.temporaryDirectory()
        let path = dir + "/journal.json"
        try Run.write(Array(text.utf8), to: path)
        let run = try Run.barrage(["chaos", "report", path])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("chaos report: \(path)\(message)"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    @Test(
        "odd values in a journal are drawn as far as they go, never a crash",
        arguments: [
            "{\"experiment\": {\"title\": 7}, \"duration\": 1e300, \"start\": \"9999-12-31T23:59:59\", \"run\": [{\"activity\": {\"name\": \"x\", \"pauses\": {\"before\": NaN, \"after\": 1e300}, \"provider\": {\"type\": \"process\", \"path\": \"vegeta\", \"arguments\": 5}}, \"output\": {\"status\": 1e300, \"stdout\": \"\"}, \"start\": \"2026-11-22T01:50:28\", \"end\": \"garbage\", \"exception\": [\"boom\\n\"]}]}",
            "{\"experiment\": {}, \"run\": [1, \"x\", null, {\"activity\": []}], \"rollbacks\": null, \"steady_states\": {\"before\": {\"probes\": 3}, \"during\": [1]}}",
            "{\"experiment\": {\"title\": \"</script><script>alert(1)</script>\"}, \"start\": \"2026-11-22T01:50:28Z\", \"end\": \"1970-01-01T00:00:00Z\"}",
        ])
    func oddJournal(text: String) throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array(text.utf8), to: dir + "/journal.json")
        let run = try Run.barrage(["chaos", "report", dir + "/journal.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdoutText.contains("<script>alert"))
        _ = try PageData(page: run.stdoutText)
    }

    @Test("a missing journal, a missing RESULTS file, usage errors and help")
    func usage() throws {
        let dir = try Run.temporaryDirectory()
        var run = try Run.barrage(["chaos", "report", dir + "/nope.json"])
        #expect(run.status == 1 && run.stderr == "chaos report: \(dir)/nope.json: no such file\n")
        run = try Run.barrage(["chaos", "report"])
        #expect(run.status == 2 && run.stderr.contains("Error: Missing argument 'JOURNAL'."))
        run = try Run.barrage(["chaos", "report", "--bogus", "j.json"])
        #expect(run.status == 2 && run.stderr.contains("Error: No such option: --bogus"))
        run = try Run.barrage(["chaos", "report", "-h"])
        #expect(run.status == 0 && run.stdoutText.hasPrefix("Usage: chaos report [OPTIONS] JOURNAL [RESULTS]..."))
        run = try Run.barrage(["chaos", "--help"])
        #expect(run.stdoutText.contains("  report "))
        let lab = try Lab.get()
        run = try Run.barrage(["chaos", "report", lab.journal, dir + "/absent.bin"])
        #expect(run.status == 1)
        #expect(run.stderr == "chaos report: \(dir)/absent.bin: no such file\n")
        #expect(try PageData(page: run.stdoutText).series.isEmpty)
    }
}

/// Services that answer 200 with `{"error": ...}` (the seed labs' front) have their errors counted from the body.
@Suite("chaos report: errors in response bodies")
struct BodyErrorTests {
    /// Vegeta JSON results: `n` responses, the ones in `broken` answered 200 with an error body.
    func results(_ n: Int, broken: Range<Int>) -> String {
        var lines = ""
        for i in 0..<n {
            let body = broken.contains(i) ? #"{"error": "ConnectError", "value": 1}"# : #"{"value": \#(i)}"#
            let b64 = Base64.encode(Array(body.utf8))
            lines += #"{"attack":"","seq":\#(i),"code":200,"timestamp":"2026-11-22T01:00:0\#(i).000000000Z","#
            lines += #""latency":1000000,"bytes_out":0,"bytes_in":\#(body.utf8.count),"error":"","body":"\#(b64)","#
            lines += #""method":"GET","url":"http://127.0.0.1:1/","headers":{}}"# + "\n"
        }
        return lines
    }

    @Test("counted as errors by default, plotted as ERROR; --body-error-key= turns it off")
    func command() throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array(results(8, broken: 3..<6).utf8), to: dir + "/r.json")
        let journal = #"{"experiment": {"title": "t"}, "start": "2026-11-22T01:00:00", "end": "2026-11-22T01:00:09"}"#
        try Run.write(Array(journal.utf8), to: dir + "/journal.json")

        let run = try Run.barrage(["chaos", "report", dir + "/journal.json", dir + "/r.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutText.contains("3 of 8 (37.5 %)"))
        #expect(run.stdoutText.contains("3 of them answered 200 with an <code>error</code> member in the body"))
        let data = try PageData(page: run.stdoutText)
        #expect(data.count(kind: "ERROR") == 3)
        #expect(data.count(kind: "OK") == 5)

        let off = try Run.barrage(["chaos", "report", "--body-error-key=", dir + "/journal.json", dir + "/r.json"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try PageData(page: off.stdoutText).count(kind: "ERROR") == 0)
        #expect(off.stdoutText.contains("0 of 8 (0 %)"))
    }
}

/// Journals nobody should write, which must still give a page (or one clear line), never a crash or a hang.
@Suite("chaos report: hostile journals")
struct HostileJournalTests {
    @Test("times outside 1900-2200, a journal naming /dev/zero as results, a huge name and error")
    func hostile() throws {
        let dir = try Run.temporaryDirectory()
        let huge = String(repeating: "n", count: 100_000)
        let journal = """
            {"experiment": {"title": "t"}, "start": "1677-09-21T00:12:44", "end": "2300-01-01T00:00:00",
             "run": [{"activity": {"name": "\(huge)", "type": "action", "provider": {"type": "process",
               "path": "vegeta", "arguments": "attack -duration=1s -output=/dev/zero"}},
               "status": "failed", "start": "1677-09-21T00:12:44", "end": "1677-09-21T00:12:45",
               "exception": ["Traceback", "\(huge)"]}]}
            """
        try Run.write(Array(journal.utf8), to: dir + "/journal.json")
        let run = try Run.barrage(["chaos", "report", dir + "/journal.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("/dev/zero: not a regular file (named by activity"))
        #expect(run.stdoutText.contains("…(truncated)"))
        #expect(!run.stdoutText.contains(String(repeating: "n", count: 700)), "names and errors are cut")
    }
}
