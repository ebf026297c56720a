import BarrageCore

extension ActivityExecutor {
    /// The run's controls (settings, `--control-file`, the experiment's), or nil when no level declares any.
    static func makeControls(
        experiment: Experiment, options: RunOptions, log: ChaosLog, bridges: BridgePool
    ) -> Controls? {
        var global = Controls.parse(mapping: options.settings["controls"])
        global += Controls.parse(mapping: options.controlFiles)
        global += Controls.parse(list: experiment.controls)
        guard !global.isEmpty || hasNestedControls(experiment) else { return nil }
        return Controls(global: global, log: log, bridges: bridges)
    }

    /// `configure_control`, once the controls are known.
    func configureControls() {
        guard controls != nil else { return }
        try? control(
            "configure_control", level: nil,
            payload: [
                "configuration": configuration, "secrets": secrets, "settings": options.settings,
                "experiment": experiment.json,
            ])
    }

    /// `after_experiment_control` with the journal, then `cleanup_control`.
    func finishControls(journal: JSON) {
        guard controls != nil else { return }
        try? control(
            "after_experiment_control", level: nil,
            payload: ["context": experiment.json, "state": journal, "experiment": experiment.json])
        try? control("cleanup_control", level: nil, payload: [:])
        controls?.shutdown()
    }

    private static func hasNestedControls(_ experiment: Experiment) -> Bool {
        if experiment.hypothesis?.controls?.array?.isEmpty == false { return true }
        var all = experiment.method
        all += experiment.rollbacks
        all += experiment.hypothesis?.probes ?? []
        return all.contains { $0.controls?.array?.isEmpty == false }
    }

    /// Runs a control hook. `level` nil: the experiment level (global controls only); otherwise the global controls
    /// that are automatic plus the level's own `controls` list.
    func control(_ hook: String, level: JSON?, payload: [String: JSON]) throws {
        guard let controls else { return }
        var list: [Controls.Control]
        if level == nil {
            list = controls.global
        } else {
            list = controls.global.filter(\.automatic) + Controls.parse(list: level, topLevel: controls.global)
        }
        guard !list.isEmpty else { return }
        var p = payload
        p["configuration"] = configuration
        p["secrets"] = secrets
        try controls.call(list, hook: hook, payload: p, substitution: substitution)
    }
}
