import BarrageCore
import ChaosGlue
import Foundation

/// `barrage chaos` (and a link named `chaos`): the Chaos Toolkit CLI's `run` and `validate`, with its global options.
/// Options are click-style (`--journal-path x`, `--journal-path=x`, repeatable `--var k=v`).
enum ChaosCommand {
    /// One option of a click command: its name, whether it takes a value, and whether it repeats.
    struct Option {
        var name: String
        /// A one-letter alias (`-o`), taking its value as the next argument or attached (`-ofile`).
        var short: String? = nil
        var takesValue: Bool
        var choices: [String]? = nil
        var help: String

        /// An option without a value (`--verbose`).
        static func flag(_ name: String, _ help: String) -> Option { Option(name: name, takesValue: false, help: help) }

        /// An option taking a value, maybe one of `choices`.
        static func value(_ name: String, _ help: String, choices: [String]? = nil) -> Option {
            Option(name: name, takesValue: true, choices: choices, help: help)
        }
    }

    struct Parsed {
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
        func last(_ name: String) -> String? { values[name]?.last }
    }

    struct UsageError: Error { var message: String }

    static let globalOptions: [Option] = [
        .flag("--version", "Show the version and exit."),
        .flag("--verbose", "Display debug level traces."),
        .flag("--no-version-check", "Do not search for an updated version."),
        .value("--change-dir", "Change directory before running experiment."),
        .flag("--no-log-file", "Disable logging to file entirely."),
        // Where output files go (a device or FIFO is written into, never replaced): docs/safety.md.
        .value("--log-file", "File path where to write the command's log. [default: chaostoolkit.log]"),
        .value(
            "--log-file-level", "File logging level. [default: debug]", choices: ["debug", "info", "warning", "error"]),
        .value("--log-format", "Console logging format: string, json.", choices: ["string", "json"]),
        .value("--settings", "Path to the settings file. [default: ~/.chaostoolkit/settings.yaml]"),
        .flag("--help", "Show this message and exit."),
    ]

    static let runOptions: [Option] = [
        .value("--journal-path", "Path where to save the journal from the execution. [default: ./journal.json]"),
        .value(
            "--dry", "Run the experiment without executing the chosen strategy.",
            choices: ["probes", "actions", "activities", "pause"]),
        .flag("--no-validation", "Do not validate the experiment before running."),
        .flag("--no-verify-tls", "Do not verify TLS certificate."),
        .value(
            "--rollback-strategy",
            "Rollback runtime strategy. Default is to never play them on interruption or failed hypothesis.",
            choices: ["default", "always", "never", "deviated"]),
        Option(
            name: "--var", takesValue: true,
            help:
                "Specify substitution values for configuration only. Can be provided multiple times. The pattern must be key=value or key:type=value. In that latter case, the value will be casted as the specified type. Supported types are: int, float, bytes, bool, json, str."
        ),
        Option(
            name: "--var-file", takesValue: true,
            help:
                "Specify files that contain configuration and secret substitution values. Either as a json/yaml payload or as a .env file. Can be provided multiple times."
        ),
        Option(
            name: "--control-file", takesValue: true,
            help:
                "Control files (json/yaml mapping of name to control), loaded as global controls. Can be provided multiple times."
        ),
        Option(
            name: "--hypothesis-strategy", takesValue: true,
            choices: [
                "default", "before-method-only", "after-method-only", "during-method-only", "continuously",
                "continously",
            ], help: "Strategy to execute the hypothesis during the run."),
        Option(
            name: "--hypothesis-frequency", takesValue: true,
            help:
                "Pace at which running the hypothesis. Only applied when strategy is either: during-method-only or continuously"
        ),
        Option(
            name: "--fail-fast", takesValue: false,
            help:
                "When running in the during-method-only or continuous strategies, indicate the hypothesis can fail the experiment as soon as it deviates once."
        ),
        .flag(
            "--external-vegeta",
            "Run `vegeta`/`barrage` process paths from PATH instead of barrage's built-in attacker."),
        .flag("--help", "Show this message and exit."),
    ]

