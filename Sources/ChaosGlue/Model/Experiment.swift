import BarrageCore

/// A thin typed view of an experiment: accessors that read the `JSON` it keeps, so the journal echoes every key
/// (extensions and unknown fields) verbatim.
struct Experiment: Sendable {
    /// The experiment as loaded (the runner adds `dry` and substitutes `title` before the run).
    var json: JSON

    init(_ json: JSON) { self.json = json }

    var hypothesis: SteadyStateHypothesis? { json["steady-state-hypothesis"].map(SteadyStateHypothesis.init) }
    var method: [Activity] { (json["method"]?.array ?? []).map(Activity.init) }
    var rollbacks: [Activity] { (json["rollbacks"]?.array ?? []).map(Activity.init) }
    /// The top-level `controls` list.
    var controls: JSON? { json["controls"] }
    /// The experiment's `runtime` block, when it is a mapping.
    var runtime: JSON? { json["runtime"].flatMap { $0.isObject ? $0 : nil } }

    /// Activities by name for `ref`: method then hypothesis probes (later duplicates win); rollbacks excluded.
    var activitiesByName: [String: Activity] {
        var cache: [String: Activity] = [:]
        for a in method {
            if let n = a.json["name"]?.string { cache[n] = a }
        }
        for a in hypothesis?.probes ?? [] {
            if let n = a.json["name"]?.string { cache[n] = a }
        }
        return cache
    }

    /// The hypothesis probe a `ref` resolves to (hypothesis probes win over method activities of the same name).
    func hypothesisProbeIndex(ref: String?) -> Int? {
        guard let ref else { return nil }
        return (hypothesis?.probes ?? []).lastIndex { $0.json["name"]?.string == ref }
    }
}

/// The `steady-state-hypothesis` block of an experiment.
struct SteadyStateHypothesis: Sendable {
    var json: JSON

    init(_ json: JSON) { self.json = json }

    var title: JSON? { json["title"] }
    var probes: [Activity] { (json["probes"]?.array ?? []).map(Activity.init) }
    var controls: JSON? { json["controls"] }
}
