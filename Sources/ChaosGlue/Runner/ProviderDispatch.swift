import BarrageCore

/// Calls an activity's provider with one run's configuration and secrets (the provider part of chaoslib's
/// `run_activity`): one provider per file in Providers/.
struct ProviderDispatch: Sendable {
    let context: RunContext
    let options: RunOptions
    let log: ChaosLog
    let signals: SignalWatch
    let bridges: BridgePool

    private var substitution: Substitution { context.substitution }

    /// Calls an activity's provider and returns its output.
    func call(_ activity: JSON, interruptible: Bool, abortFD: Int32) throws -> JSON {
        let provider = activity["provider"] ?? .object([])
        let watch: SignalWatch? = interruptible ? signals : nil
        switch Provider(provider).type {
        case .process?:
            return try ProcessProvider.call(
                provider, activity: activity, substitution: substitution, external: options.externalVegeta,
                watch: watch,
                abortFD: abortFD, log: log)
        case .http?:
            let output = try HTTPProvider.call(provider, substitution: substitution, watch: watch)
            if case .int(let code)? = output["status"], code > 399, activity["tolerance"] == nil {
                log.warning(
                    "This HTTP call returned a response with a HTTP status code above 400. This may indicate some error and not what you expected. Please have a look at the logs.",
                    at: .init("http", 89))
            }
            return output
        case .python?:
            return try PythonProvider.call(
                provider, context: context, bridges: bridges, watch: watch, abortFD: abortFD, log: log)
        case nil:
            throw ActivityAborted(
                message: "unknown provider type '\(provider["type"]?.pythonString ?? "None")'",
                traceback: ["chaoslib.exceptions.InvalidActivity: unknown provider type\n"])
        }
    }
}