    static let validateOptions: [Option] = [
        .flag("--no-verify-tls", "Do not verify TLS certificate."),
        .flag("--external-vegeta", "Resolve `vegeta`/`barrage` process paths from PATH."),
        .flag("--help", "Show this message and exit."),
    ]

    /// Parses click-style options; `stopAtCommand` stops at the first positional (for the global group).
    static func parse(_ args: [String], _ options: [Option], stopAtCommand: Bool) throws(UsageError) -> (
        Parsed, [String]
    ) {
        var parsed = Parsed()
        var i = 0
        while i < args.count {
            let arg = args[i]
            if arg == "--" {
                parsed.positionals += args[(i + 1)...]
                break
            }
            if arg.hasPrefix("--") {
                var name = arg
                var inline: String?
                if let eq = arg.firstIndex(of: "=") {
                    name = String(arg[..<eq])
                    inline = String(arg[arg.index(after: eq)...])
                }
                guard let option = options.first(where: { $0.name == name }) else {
                    throw UsageError(message: "No such option: \(name)")
                }
                if option.takesValue {
                    var value: String
                    if let inline {
                        value = inline
                    } else {
                        guard i + 1 < args.count else {
                            throw UsageError(message: "Option '\(name)' requires an argument.")
                        }
                        i += 1
                        value = args[i]
                    }
                    if let choices = option.choices, !choices.contains(value) {
                        let list = choices.map { "'\($0)'" }.joined(separator: ", ")
                        throw UsageError(message: "Invalid value for '\(name)': '\(value)' is not one of \(list).")
                    }
                    parsed.values[name, default: []].append(value)
                } else {
                    if inline != nil { throw UsageError(message: "Option '\(name)' does not take a value.") }
                    parsed.flags.insert(name)
                }
            } else if let option = options.first(where: { o in o.short.map { arg.hasPrefix($0) } ?? false }),
                let short = option.short
            {
                if arg.count > short.count {
                    parsed.values[option.name, default: []].append(String(arg.dropFirst(short.count)))
                } else {
                    guard i + 1 < args.count else { throw UsageError(message: "Option '\(arg)' requires an argument.") }
                    i += 1
                    parsed.values[option.name, default: []].append(args[i])
                }
            } else if arg == "-h", options.contains(where: { $0.name == "--help" }) {
                parsed.flags.insert("--help")
            } else if arg.hasPrefix("-"), arg.count > 1 {
                throw UsageError(message: "No such option: \(arg)")
            } else {
                if stopAtCommand { return (parsed, Array(args[i...])) }
                parsed.positionals.append(arg)
            }
            i += 1
        }
        return (parsed, [])
    }

    static func usageFailure(_ usage: String, _ tryHelp: String, _ message: String) -> Int32 {
        Output.stderr("Usage: \(usage)\nTry '\(tryHelp) --help' for help.\n\nError: \(message)\n")
        return 2
    }

    static func help(_ usage: String, _ summary: String, _ options: [Option], commands: [(String, String)] = [])
        -> String
    {
        var text = "Usage: \(usage)\n\n  \(summary)\n\nOptions:\n"
        for o in options {
            let left =
                "  " + o.name
                + (o.takesValue ? (o.choices.map { " [" + $0.joined(separator: "|") + "]" } ?? " TEXT") : "")
            text += left + String(repeating: " ", count: max(2, 34 - left.count)) + o.help + "\n"
        }
        if !commands.isEmpty {
            text += "\nCommands:\n"
            for (n, s) in commands { text += "  \(n)" + String(repeating: " ", count: max(2, 12 - n.count)) + "\(s)\n" }
        }
        return text
    }

