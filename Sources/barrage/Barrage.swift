import GoFlags

#if canImport(Glibc)
    import Glibc
#endif

/// The executable: picks a command from argv and hands it the rest. No logic beyond parsing and wiring.
///
/// Invoked through a link named `vegeta` it is plain barrage (the vegeta commands are ours); through a link
/// named `chaos` it behaves as `barrage chaos`.
@main
enum Barrage {
    /// A vegeta-style command: takes its arguments (after the command name), returns the exit status.
    typealias Command = (name: String, summary: String, run: @Sendable ([String]) async -> Int32)

    static let commands: [Command] = [
        ("encode", "Encode results to JSON, CSV or gob", EncodeCommand.run),
        ("report", "Report on results: text, json, hist, hdrplot", ReportCommand.run),
        ("plot", "Plot the latencies as an HTML page", PlotCommand.run),
        ("attack", "Send HTTP requests at a steady rate and write results", AttackCommand.run),
        ("chaos", "Run Chaos Toolkit experiments", ChaosCommand.run),
    ]

    /// Commands run on the main thread (this function's actor, and command closures inherit it), so a command's
    /// `SignalWatcher` blocks its signals on the thread that would otherwise take their default action; the threads
    /// the commands start (`OSThread`, Dispatch's workers) block them already. A command that watches signals must
    /// not suspend: once this function suspends, Dispatch parks the main thread in `sigsuspend` with no signal
    /// blocked, and a watched signal would end the process there (so `attack` blocks in `Attack.runBlocking`).
    static func main() async {
        let argv = CommandLine.arguments
        let invokedAs = argv.first.map { String($0.split(separator: "/").last ?? "") } ?? "barrage"
        var args = Array(argv.dropFirst())
        if invokedAs == "chaos" { args.insert("chaos", at: 0) }
        exit(await run(args, invokedAs: invokedAs))
    }

    /// Runs a whole command line (without argv[0]); returns the exit status.
    ///
    /// - Parameter invokedAs: the name the binary was started as; `vegeta` prints vegeta's `-version` text.
    static func run(_ arguments: [String], invokedAs: String = "barrage") async -> Int32 {
        let global = GoFlagSet(name: "barrage", header: usageHeader)
        let cpus = global.int("cpus", Int64(sysconf(Int32(_SC_NPROCESSORS_ONLN))), "Number of CPUs to use")
        let version = global.bool("version", false, "Print version and exit")
        _ = global.string(
            "profile", "", "Accepted for vegeta compatibility; Go profiles do not exist here, so it is ignored")
        let rest: [String]
        do {
            rest = try global.parse(arguments)
        } catch {
            return ExitStatus.flagFailure(error, global)
        }
        if version.value {
            Output.stdout(invokedAs == "vegeta" ? vegetaVersionText : versionText)
            return 0
        }
        if cpus.value > 0 { Settings.cpus = Int(cpus.value) }
        guard let name = rest.first else {
            Output.stderr(global.usageText)
            return 1
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            if name == "dump" {
                return ExitStatus.fatal("vegeta dump has been deprecated and succeeded by the vegeta encode command")
            }
            Output.stderr("unknown command: \(name)\n" + global.usageText)
            return 1
        }
        return await command.run(Array(rest.dropFirst()))
    }

    static var usageHeader: String {
        var text = "Usage: barrage [global flags] <command> [command flags]\n\ncommands:\n"
        for command in commands {
            text +=
                "  \(command.name)\(String(repeating: " ", count: max(1, 8 - command.name.count)))\(command.summary)\n"
        }
        text += "\nRun `barrage <command> -h` for a command's flags. A link named `vegeta` behaves the same.\n"
        text += "\nglobal flags:"
        return text
    }

    /// vegeta's four `-version` lines, with the vegeta release whose flags and formats barrage follows (scripts
    /// that check `Version:` keep working), this build's commit, runtime and date, then a line saying it is barrage.
    static let vegetaVersionText = """
        Version: \(BuildInfo.vegetaVersion)
        Commit: \(BuildInfo.commit)
        Runtime: \(BuildInfo.runtime)
        Date: \(BuildInfo.date)
        Barrage: \(BuildInfo.version) (this is barrage, a drop-in for vegeta \(BuildInfo.vegetaVersion))

        """

    static let versionText = """
        Version: \(BuildInfo.version)
        Commit: \(BuildInfo.commit)
        Runtime: \(BuildInfo.runtime)
        Date: \(BuildInfo.date)
        Compatible: vegeta \(BuildInfo.vegetaVersion) result formats and flags

        """
}

/// Process-wide settings set by global flags before a command runs.
enum Settings {
    /// `-cpus`: how many event-loop threads the attacker may use.
    nonisolated(unsafe) static var cpus = 1
}
