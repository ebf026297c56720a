import BarrageCore
import ChaosGlue
import Foundation

/// `chaos info` and `chaos settings` as chaostoolkit 1.19 has them: the same arguments, output and exit codes.
enum ChaosSettingsCommand {
    static let formatJSONYAML = ChaosCommand.Option.value("--format", "Output format.", choices: ["json", "yaml"])
    static let formatAll = ChaosCommand.Option.value("--format", "Output format.", choices: ["string", "json", "yaml"])
    static let helpOption = ChaosCommand.Option.flag("--help", "Show this message and exit.")

    /// `chaos info TARGET`.
    static func info(_ args: [String], settingsPath: String) -> Int32 {
        let usage = "chaos info [OPTIONS] TARGET"
        let (parsedOrNil, status) = parse(args, [helpOption], usage: usage, name: "chaos info", arguments: ["TARGET"])
        guard let parsed = parsedOrNil else { return status }
        if parsed.flags.contains("--help") {
            Output.stdout(
                ChaosCommand.help(usage, "Display information about the Chaos Toolkit environment.", [helpOption]))
            return 0
        }
        let target = parsed.positionals[0]
        func row(_ cells: [(String, Int)]) -> String {
            cells.map { $0.0 + String(repeating: " ", count: max(0, $0.1 - $0.0.count)) }.joined() + "\n"
        }
        switch target {
        case "core":
            Output.stdout(
                row([("NAME", 20), ("VERSION", 10)]) + row([("CLI", 20), ("1.19.0", 10)])
                    + row([("Core library", 20), ("1.44.0", 10)]))
        case "extensions":
            // barrage's native modules are not Python packages: none is listed, as in an environment without any.
            Output.stdout(row([("NAME", 40), ("VERSION", 10), ("LICENSE", 30), ("DESCRIPTION", 50)]))
        case "settings":
            guard let data = FileManager.default.contents(atPath: settingsPath), isFile(settingsPath) else {
                Output.stdout("No settings file found at \(settingsPath)\n")
                return 0
            }
            Output.stdout(String(decoding: data, as: UTF8.self) + "\n")
        default:
            return ChaosCommand.usageFailure(
                usage, "chaos info",
                "Invalid value for 'TARGET': '\(target)' is not one of 'core', 'settings', 'extensions'.")
        }
        return 0
    }

    /// `chaos settings show|get|set|remove`.
    static func settings(_ args: [String], settingsPath: String) -> Int32 {
        let usage = "chaos settings [OPTIONS] COMMAND [ARGS]..."
        let commands = [
            ("get", "Show a settings value."), ("remove", "Remove a settings key and its children."),
            ("set", "Set a settings value."), ("show", "Show the entire content of the settings file."),
        ]
        guard let command = args.first, !command.hasPrefix("-") else {
            if args.isEmpty || args.first == "--help" {
                Output.stdout(
                    ChaosCommand.help(
                        usage, "Read, write or remove from your settings file.", [helpOption], commands: commands))
                return 0
            }
            return ChaosCommand.usageFailure(usage, "chaos settings", "No such option: \(args[0])")
        }
        let rest = Array(args.dropFirst())
        switch command {
        case "show": return show(rest, settingsPath)
        case "get": return get(rest, settingsPath)
        case "set": return set(rest, settingsPath, remove: false)
        case "remove": return set(rest, settingsPath, remove: true)
        default: return ChaosCommand.usageFailure(usage, "chaos settings", "No such command '\(command)'.")
        }
    }

    private static func show(_ args: [String], _ path: String) -> Int32 {
        let usage = "chaos settings show [OPTIONS]"
        let (parsedOrNil, status) = parse(
            args, [formatJSONYAML, helpOption], usage: usage, name: "chaos settings show", arguments: [])
        guard let parsed = parsedOrNil else { return status }
        if parsed.flags.contains("--help") {
            Output.stdout(
                ChaosCommand.help(usage, "Show the entire content of the settings file.", [formatJSONYAML, helpOption]))
            return 0
        }
        guard isFile(path) else {
            // chaostoolkit calls a `click.abort` that does not exist here and crashes; one line instead.
            Output.stderr("No settings file found at \(path)\n")
            return 1
        }
        guard let settings = load(path) else { return 1 }
        Output.stdout(render(settings, parsed.last("--format") ?? "yaml") + "\n")
        return 0
    }

