import BarrageCore
import Foundation

/// One run record of the journal, as the report draws it: a hypothesis probe (before, during, after), a method
/// activity or a rollback.
public struct JournalActivity: Sendable, Equatable {
    /// Where it ran: `before`, `during`, `after` (steady-state hypothesis), `method` or `rollback`.
    public var phase: String
    /// `action` or `probe`.
    public var type: String
    /// The activity's name.
    public var name: String
    /// `succeeded`, `failed`, or empty when the record has none (aborted or interrupted activity).
    public var status: String
    /// True when the activity ran in the background.
    public var background: Bool
    /// Unix nanoseconds of the record's start and end (nil when missing or unreadable).
    public var start: Int64?
    public var end: Int64?
    /// Pauses in seconds before the start and after the end (0 when none, or given as a variable).
    public var pauseBefore: Double
    public var pauseAfter: Double
    /// A hypothesis probe's `tolerance_met`; nil elsewhere.
    public var toleranceMet: Bool?
    /// The failure's message (last line of the recorded exception), empty when none.
    public var error: String
    /// The output, summarised and truncated.
    public var output: String
    /// What ran: provider type and its target (command line, URL, function).
    public var provider: String

    /// Output summaries are cut at this many characters.
    static let outputLimit = 600
    /// The most characters of an activity name kept (the timeline shows far fewer).
    static let nameLimit = 200

    init(record: JSON, phase: String) {
        self.phase = phase
        let activity = record["activity"] ?? .null
        type = activity["type"]?.string ?? "activity"
        name = Self.cut(activity["name"]?.string ?? "(unnamed)", Self.nameLimit)
        status = record["status"]?.string ?? ""
        background = activity["background"]?.isTruthy ?? false
        start = record["start"]?.string.flatMap(JournalTime.unixNanoseconds)
        end = record["end"]?.string.flatMap(JournalTime.unixNanoseconds)
        pauseBefore = Self.pause(activity["pauses"]?["before"])
        pauseAfter = Self.pause(activity["pauses"]?["after"])
        if case .bool(let met) = record["tolerance_met"] ?? .null { toleranceMet = met } else { toleranceMet = nil }
        error = ""
        if let lines = record["exception"]?.array, let last = lines.last?.string {
            error = Self.cut(last.trimmingCharacters(in: .whitespacesAndNewlines), Self.outputLimit)
        }
        output = Self.summary(record["output"] ?? .null)
        provider = Self.cut(Self.describe(activity["provider"] ?? .null), Self.outputLimit)
    }

    /// A pause in seconds: a number from 0 to a year, else 0 (a `${var}` string, or a value no run could have).
    static func pause(_ value: JSON?) -> Double {
        guard let v = value?.number, v.isFinite, v > 0, v < 366 * 86_400 else { return 0 }
        return v
    }

    /// A short, readable form of an activity's output.
    static func summary(_ output: JSON) -> String {
        var text: String
        if output.isNull {
            text = ""
        } else if let status = output["status"], status.number != nil,
            output["stdout"] != nil || output["stderr"] != nil
        {
            text = "exit status \(status.pythonString)"
            for key in ["stdout", "stderr"] {
                if let s = output[key]?.string, !s.isEmpty { text += "\n\(key): \(s)" }
            }
        } else if let status = output["status"], status.number != nil,
            output["headers"] != nil || output["body"] != nil
        {
            text = "HTTP \(status.pythonString)"
            if let body = output["body"] {
                text += "\n" + (body.string ?? body.pythonDumps(indent: 2))
            }
        } else {
            text = output.string ?? output.pythonDumps(indent: 2)
        }
        return cut(text, outputLimit)
    }

    /// `text`, cut to `limit` characters with a mark when longer (journal strings can hold whole HTTP bodies).
    static func cut(_ text: String, _ limit: Int) -> String {
        var i = text.startIndex
        var n = 0
        while i < text.endIndex {
            if n == limit { return String(text[..<i]) + " …(truncated)" }
            i = text.index(after: i)
            n += 1
        }
        return text
    }

    /// The provider in one line: `process: vegeta attack …`, `http: GET url`, `python: module.func`.
    static func describe(_ provider: JSON) -> String {
        let type = provider["type"]?.string ?? "?"
        switch type {
        case "process":
            return "process: "
                + ([provider["path"]?.string ?? ""] + ResultFileFinder.arguments(provider)).joined(separator: " ")
        case "http":
            let method = provider["method"]?.string ?? "GET"
            return "http: \(method) \(provider["url"]?.string ?? "")"
        case "python":
            return "python: \(provider["module"]?.string ?? "").\(provider["func"]?.string ?? "")"
        default:
            return type
        }
    }
}

extension JournalActivity {
    /// Every run record of `journal` in drawing order: hypothesis before, during, method, hypothesis after,
    /// rollbacks.
    static func all(in journal: JSON) -> [JournalActivity] {
        var out: [JournalActivity] = []
        let states = journal["steady_states"] ?? .null
        func probes(_ state: JSON?, _ phase: String) {
            for r in state?["probes"]?.array ?? [] { out.append(JournalActivity(record: r, phase: phase)) }
        }
        probes(states["before"], "before")
        for s in states["during"]?.array ?? [] { probes(s, "during") }
        for r in journal["run"]?.array ?? [] { out.append(JournalActivity(record: r, phase: "method")) }
        probes(states["after"], "after")
        for r in journal["rollbacks"]?.array ?? [] { out.append(JournalActivity(record: r, phase: "rollback")) }
        return out
    }
}
