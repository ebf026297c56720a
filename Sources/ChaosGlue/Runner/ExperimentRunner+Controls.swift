import BarrageCore

extension ExperimentRunner {
    func initControls() {
        var global = Controls.parse(mapping: options.settings["controls"])
        global += Controls.parse(mapping: options.controlFiles)
        global += Controls.parse(list: experiment["controls"])
        guard !global.isEmpty || hasNestedControls() else { return }
        let c = Controls(global: global, log: log, bridges: bridges)
        controls = c
        try? control(
            "configure_control", level: nil,
            payload: ["configuration": configuration, "secrets": secrets, "settings": options.settings, "experiment": experiment])
    }

    private func hasNestedControls() -> Bool {
        if experiment["steady-state-hypothesis"]?["controls"]?.array?.isEmpty == false { return true }
        var all = experiment["method"]?.array ?? []
        all += experiment["rollbacks"]?.array ?? []
        all += experiment["steady-state-hypothesis"]?["probes"]?.array ?? []
        return all.contains { $0["controls"]?.array?.isEmpty == false }
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