    private static func get(_ args: [String], _ path: String) -> Int32 {
        let usage = "chaos settings get [OPTIONS] KEY"
        let (parsedOrNil, status) = parse(
            args, [formatAll, helpOption], usage: usage, name: "chaos settings get", arguments: ["KEY"])
        guard let parsed = parsedOrNil else { return status }
        if parsed.flags.contains("--help") {
            Output.stdout(ChaosCommand.help(usage, "Show a settings value.", [formatAll, helpOption]))
            return 0
        }
        guard isFile(path), let settings = load(path),
            let steps = SettingsPath.locate(parsed.positionals[0], in: settings),
            let entry = SettingsPath.value(at: steps, in: settings)
        else { return 1 }
        Output.stdout(render(entry, parsed.last("--format") ?? "yaml") + "\n")
        return 0
    }

    private static func set(_ args: [String], _ path: String, remove: Bool) -> Int32 {
        let name = remove ? "chaos settings remove" : "chaos settings set"
        let usage = name + " [OPTIONS] KEY" + (remove ? "" : " VALUE")
        let (parsedOrNil, status) = parse(
            args, [helpOption], usage: usage, name: name, arguments: remove ? ["KEY"] : ["KEY", "VALUE"])
        guard let parsed = parsedOrNil else { return status }
        if parsed.flags.contains("--help") {
            Output.stdout(
                ChaosCommand.help(
                    usage, remove ? "Remove a settings key and its children." : "Set a settings value.", [helpOption]))
            return 0
        }
        guard isFile(path), var settings = load(path),
            let steps = SettingsPath.locate(parsed.positionals[0], in: settings)
        else { return 1 }
        if remove {
            SettingsPath.remove(at: steps, in: &settings)
        } else {
            let value: JSON
            do {
                value = try JSONParser.parse(parsed.positionals[1])
            } catch {
                Output.stderr("json.decoder.JSONDecodeError: \(error.text(.python)) (settings value)\n")
                return 1
            }
            SettingsPath.set(value, at: steps, in: &settings)
        }
        // chaoslib's save_settings makes the settings directory (one level) first: with a bare file name that is
        // `os.mkdir('')`, which fails, so the file is left as it was.
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else {
            Output.stderr("FileNotFoundError: [Errno 2] No such file or directory: ''\n")
            return 1
        }
        if !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        }
        let text = PyYAMLDump.dump(settings)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            Output.stderr("cannot write the settings file \(path)\n")
            return 1
        }
        return 0
    }

    private static func render(_ value: JSON, _ format: String) -> String {
        switch format {
        case "json": return value.pythonDumps(indent: 2, ensureASCII: true)
        case "string": return value.pythonString
        default: return PyYAMLDump.dump(value)
        }
    }

    /// The settings file as `yaml.safe_load` reads it, an empty one as `{}`.
    private static func load(_ path: String) -> JSON? {
        do {
            let settings = try ExperimentLoader.parseYAMLFile(path)
            return settings.isNull ? .object([]) : settings
        } catch {
            Output.stderr("Failed parsing YAML settings: \(error)\n")
            return nil
        }
    }

    private static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Options and exactly `arguments` positionals, click's way: the parsed options, or nil and the exit status of
    /// a usage error.
    private static func parse(
        _ args: [String], _ options: [ChaosCommand.Option], usage: String, name: String, arguments: [String]
    ) -> (ChaosCommand.Parsed?, Int32) {
        let parsed: ChaosCommand.Parsed
        do {
            (parsed, _) = try ChaosCommand.parse(args, options, stopAtCommand: false)
        } catch {
            return (nil, ChaosCommand.usageFailure(usage, name, error.message))
        }
        if parsed.flags.contains("--help") { return (parsed, 0) }
        if parsed.positionals.count < arguments.count {
            return (
                nil,
                ChaosCommand.usageFailure(usage, name, "Missing argument '\(arguments[parsed.positionals.count])'.")
            )
        }
        if parsed.positionals.count > arguments.count {
            return (
                nil,
                ChaosCommand.usageFailure(
                    usage, name, "Got unexpected extra argument (\(parsed.positionals[arguments.count]))")
            )
        }
        return (parsed, 0)
    }
}
