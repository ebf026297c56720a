import BarrageCore

/// A `python` activity (reference §4.1): the function runs in a python3 bridge, or natively when a Providers/
/// extension handles its module (chaosprometheus, barrage.probes).
enum PythonProvider {
    /// Calls the provider's function with its substituted arguments, the configuration and its secret scopes.
    ///
    /// - Throws: `ActivityFailed` when the function raised it (the record is `failed`), `ActivityAborted` for any
    ///   other exception, `ChaosError.crash` when the bridge gave no answer, or an interruption from `watch`.
    static func call(
        _ provider: JSON, context: RunContext, bridges: BridgePool, watch: SignalWatch?, abortFD: Int32, log: ChaosLog
    ) throws -> JSON {
        let substitution = context.substitution
        let configuration = context.configuration
        let secrets = context.secrets
        var arguments = provider["arguments"] ?? .object([])
        if !substitution.isEmpty { arguments = substitution.apply(arguments) }
        if PrometheusProvider.handles(provider) {
            return try PrometheusProvider.call(
                provider, arguments: arguments, configuration: configuration, watch: watch)
        }
        if AttackReportProvider.handles(provider) { return try AttackReportProvider.call(arguments: arguments) }
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
            answer = try bridge.request(request, watch: watch, abortFD: abortFD) { log.python($0) }
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
    }
}
