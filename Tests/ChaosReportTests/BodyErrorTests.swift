import BarrageCore
import ChaosReport
import Encoder
import TestSupport
import Testing

/// Services that answer 200 with `{"error": ...}` (the seed labs' front) have their errors counted from the body.
@Suite("chaos report: errors in response bodies")
struct BodyErrorTests {
    @Test(
        "which bodies carry an error",
        arguments: [
            (#"{"error": "ConnectError", "value": 3}"#, "ConnectError"),
            (#"  {"value": 1, "error": {"code": 7}}"#, "{'code': 7}"),
            (#"{"error": null, "value": 3}"#, nil),
            (#"{"error": "", "value": 3}"#, nil),
            (#"{"value": 3}"#, nil),
            (#"["error"]"#, nil),
            (#"{"error": "x""#, nil),
            ("error", nil),
        ] as [(String, String?)])
    func detection(body: String, expected: String?) {
        #expect(BodyErrors(key: "error").error(in: Array(body.utf8)) == expected)
        #expect(BodyErrors(key: "").error(in: Array(body.utf8)) == nil)
        #expect(BodyErrors(key: "error").error(in: nil) == nil)
    }

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
