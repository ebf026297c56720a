import BarrageCore
import Encoder
import Foundation
import TestSupport

/// A real experiment run once for the whole suite: the test server on 127.0.0.1 (`--broken-if`), `barrage chaos
/// run` on an experiment whose method attacks it in the background (`barrage attack -output=results.bin`), breaks it
/// (creates the file the server checks), pauses, probes it and repairs it; a rollback makes sure it is repaired.
struct Lab: Sendable {
    /// The directory holding experiment.json, journal.json, results.bin and targets.txt.
    let directory: String
    /// `barrage chaos run`'s exit status and stderr.
    let runStatus: Int32
    let runLog: String

    var journal: String { directory + "/journal.json" }
    var results: String { directory + "/results.bin" }

    /// The suite's one run (made on first use; the error when it could not be made).
    static let shared: Swift.Result<Lab, LabError> = {
        do {
            return .success(try Lab.make())
        } catch let error as LabError {
            return .failure(error)
        } catch {
            return .failure(LabError(message: "\(error)"))
        }
    }()

    struct LabError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func get() throws -> Lab { try shared.get() }

    private static func make() throws -> Lab {
        let dir = try Run.temporaryDirectory()
        // Stopped when this function returns, whatever happens below.
        guard let server = TestServer(extra: ["--broken-if", dir + "/broken"]) else {
            throw LabError(message: "the test server did not start")
        }
        defer { withExtendedLifetime(server) {} }
        let port = server.port
        try Run.write(Array("GET http://127.0.0.1:\(port)/\n".utf8), to: dir + "/targets.txt")
        try Run.write(Array(experiment(port: port).utf8), to: dir + "/experiment.json")
        let run = try Run.barrage(
            ["chaos", "--no-log-file", "run", "--journal-path", "journal.json", "experiment.json"],
            currentDirectory: dir)
        return Lab(directory: dir, runStatus: run.status, runLog: run.stderr)
    }

    /// The experiment: about 3 s of load at 40/s, broken from ~0.8 s to ~2 s.
    static func experiment(port: Int) -> String {
        """
        {
          "title": "The service recovers when the broken flag is removed",
          "description": "Load the service, break it for a while, repair it: errors only in between.",
          "configuration": {"url": "http://127.0.0.1:\(port)/"},
          "steady-state-hypothesis": {
            "title": "The service answers 200",
            "probes": [{"type": "probe", "name": "service-answers-200", "tolerance": 200,
                        "provider": {"type": "http", "url": "${url}", "timeout": 3}}]
          },
          "method": [
            {"type": "action", "name": "attack-the-service", "background": true,
             "provider": {"type": "process", "path": "barrage",
                          "arguments": "attack -targets=targets.txt -rate=40 -duration=3s -timeout=2s -output=results.bin"}},
            {"type": "action", "name": "break-the-service", "pauses": {"before": 0.8, "after": 1.2},
             "provider": {"type": "process", "path": "touch", "arguments": ["broken"]}},
            {"type": "probe", "name": "service-is-broken",
             "provider": {"type": "http", "url": "${url}", "timeout": 3}},
            {"type": "action", "name": "repair-the-service",
             "provider": {"type": "process", "path": "rm", "arguments": ["-f", "broken"]}}
          ],
          "rollbacks": [
            {"type": "action", "name": "make-sure-it-is-repaired",
             "provider": {"type": "process", "path": "rm", "arguments": ["-f", "broken"]}}
          ]
        }
        """
    }

    /// The number of results in a result file, and how many carry an error.
    static func count(_ path: String) throws -> (all: Int, errors: Int) {
        var reader = try ResultReader(paths: [path])
        var all = 0
        var errors = 0
        while let r = reader.next() {
            all += 1
            if !r.error.isEmpty { errors += 1 }
        }
        return (all, errors)
    }
}

/// The data a report page embeds (`<script id="report-data">`), parsed.
struct PageData {
    let json: JSON

    init(page: String) throws {
        let open = "<script id=\"report-data\" type=\"application/json\">"
        guard let start = page.range(of: open),
            let end = page.range(of: "</script>", range: start.upperBound..<page.endIndex)
        else { throw Lab.LabError(message: "no report data in the page") }
        json = try JSONParser.parse(String(page[start.upperBound..<end.lowerBound]))
    }

    var activities: [JSON] { json["activities"]?.array ?? [] }
    var series: [JSON] { json["series"]?.array ?? [] }

    func activity(_ name: String) -> JSON? { activities.first { $0["name"]?.string == name } }

    /// Results per kind (OK / ERROR) over every series.
    func count(kind: String) -> Int {
        series.filter { $0["kind"]?.string == kind }.reduce(0) { $0 + Int($1["count"]?.number ?? 0) }
    }

    /// Every plotted time of a kind.
    func times(kind: String) -> [Double] {
        series.filter { $0["kind"]?.string == kind }.flatMap { ($0["x"]?.array ?? []).compactMap(\.number) }
    }
}
