import BarrageCore

/// The steady-state hypothesis (chaoslib's `run_steady_state_hypothesis`, reference §5).
extension ActivityExecutor {
    struct HypothesisState {
        var met: Bool
        var anyProbeFailed: Bool
        var lastName: String
        var json: JSON
    }

    /// - Parameter onFirstProbe: called once the first probe has logged its line (the continuous loop lets the
    ///   method start then, which gives chaostoolkit's console order).
    func runHypothesis(interruptible: Bool, onFirstProbe: (() -> Void)? = nil) throws -> HypothesisState {
        let hypothesis = experiment.hypothesis ?? SteadyStateHypothesis(.object([]))
        try control("before_hypothesis_control", level: hypothesis.controls, payload: ["context": hypothesis.json])
        let state = try runHypothesisProbes(hypothesis, interruptible: interruptible, onFirstProbe: onFirstProbe)
        try control(
            "after_hypothesis_control", level: hypothesis.controls,
            payload: ["context": hypothesis.json, "state": state.json])
        return state
    }

    private func runHypothesisProbes(
        _ hypothesis: SteadyStateHypothesis, interruptible: Bool, onFirstProbe: (() -> Void)?
    ) throws -> HypothesisState {
        log.info("Steady state hypothesis: \(hypothesis.title?.pythonString ?? "")", at: .init("hypothesis", 205))
        var records: [Record] = []
        var met = true
        var anyFailed = false
        var lastName = ""
        let cache = experiment.activitiesByName
        let dryRun = options.dry?.skips(.probe) ?? false
        for (index, entry) in hypothesis.probes.enumerated() {
            var probe = entry
            if let ref = entry.ref {
                guard var resolved = cache[ref] else {
                    throw ChaosError.crash(
                        "chaoslib.exceptions.ActivityFailed: could not find referenced activity '\(ref)'")
                }
                if let tolerance = entry.tolerance { resolved.json["tolerance"] = tolerance }
                probe = resolved
            }
            lastName = probe.name
            let record = try execute(
                probe, into: nil, interruptible: interruptible, abortFD: -1, onStarted: index == 0 ? onFirstProbe : nil)
            record.hypothesisIndex = index
            records.append(record)
            if record.status != .succeeded {
                anyFailed = true
                record.toleranceMet = false
                met = false
                log.warning(
                    "Probe terminated unexpectedly, so its tolerance could not be validated",
                    at: .init("hypothesis", 232))
                break
            }
            record.toleranceMet = true
            if dryRun { continue }
            let tolerance = probe.tolerance ?? .null
            let ok = try Tolerance.check(tolerance, value: record.output, substitution: substitution) { activity in
                if tolerance["type"]?.string == "probe" {
                    self.journal.inject(activity, probe: index)
                }
                do {
                    return try self.providers.call(activity, interruptible: interruptible, abortFD: -1)
                } catch let failure as ActivityFailed {
                    // chaoslib's run_activity logs the tolerance's exception at DEBUG (log file, --verbose) before
                    // the tolerance counts as not met: the only place its message shows.
                    self.log.debug(
                        "Activity failed\n" + self.log.masked(failure.traceback.joined()), at: .init("activity", 317))
                    throw failure
                }
            }
            if !ok {
                record.toleranceMet = false
                met = false
                break
            }
        }
        if met { log.info("Steady state hypothesis is met!", at: .init("hypothesis", 260)) }
        let probesJSON = records.map { r -> JSON in
            var j = r.json(injected: [:])
            if let i = r.hypothesisIndex { j["__index"] = .int(i) }
            return j
        }
        let json = JSON.object([.init("steady_state_met", .bool(met)), .init("probes", .array(probesJSON))])
        return HypothesisState(met: met, anyProbeFailed: anyFailed, lastName: lastName, json: json)
    }

    /// The continuous loop's verdicts (reference §6.5).
    func markFailed() { journal.setStatus(.failed) }
    func markAborted() { journal.setStatus(.aborted) }
    func lockedAppendDuring(_ state: JSON) { journal.appendDuring(state) }
}