    static func run(_ arguments: [String]) async -> Int32 {
        let global: Parsed
        let rest: [String]
        do {
            (global, rest) = try parse(arguments, globalOptions, stopAtCommand: true)
        } catch {
            return usageFailure("chaos [OPTIONS] COMMAND [ARGS]...", "chaos", error.message)
        }
        if global.flags.contains("--version") {
            // The Chaos Toolkit's line (scripts read the version after "version "), then what really answers.
            Output.stdout("chaos, version 1.19.0 (barrage \(BuildInfo.version))\n")
            return 0
        }
        let commandsHelp = [
            ("discover", "Discover capabilities and experiments."),
            ("info", "Display information about the Chaos Toolkit environment."),
            ("init", "Initialize a new experiment from discovered capabilities."),
            ("report", "Draw the journal over its attack as one HTML page."),
            ("run", "Run the experiment loaded from SOURCE, either a local file or a..."),
            ("settings", "Read, write or remove from your settings file."),
            ("validate", "Validate the experiment at PATH."),
        ]
        if global.flags.contains("--help") || rest.isEmpty {
            Output.stdout(
                help(
                    "chaos [OPTIONS] COMMAND [ARGS]...", "Chaos Toolkit compatible runner (barrage).", globalOptions,
                    commands: commandsHelp))
            return rest.isEmpty && !global.flags.contains("--help") ? 2 : 0
        }
        // The report reads files and writes a page: no log file, no settings.
        if rest[0] == "report" { return ChaosReportCommand.run(Array(rest.dropFirst())) }
        let format: ChaosLog.Format = global.last("--log-format") == "json" ? .json : .string
        let fileLevel: ChaosLog.Level
        switch global.last("--log-file-level") {
        case "info": fileLevel = .info
        case "warning": fileLevel = .warning
        case "error": fileLevel = .error
        default: fileLevel = .debug
        }
        let logFile = global.flags.contains("--no-log-file") ? nil : (global.last("--log-file") ?? "chaostoolkit.log")
        let log = ChaosLog(
            verbose: global.flags.contains("--verbose"), format: format, logFile: logFile, fileLevel: fileLevel)
        if let problem = log.logFileProblem {
            log.error("cannot write the log file: " + problem)
            return 1
        }
        if let dir = global.last("--change-dir") {
            log.warning("Moving to \(dir)", at: .init("__init__", 112))
            guard FileManager.default.changeCurrentDirectoryPath(dir) else {
                log.error("cannot change directory to \(dir)")
                return 1
            }
        }
        let settingsPath = global.last("--settings") ?? (NSHomeDirectory() + "/.chaostoolkit/settings.yaml")
        var settings = JSON.object([])
        if FileManager.default.fileExists(atPath: settingsPath) {
            do {
                settings = try ExperimentLoader.loadFile(settingsPath)
            } catch {
                log.error(error.description)
                return 1
            }
        }
        let command = rest[0]
        let args = Array(rest.dropFirst())
        switch command {
        case "run": return runCommand(args, log: log, settings: settings)
        case "validate": return validateCommand(args, log: log)
        case "discover": return ChaosDiscoverCommand.run(args, log: log)
        case "init": return ChaosInitCommand.run(args)
        case "info": return ChaosSettingsCommand.info(args, settingsPath: settingsPath)
        case "settings": return ChaosSettingsCommand.settings(args, settingsPath: settingsPath)
        default:
            return usageFailure("chaos [OPTIONS] COMMAND [ARGS]...", "chaos", "No such command '\(command)'.")
        }
    }

    /// Parses a subcommand's options and its one SOURCE argument: the parsed options, or the exit status when
    /// the command is done (help printed, or a click-style usage error).
    static func parseSource(_ args: [String], _ options: [Option], name: String, summary: String) -> (Parsed?, Int32) {
        let usage = "\(name) [OPTIONS] SOURCE"
        let parsed: Parsed
        do {
            (parsed, _) = try parse(args, options, stopAtCommand: false)
        } catch {
            return (nil, usageFailure(usage, name, error.message))
        }
        if parsed.flags.contains("--help") {
            Output.stdout(help(usage, summary, options))
            return (nil, 0)
        }
        guard parsed.positionals.count == 1 else {
            return (
                nil,
                usageFailure(
                    usage, name,
                    parsed.positionals.isEmpty
                        ? "Missing argument 'SOURCE'." : "Got unexpected extra argument (\(parsed.positionals[1]))")
            )
        }
        return (parsed, 0)
    }

