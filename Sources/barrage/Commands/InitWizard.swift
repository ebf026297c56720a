import BarrageCore
import Foundation

/// The questions `chaos init` asks, with click's prompt rules: a prompt repeats on empty input unless it has a
/// default, a value that does not convert prints `Error: …` and asks again, a confirmation takes y/yes/n/no
/// (empty is no), and the end of input aborts.
struct InitWizard {
    /// The end of input inside a prompt (click's `Abort`).
    struct Abort: Error {}

    /// Where the Chaos Toolkit would stop with a Python exception (a missing key, an index past the list, a
    /// parameter type click cannot build from text).
    struct Crash: Error { var message: String }

    /// Colour codes on standard output and standard error (click strips them when the stream is no terminal).
    var color: Bool
    var errorColor: Bool

    private func styled(_ text: String, _ code: String, on: Bool) -> String {
        on ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }
    private func say(_ text: String, _ code: String) { Output.stdout(styled(text, code, on: color) + "\n") }
    private func blue(_ text: String) { say(text, "34") }

    /// `click.prompt`: the converted answer, or the default when the answer is empty.
    private func prompt(
        _ text: String, _ code: String, default fallback: JSON? = nil, convert: (JSON) -> Result<JSON, Crash>
    ) throws -> JSON {
        var shown = styled(text, code, on: color)
        if let fallback { shown += " [\(fallback.pythonString)]" }
        shown += ": "
        while true {
            var value: JSON
            while true {
                Output.stdout(shown)
                guard let line = readLine(strippingNewline: true) else { throw Abort() }
                if !line.isEmpty {
                    value = .string(line)
                    break
                }
                if let fallback {
                    value = fallback
                    break
                }
            }
            switch convert(value) {
            case .success(let v): return v
            case .failure(let problem): Output.stdout("Error: \(problem.message)\n")
            }
        }
    }

    /// `click.confirm` with its default of no.
    private func confirm(_ text: String) throws -> Bool {
        let shown = styled(text, "2", on: color) + " [y/N]: "
        while true {
            Output.stdout(shown)
            guard let line = readLine(strippingNewline: true) else { throw Abort() }
            switch line.lowercased().trimmingCharacters(in: .whitespaces) {
            case "y", "yes": return true
            case "n", "no", "": return false
            default: Output.stdout("Error: invalid input\n")
            }
        }
    }

    /// Asks every question and returns the experiment.
    ///
    /// - Throws: `Abort` at the end of input, `Crash` where the Chaos Toolkit would raise.
    mutating func experiment(discovery: JSON?) throws -> JSON {
        blue(
            """
            You are about to create an experiment.
            This wizard will walk you through each step so that you can build
            the best experiment for your needs.

            An experiment is made up of three elements:
            - a steady-state hypothesis [OPTIONAL]
            - an experimental method
            - a set of rollback activities [OPTIONAL]

            Only the method is required. Also your experiment will
            not run unless you define at least one activity (probe or action)
            within it
            """)
        if discovery == nil { Output.stdout("No discovery was found, let's create an empty experiment\n") }
        // Python's truth: an empty document counts as no discovery.
        let found = discovery.flatMap { d -> JSON? in d.isTruthy ? d : nil }
        var experiment = JSON.object([
            .init("title", .string("")), .init("description", .string("N/A")), .init("tags", .array([])),
        ])
        experiment["title"] = try prompt("Experiment's title", "32", convert: InitTypes.string)
        blue(
            """

            A steady state hypothesis defines what 'normality' looks like in your system
            The steady state hypothesis is a collection of conditions that are used,
            at the beginning of an experiment, to decide if the system is in a recognised
            'normal' state. The steady state conditions are then used again when your experiment
             is complete to detect where your system may have deviated in an interesting,
            weakness-detecting way

            Initially you may not know what your steady state hypothesis is
            and so instead you might create an experiment without one
            This is why the stead state hypothesis is optional.
            """)
        if try confirm("Do you want to define a steady state hypothesis now?") {
            var hypothesis = JSON.object([])
            hypothesis["title"] = try prompt("Hypothesis's title", "32", convert: InitTypes.string)
            var probes: [JSON] = []
            if let found {
                let choices = try activities(found).filter { $0["type"]?.string == "probe" }
                blue("\nYou may now define probes that will determine\nthe steady-state of your system.")
                try add(choices, to: &probes, withTolerance: true)
            }
            hypothesis["probes"] = .array(probes)
            experiment["steady-state-hypothesis"] = hypothesis
        }
        guard let found else { return experiment }
        var method: [JSON] = []
        experiment["method"] = .array([])
        blue(
            """

            An experiment's method contains actions and probes. Actions
            vary real-world events in your system to determine if your
            steady-state hypothesis is maintained when those events occur.

            An experimental method can also contain probes to gather additional
            information about your system as your method is executed.
            """)
        if try confirm("Do you want to define an experimental method?") {
            try add(activities(found), to: &method)
            experiment["method"] = .array(method)
        }
        blue(
            "\nAn experiment may optionally define a set of remedial actions\nthat are used to rollback the system to a given state."
        )
        if try confirm("Do you want to add some rollbacks now?") {
            var rollbacks: [JSON] = []
            try add(activities(found).filter { $0["type"]?.string == "action" }, to: &rollbacks)
            experiment["rollbacks"] = .array(rollbacks)
        }
        return experiment
    }

