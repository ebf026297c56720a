import BarrageCore

/// The journal, masked place by place (the rule is on `SecretMask`): its shape and the runner's own fields stay
/// exactly as chaostoolkit writes them.
extension SecretMask {
    /// - Parameter title: the experiment's title with each substituted secret as `***`.
    func journal(_ journal: JSON, title: JSON) -> JSON {
        var j = journal
        if let e = j["experiment"] {
            j["experiment"] = experiment(e, title: title)
        }
        if var states = j["steady_states"] {
            for key in ["before", "after"] {
                if let s = states[key], s.isObject { states[key] = hypothesisState(s) }
            }
            if let during = states["during"]?.array { states["during"] = .array(during.map(hypothesisState)) }
            j["steady_states"] = states
        }
        for key in ["run", "rollbacks"] {
            if let records = j[key]?.array { j[key] = .array(records.map(record)) }
        }
        return j
    }

    /// The experiment echo: its title, its `secrets` section, the secrets chaoslib leaves in dynamic-configuration
    /// providers and the probe tolerances' injected values.
    private func experiment(_ experiment: JSON, title: JSON) -> JSON {
        var e = experiment
        if e["title"] != nil { e["title"] = title }
        if let secrets = e["secrets"] { e["secrets"] = Self.secretsSection(secrets) }
        for m in e["configuration"]?.members ?? [] {
            if let secrets = m.value["provider"]?["secrets"], secrets.isObject {
                e["configuration"]?[m.key]?["provider"]?["secrets"] = Self.everyValue(secrets)
            }
        }
        if let probes = e["steady-state-hypothesis"]?["probes"]?.array {
            e["steady-state-hypothesis"]?["probes"] = .array(probes.map(injected))
        }
        return e
    }

    /// Declared secrets: every inline value, whatever its length; an `env` or `vault` declaration names where the
    /// value comes from and stays.
    static func secretsSection(_ section: JSON) -> JSON {
        guard let scopes = section.members else { return everyValue(section) }
        return .object(
            scopes.map { scope in
                guard let members = scope.value.members else { return JSON.Member(scope.key, everyValue(scope.value)) }
                return JSON.Member(
                    scope.key,
                    .object(
                        members.map { m in
                            let type = m.value["type"]?.string
                            return JSON.Member(m.key, type == "env" || type == "vault" ? m.value : everyValue(m.value))
                        }))
            })
    }

    /// Every scalar as `***` (keys and structure kept).
    static func everyValue(_ v: JSON) -> JSON {
        switch v {
        case .array(let a): return .array(a.map(everyValue))
        case .object(let m): return .object(m.map { JSON.Member($0.key, everyValue($0.value)) })
        default: return .string("***")
        }
    }

    private func hypothesisState(_ state: JSON) -> JSON {
        guard let probes = state["probes"]?.array else { return state }
        var s = state
        s["probes"] = .array(probes.map(record))
        return s
    }

    /// An activity record: its output and exception, and the probe tolerance's injected value in its activity.
    private func record(_ record: JSON) -> JSON {
        guard record.isObject else { return record }
        var r = record
        if let output = r["output"] { r["output"] = value(output) }
        if let exception = r["exception"] { r["exception"] = value(exception) }
        if let activity = r["activity"] { r["activity"] = injected(activity) }
        return r
    }

    /// A probe whose tolerance is a probe carries the probe's output as `tolerance.provider.arguments.value`.
    private func injected(_ activity: JSON) -> JSON {
        guard let v = activity["tolerance"]?["provider"]?["arguments"]?["value"] else { return activity }
        var a = activity
        a["tolerance"]?["provider"]?["arguments"]?["value"] = value(v)
        return a
    }
}
