import BarrageCore

extension ProcessProvider {
    /// A `process` activity (reference §4.2): resolves the path, substitutes the arguments, runs the command and
    /// returns `{status, stdout, stderr}`.
    ///
    /// - Throws: `ActivityAborted` when the path cannot be found; whatever `run` throws (interruptions, exits).
    static func call(
        _ provider: JSON, activity: JSON, substitution: Substitution, external: Bool, watch: SignalWatch?,
        abortFD: Int32, log: ChaosLog
    ) throws -> JSON {
        let raw = provider["path"]?.pythonString ?? ""
        guard let resolved = ProcessProvider.resolve(raw, external: external) else {
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
                "This process returned a non-zero exit code. This may indicate some error and not what you expected. Please have a look at the logs.",
                at: .init("process", 70))
        }
        return .object([
            .init("status", .int(outcome.status)),
            .init("stdout", .string(ProcessProvider.decode(outcome.stdout))),
            .init("stderr", .string(ProcessProvider.decode(outcome.stderr))),
        ])
    }
}