    private func activities(_ discovery: JSON) throws(Crash) -> [JSON] {
        guard let list = discovery["activities"]?.array else {
            throw Crash(message: "the discovery has no 'activities' list")
        }
        for a in list where a["name"] == nil || a["type"] == nil {
            throw Crash(message: "a discovered activity has no 'name' or 'type'")
        }
        return list
    }

    /// chaostoolkit's `add_activities`, recursion and all (declining an activity and then picking another still
    /// adds the declined one afterwards, as the Chaos Toolkit does).
    private func add(_ choices: [JSON], to pool: inout [JSON], withTolerance: Bool = false) throws {
        say("Add an activity", "32")
        Output.stdout(
            choices.enumerated().map { "\($0.offset + 1)) \($0.element["name"]?.pythonString ?? "")" }
                .joined(separator: "\n") + "\n")
        guard case .int(let picked) = try prompt("Activity (0 to escape)", "32", convert: InitTypes.integer),
            picked != 0
        else { return }
        var index = picked - 1
        if index > choices.count {
            Output.stderr(styled("Please pick up a valid activity", "31", on: errorColor) + "\n")
            try add(choices, to: &pool)
            return
        }
        if index < 0 { index += choices.count }
        guard choices.indices.contains(index) else { throw Crash(message: "list index out of range") }
        let selected = choices[index]
        if let doc = selected["doc"], doc.isTruthy { blue("\n" + doc.pythonString) }
        let kind = selected["type"]?.pythonString ?? ""
        if !(try confirm("Do you want to use this \(kind)?")) {
            if !(try confirm("Do you want to select another activity?")) { return }
            try add(choices, to: &pool)
        }
        var activity = JSON.object([
            .init("type", selected["type"] ?? .null), .init("name", selected["name"] ?? .null),
            .init("provider", .null),
        ])
        if withTolerance {
            blue(
                "\nA steady-state probe requires a tolerance value, within which\nyour system is in a recognised `normal` state.\n"
            )
            activity["tolerance"] = try prompt("What is the tolerance for this probe?", "32", convert: InitTypes.string)
        }
        guard let module = selected["mod"] else { throw Crash(message: "KeyError: 'mod'") }
        var arguments = JSON.object([])
        blue(
            """

            You now need to fill the arguments for this activity. Default
            values will be shown between brackets. You may simply press return
            to use it or not set any value.
            """)
        for arg in selected["arguments"]?.array ?? [] {
            guard let name = arg["name"]?.pythonString else { throw Crash(message: "KeyError: 'name'") }
            if name == "secrets" || name == "configuration" { continue }
            let declared = arg["default"]
            let fallback = declared.map { $0.isNull ? JSON.string("") : $0 }
            guard let typeName = arg["type"]?.pythonString else { throw Crash(message: "KeyError: 'type'") }
            let convert = try InitTypes.converter(typeName, default: fallback)
            var value = try prompt("Argument's value for '\(name)'", "33", default: fallback, convert: convert)
            if declared?.isNull == true, value == .string("") { value = .null }
            arguments[name] = value
        }
        activity["provider"] = .object([
            .init("type", .string("python")), .init("module", module), .init("func", selected["name"] ?? .null),
            .init("arguments", arguments),
        ])
        pool.append(activity)
        if !(try confirm("Do you want to select another activity?")) { return }
        try add(choices, to: &pool)
    }
}