    static func validateCommand(_ args: [String], log: ChaosLog) -> Int32 {
        let (result, status) = parseSource(
            args, validateOptions, name: "chaos validate", summary: "Validate the experiment at SOURCE.")
        guard let parsed = result else { return status }
        do {
            let experiment = try ExperimentLoader.load(
                source: parsed.positionals[0], verifyTLS: !parsed.flags.contains("--no-verify-tls"))
            // Signals are caught as during `chaos run` (one does not stop a validation half-way).
            _ = SignalWatch.install()
            try ExperimentShape.checkActivityCache(experiment)
            log.info("Validating the experiment's syntax", at: .init("experiment", 59))
            let validator = Validator(externalVegeta: parsed.flags.contains("--external-vegeta"), log: log)
            try validator.validate(experiment)
            log.info("Experiment looks valid", at: .init("experiment", 112))
            log.info("experiment syntax and semantic look valid", at: .init("validate", 43))
            return 0
        } catch {
            log.error(error.description)
            return 1
        }
    }

    static func runCommand(_ args: [String], log: ChaosLog, settings: JSON) -> Int32 {
        let (result, status) = parseSource(
            args, runOptions, name: "chaos run",
            summary: "Run the experiment loaded from SOURCE, either a local file or a HTTP resource.")
        guard let parsed = result else { return status }
        var options = RunOptions()
        options.dry = parsed.last("--dry").flatMap(DryMode.init(rawValue:))
        options.rollbackStrategy = parsed.last("--rollback-strategy")
        options.hypothesisStrategy = parsed.last("--hypothesis-strategy")
        options.failFast = parsed.flags.contains("--fail-fast")
        options.externalVegeta = parsed.flags.contains("--external-vegeta")
        options.settings = settings
        if let f = parsed.last("--hypothesis-frequency") {
            guard let v = Double(f), v.isFinite, v >= 0 else {
                return usageFailure(
                    "chaos run [OPTIONS] SOURCE", "chaos run",
                    "Invalid value for '--hypothesis-frequency': '\(f)' is not a valid float.")
            }
            options.hypothesisFrequency = v
        }
        let signals = SignalWatch.install()
        do {
            for file in parsed.values["--var-file"] ?? [] {
                let lower = file.lowercased()
                if lower.hasSuffix(".json") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
                    let content = try ExperimentLoader.loadFile(file)
                    for m in content["configuration"]?.members ?? [] { options.fileConfiguration[m.key] = m.value }
                    for m in content["secrets"]?.members ?? [] { options.fileSecrets[m.key] = m.value }
                } else {
                    try loadDotEnv(file)
                }
            }
            for file in parsed.values["--control-file"] ?? [] {
                for m in try ExperimentLoader.loadFile(file).members ?? [] { options.controlFiles[m.key] = m.value }
            }
            for v in parsed.values["--var"] ?? [] {
                switch ConfigVar.parse(v) {
                case .success(let cv): options.vars[cv.key] = cv.value
                case .failure(let e): throw e
                }
            }
            let experiment = try ExperimentLoader.load(
                source: parsed.positionals[0], settings: settings, verifyTLS: !parsed.flags.contains("--no-verify-tls"))
            let runner = ExperimentRunner(experiment: experiment, options: options, log: log, signals: signals)
            try ExperimentShape.checkActivityCache(experiment)
            if !parsed.flags.contains("--no-validation") {
                log.info("Validating the experiment's syntax", at: .init("experiment", 59))
                try runner.validate()
                log.info("Experiment looks valid", at: .init("experiment", 112))
            }
            let (journal, code) = try runner.run()
            try JournalFile.write(journal, to: parsed.last("--journal-path") ?? "./journal.json")
            return code
        } catch let error as ChaosError {
            log.error(error.description)
            return 1
        } catch {
            log.error("\(error)")
            return 1
        }
    }

    /// A `.env` var file: `KEY=VALUE` lines (`#` comments) put into the environment before the experiment loads.
    static func loadDotEnv(_ path: String) throws(ChaosError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid("Path \"\(path)\" does not exist.")
        }
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            setenv(key, value, 1)
        }
    }
}
