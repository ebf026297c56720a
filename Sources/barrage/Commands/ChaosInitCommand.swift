import BarrageCore
import ChaosGlue
import Foundation

/// `chaos init` as chaostoolkit 1.19 has it: click's prompts on standard input and output, then the experiment
/// written as JSON (`json.dumps(indent=4)`) or, for a `.yaml`/`.yml` path, YAML (`yaml.dump(indent=4)`).
enum ChaosInitCommand {
    static let options: [ChaosCommand.Option] = [
        .value("--discovery-path", "Path to the discovery outcome. [default: ./discovery.json]"),
        .value("--experiment-path", "Path where to save the experiment (.yaml or .json) [default: ./experiment.json]"),
        .flag("--help", "Show this message and exit."),
    ]

    static func run(_ args: [String]) -> Int32 {
        let usage = "chaos init [OPTIONS]"
        let parsed: ChaosCommand.Parsed
        do {
            (parsed, _) = try ChaosCommand.parse(args, options, stopAtCommand: false)
        } catch {
            return ChaosCommand.usageFailure(usage, "chaos init", error.message)
        }
        if parsed.flags.contains("--help") {
            Output.stdout(
                ChaosCommand.help(usage, "Initialize a new experiment from discovered capabilities.", options))
            return 0
        }
        if let extra = parsed.positionals.first {
            return ChaosCommand.usageFailure(usage, "chaos init", "Got unexpected extra argument (\(extra))")
        }
        let discoveryPath = parsed.last("--discovery-path") ?? "./discovery.json"
        let experimentPath = parsed.last("--experiment-path") ?? "./experiment.json"
        var wizard = InitWizard(color: isatty(1) == 1, errorColor: isatty(2) == 1)
        do {
            var discovery: JSON?
            if !discoveryPath.isEmpty, FileManager.default.fileExists(atPath: discoveryPath) {
                guard let data = FileManager.default.contents(atPath: discoveryPath) else {
                    throw InitWizard.Crash(message: "\(discoveryPath): cannot read the discovery")
                }
                guard let value = JSON.parse(Array(data)) else {
                    throw InitWizard.Crash(message: "\(discoveryPath): the discovery is not JSON")
                }
                discovery = value
            }
            let experiment = try wizard.experiment(discovery: discovery)
            let lower = experimentPath.lowercased()
            let text =
                lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
                ? PyYAMLDump.dumpExperiment(experiment) : experiment.pythonDumps(indent: 4, ensureASCII: true)
            try write(text, to: experimentPath)
            Output.stdout("\nExperiment created and saved in '\(experimentPath)'\n")
            return 0
        } catch is InitWizard.Abort {
            // click's answer to the end of input in a prompt.
            Output.stderr("Aborted!\n")
            return 1
        } catch let crash as InitWizard.Crash {
            Output.stderr("Error: \(crash.message)\n")
            return 1
        } catch {
            Output.stderr("Error: \(error)\n")
            return 1
        }
    }

    private static func write(_ text: String, to path: String) throws(InitWizard.Crash) {
        do throws(OutputError) {
            try OutputDestination.replace(path, with: Array(text.utf8))
        } catch {
            throw InitWizard.Crash(message: "\(path): cannot write the experiment: \(error.operation): \(error.reason)")
        }
    }
}
