import BarrageCore

/// The rollbacks (chaoslib's `run_rollbacks` under the rollback strategy, reference §6.6).
extension ActivityExecutor {
    /// Whether `strategy` plays the rollbacks now, logging its WARNING line as chaoslib does.
    private func playsRollbacks(_ strategy: RollbackStrategy) -> Bool {
        let s = journal.status
        let isDeviated = journal.isDeviated
        switch strategy {
        case .always:
            log.warning("Rollbacks were explicitly requested to be played", at: .init("run", 821))
            return true
        case .never:
            log.warning("Rollbacks were explicitly requested to not be played", at: .init("run", 824))
            return false
        case .deviated:
            if isDeviated {
                log.warning("Rollbacks will be played only because the experiment deviated", at: .init("run", 833))
                return true
            } else {
                log.warning(
                    "Rollbacks were explicitely requested to be played only if the experiment deviated. Since this is not the case, we will not play them.",
                    at: .init("run", 839))
                return false
            }
        case .default:
            return s != .failed && s != .interrupted
        }
    }

    func rollbacks(strategy: RollbackStrategy) throws {
        guard playsRollbacks(strategy) else { return }
        do {
            try control("before_rollback_control", level: .array([]), payload: ["context": experiment.json])
        } catch is Interruption {
            journal.setStatus(.interrupted)
            log.warning(
                "Received an exit signal.Terminating now without running the remaining rollbacks.",
                at: .init("run", 864))
            return
        }
        defer {
            let records = journal.records(.rollbacks)
            try? control(
                "after_rollback_control", level: .array([]), payload: ["context": experiment.json, "state": records])
        }
        log.info("Let's rollback...", at: .init("run", 1072))
        let list = experiment.rollbacks
        if list.isEmpty {
            log.info("No declared rollbacks, let's move on.", at: .init("rollback", 33))
            return
        }
        let cache = experiment.activitiesByName
        do {
            for entry in list {
                log.info("Rollback: \(entry.json["name"]?.pythonString ?? "None")", at: .init("rollback", 36))
                try play(entry, into: .rollbacks, cache: cache) { ref in
                    ChaosError.crash("chaoslib.exceptions.ActivityFailed: could not find referenced activity '\(ref)'")
                }
            }
            try waitBackground(interruptible: true)
        } catch is Interruption {
            journal.setStatus(.interrupted)
            log.warning(
                "Received an exit signal.Terminating now without running the remaining rollbacks.",
                at: .init("run", 864))
        } catch let aborted as ActivityAborted {
            throw ChaosError.crash(aborted.message)
        }
    }
}
