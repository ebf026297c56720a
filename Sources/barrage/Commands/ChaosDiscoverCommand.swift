import BarrageCore
import ChaosGlue
import Foundation

/// `chaos discover PACKAGE` as chaostoolkit 1.19 has it: the same options, discovery document and log lines.
///
/// barrage never installs a package (the Chaos Toolkit runs `pip install -U` unless `--no-install`): without
/// `--no-install` one INFO line says so and the package is discovered as installed.
enum ChaosDiscoverCommand {
    static let options: [ChaosCommand.Option] = [
        .flag("--no-system-info", "Do not discover system information."),
        .flag("--no-install", "Assume package already in PYTHONPATH (barrage never installs packages)."),
        .value("--discovery-path", "Path where to save the the discovery outcome. [default: ./discovery.json]"),
        .flag("--help", "Show this message and exit."),
    ]

    static func run(_ args: [String], log: ChaosLog) -> Int32 {
        let usage = "chaos discover [OPTIONS] PACKAGE"
        let parsed: ChaosCommand.Parsed
        do {
            (parsed, _) = try ChaosCommand.parse(args, options, stopAtCommand: false)
        } catch {
            return ChaosCommand.usageFailure(usage, "chaos discover", error.message)
        }
        if parsed.flags.contains("--help") {
            Output.stdout(ChaosCommand.help(usage, "Discover capabilities and experiments.", options))
            return 0
        }
        guard parsed.positionals.count == 1 else {
            return ChaosCommand.usageFailure(
                usage, "chaos discover",
                parsed.positionals.isEmpty
                    ? "Missing argument 'PACKAGE'." : "Got unexpected extra argument (\(parsed.positionals[1]))")
        }
        let package = parsed.positionals[0]
        let path = parsed.last("--discovery-path") ?? "./discovery.json"
        if !parsed.flags.contains("--no-install") {
            log.info(
                "barrage does not install packages: discovering '\(package)' as already installed (as --no-install)",
                at: .init("discover", 47))
        }
        let text: String
        do {
            text = try ExtensionDiscovery.discover(
                package, systemInfo: !parsed.flags.contains("--no-system-info"), version: BuildInfo.version)
        } catch {
            // The Chaos Toolkit logs the failure and still exits 0.
            log.debug("Failed to discover \(package)", at: .init("discover", 53))
            log.critical(error.message, at: .init("discover", 54))
            return 0
        }
        do throws(OutputError) {
            try OutputDestination.replace(path, with: Array(text.utf8))
        } catch {
            log.error("\(path): cannot write the discovery: \(error.operation): \(error.reason)")
            return 1
        }
        log.info("Discovery outcome saved in \(path)", at: .init("discover", 59))
        return 0
    }
}
