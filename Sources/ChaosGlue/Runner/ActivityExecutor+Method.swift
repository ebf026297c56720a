import BarrageCore

/// The method (chaoslib's `run_method` and `run_activities`, reference §6.1).
extension ActivityExecutor {
    /// Runs the method; returns true when it returned normally.
    func runMethod() throws -> Bool {
        try control("before_method_control", level: .array([]), payload: ["context": experiment.json])
        let returned = try runMethodActivities()
        let records = journal.records(.run)
        try control("after_method_control", level: .array([]), payload: ["context": experiment.json, "state": records])
        return returned
    }

    private func runMethodActivities() throws -> Bool {
        log.info("Playing your experiment's method now...", at: .init("run", 778))
        let method = experiment.method
        if method.isEmpty {
            log.info("No declared activities, let's move on.", at: .init("activity", 150))
            return true
        }
        let cache = experiment.activitiesByName
        do {
            for entry in method {
                try play(entry, into: .run, cache: cache) { ref in
                    ActivityAborted(
                        message: "could not find referenced activity '\(ref)'",
                        traceback: ["chaoslib.exceptions.ActivityFailed: could not find referenced activity '\(ref)'\n"]
                    )
                }
                if let s = journal.status, s.stopsMethod { break }
            }
            try waitBackground(interruptible: true)
        } catch let aborted as ActivityAborted {
            journal.setStatus(.aborted)
            log.critical(
                "Experiment ran into an un expected fatal error, aborting now.\n"
                    + log.masked(aborted.traceback.joined().trimmingSpaces()), at: .init("run", 801))
            return false
        }
        return true
    }
}
