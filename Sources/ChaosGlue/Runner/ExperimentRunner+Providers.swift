import BarrageCore
import Foundation

extension ExperimentRunner {
    /// Calls an activity's provider and returns its output.
    func runProvider(_ activity: JSON, interruptible: Bool, abortFD: Int32) throws -> JSON {
        let provider = activity["provider"] ?? .object([])
        let watch: SignalWatch? = interruptible ? signals : nil
        switch provider["type"]?.string {
        case "process":
            let raw = provider["path"]?.pythonString ?? ""
            guard let resolved = ProcessProvider.resolve(raw, external: options.externalVegeta) else {
                throw ActivityAborted(
                    message: "FileNotFoundError: [Errno 2] No such file or directory: '\(raw)'",
                    traceback: ["FileNotFoundError: [Errno 2] No such file or directory: '\(raw)'\n"])
            }
            var arguments = provider["arguments"]
            if let a = arguments, a.isTruthy, !substitution.isEmpty { arguments = substitution.apply(a) }
            let (path, argv) = ProcessProvider.command(resolved: resolved, arguments: arguments)
            let timeout = provider["timeout"]?.number
            let outcome = try ProcessProvider.run(path: path, argv: argv, timeout: timeout, watch: watch, abortFD: abortFD)
            if outcome.status > 0, activity["tolerance"] == nil {
                log.warning(
                    "This process returned a non-zero exit code. This may indicate some error and not what you expected. Please have a look at the logs."
                , at: .init("process", 70))
            }
            return .object([
                .init("status", .int(outcome.status)),
                .init("stdout", .string(ProcessProvider.decode(outcome.stdout))),
                .init("stderr", .string(ProcessProvider.decode(outcome.stderr))),
            ])
        case "http":
            let output = try HTTPProvider.call(provider, substitution: substitution, watch: watch, bridges: bridges)
            if case .int(let code)? = output["status"], code > 399, activity["tolerance"] == nil {
                log.warning(
                    "This HTTP call returned a response with a HTTP status code above 400. This may indicate some error and not what you expected. Please have a look at the logs."
                , at: .init("http", 89))
            }
            return output
        case "python":
            var arguments = provider["arguments"] ?? .object([])
            if !substitution.isEmpty { arguments = substitution.apply(arguments) }
            if PrometheusProvider.handles(provider) {
                return try PrometheusProvider.call(provider, arguments: arguments, configuration: configuration, watch: watch)
            }
            var request = JSON.object([])
            request["op"] = .string("call")
            request["module"] = provider["module"] ?? .null
            request["func"] = provider["func"] ?? .null
            request["arguments"] = arguments
            request["configuration"] = configuration
            if let scopes = provider["secrets"]?.array {
                var merged = JSON.object([])
                for scope in scopes {
                    for m in secrets[scope.pythonString]?.members ?? [] { merged[m.key] = m.value }
                }
                request["secrets"] = merged
            }
            let bridge = try bridges.acquire()
            let answer: JSON
            do {
                answer = try bridge.request(request, watch: watch, abortFD: abortFD) { self.log.python($0) }
            } catch {
                bridges.release(bridge)
                throw error
            }
            bridges.release(bridge)
            if let result = answer["result"] { return result }
            if let failed = answer["failed"]?.string {
                var tb = (answer["traceback"]?.array ?? []).map(\.pythonString)
                tb.append("\nDuring handling of the above exception, another exception occurred:\n\n")
                tb.append("chaoslib.exceptions.ActivityFailed: \(failed)\n")
                throw ActivityFailed(failed, traceback: tb)
            }
            if let aborted = answer["aborted"]?.string {
                throw ActivityAborted(message: aborted, traceback: (answer["traceback"]?.array ?? []).map(\.pythonString))
            }
            throw ChaosError.crash(answer["crash"]?.pythonString ?? "the python3 bridge gave no answer")
        default:
            throw ActivityAborted(
                message: "unknown provider type '\(provider["type"]?.pythonString ?? "None")'",
                traceback: ["chaoslib.exceptions.InvalidActivity: unknown provider type\n"])
        }
    }
}
