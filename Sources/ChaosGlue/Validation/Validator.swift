public import BarrageCore
import Foundation

/// `ensure_experiment_is_valid` (reference §9): the first error is thrown with chaoslib's exact message.
///
/// Needs no runner: python activities and controls are checked in a python3 bridge from `bridges`, started only when
/// the experiment has some.
public struct Validator: Sendable {
    let bridges: BridgePool
    /// A pool of our own is shut down at the end of each `validate`.
    private let ownsBridges: Bool
    let externalVegeta: Bool
    let log: ChaosLog

    /// - Parameters:
    ///   - bridges: python bridges to share (a runner's, or a test's); nil gives the validator a pool of its own.
    ///   - externalVegeta: a `vegeta`/`barrage` process path is looked up in PATH, as `--external-vegeta` runs it.
    ///   - log: where deprecation and missing-control-module warnings go.
    public init(bridges: BridgePool? = nil, externalVegeta: Bool = false, log: ChaosLog) {
        self.bridges = bridges ?? BridgePool()
        ownsBridges = bridges == nil
        self.externalVegeta = externalVegeta
        self.log = log
    }

    private func fail(_ m: String) -> ChaosError { .invalid(m) }

    /// Checks `experiment` as `ensure_experiment_is_valid` does.
    ///
    /// - Throws: `ChaosError.invalid` with chaoslib's message for the first problem; `ChaosError.crash` when the
    ///   python3 bridge fails.
    public func validate(_ experiment: JSON) throws(ChaosError) {
        defer { if ownsBridges { bridges.shutdown() } }
        guard experiment.isTruthy, experiment.isObject else { throw fail("an empty experiment is not an experiment") }
        guard experiment["title"]?.isTruthy == true else { throw fail("experiment requires a title") }
        guard experiment["description"]?.isTruthy == true else { throw fail("experiment requires a description") }
        if let tags = experiment["tags"], tags.isTruthy {
            for tag in tags.array ?? [] where tag.string?.isEmpty ?? true {
                throw fail("experiment tags must be a non-empty string")
            }
        }
        for ext in experiment["extensions"]?.array ?? [] where ext["name"]?.isTruthy != true {
            throw fail("All extensions require a non-empty name")
        }
        _ = try Configuration.load(experiment["configuration"])
        _ = try Configuration.loadSecrets(experiment["secrets"], log: log)
        try validateHypothesis(experiment)
        guard let method = experiment["method"], !method.isNull else {
            throw fail("an experiment requires a method, which can be empty for only checking steady state hypothesis ")
        }
        let cache = Experiment(experiment).activitiesByName
        for activity in try ExperimentShape.iterate(method) {
            try validateActivity(activity)
            if let ref = activity["ref"]?.string, cache[ref] == nil {
                throw fail("referenced activity '\(ref)' could not be found in the experiment")
            }
        }
        for activity in try ExperimentShape.iterate(experiment["rollbacks"] ?? .array([])) {
            try validateActivity(activity)
        }
        warnDeprecated(experiment)
        try validateControls(experiment)
    }

    private func validateHypothesis(_ experiment: JSON) throws(ChaosError) {
        guard let hypothesis = experiment["steady-state-hypothesis"], !hypothesis.isNull else { return }
        guard hypothesis["title"]?.isTruthy == true else { throw fail("hypothesis requires a title") }
        for probe in hypothesis["probes"]?.array ?? [] {
            try validateActivity(probe)
            guard let tolerance = probe["tolerance"] else { throw fail("hypothesis probe must have a tolerance entry") }
            try validateTolerance(tolerance)
        }
    }

    func validateTolerance(_ tolerance: JSON) throws(ChaosError) {
        switch tolerance {
        case .bool, .int, .array, .string: return
        case .object: break
        default:
            throw fail(
                "hypothesis probe tolerance must either be an integer, a string, a boolean or a pair of values for boundaries. It can also be a dictionary which is a probe activity definition that takes an argument called `value` with the value of the probe itself to be validated"
            )
        }
        let type = tolerance["type"]
        switch type?.string {
        case "probe":
            try validateActivity(tolerance)
        case "regex":
            guard let pattern = tolerance["pattern"] else {
                throw fail("hypothesis regex probe tolerance must have a `pattern` key")
            }
            guard case .string(let p) = pattern else {
                throw fail("hypothesis probe tolerance pattern \(pattern.pythonString) has an invalid type")
            }
            do {
                _ = try PythonRegex(p)
            } catch {
                switch error.kind {
                case .parse:
                    throw fail("hypothesis probe tolerance pattern \(p) seems invalid: \(error.message)")
                case .compile:
                    // re's compiler raises without the pattern, so chaoslib prints None.
                    throw fail("hypothesis probe tolerance pattern None seems invalid: \(error.message)")
                case .other:
                    // Not an re.error: chaoslib's validation does not catch it and the real CLI crashes.
                    throw ChaosError.crash("\(error.message) (regex tolerance pattern \(p))")
                case .unsupported:
                    // Valid for Python; running it is what fails.
                    break
                }
            }
        case "jsonpath":
            guard let path = tolerance["path"] else {
                throw fail("hypothesis jsonpath probe tolerance must have a `path` key")
            }
            let text = path.pythonString.trimmingSpaces()
            if text.isEmpty || path.isNull { throw fail("hypothesis probe tolerance JSON path cannot be empty") }
            do {
                _ = try JSONPath(text)
            } catch {
                throw fail("hypothesis probe tolerance JSON path \(text) is invalid")
            }
        case "range":
            guard let range = tolerance["range"] else {
                throw fail("hypothesis range probe tolerance must have a `range` key")
            }
            guard let items = range.array else { throw fail("hypothesis range must be a sequence") }
            guard items.count == 2 else { throw fail("hypothesis range sequence must be made of two values") }
            guard items[0].number != nil else { throw fail("hypothesis range lower boundary must be a number") }
            guard items[1].number != nil else { throw fail("hypothesis range upper boundary must be a number") }
        default:
            throw fail("hypothesis probe tolerance type '\(type?.pythonString ?? "None")' is unsupported")
        }
    }

    func validateActivity(_ activity: JSON) throws(ChaosError) {
        guard activity.isTruthy else { throw fail("empty activity is no activity") }
        guard activity.isObject else { throw ExperimentShape.noAttribute(activity, "get") }
        if let ref = activity["ref"], !ref.isNull {
            guard case .string(let s) = ref, !s.isEmpty else {
                throw fail("reference to activity must be non-empty strings")
            }
            return
        }
        guard let type = activity["type"], type.isTruthy else { throw fail("an activity must have a type") }
        guard type == .string("probe") || type == .string("action") else {
            throw fail("'\(type.pythonString)' is not a supported activity type")
        }
        guard activity["name"]?.isTruthy == true else { throw fail("an activity must have a name") }
        guard let provider = activity["provider"], provider.isTruthy else {
            throw fail("an activity requires a provider")
        }
        guard let providerType = provider["type"], providerType.isTruthy else {
            throw fail("a provider must have a type")
        }
        guard ["python", "process", "http"].contains(providerType.string ?? "") else {
            throw fail("unknown provider type '\(providerType.pythonString)'")
        }
        if let timeout = activity["timeout"], !timeout.isNull, timeout.number == nil {
            throw fail("activity timeout must be a number")
        }
        if let pauses = activity["pauses"], !pauses.isNull {
            for key in ["before", "after"] {
                guard let p = pauses[key], !p.isNull else { continue }
                if p.number != nil { continue }
                if case .string(let s) = p, s.hasPrefix("${"), s.hasSuffix("}") { continue }
                throw fail(
                    "activity \(key) pause must be a number or a pattern to a variable from the configuration or secrets"
                )
            }
        }
        if let background = activity["background"] {
            guard case .bool = background else { throw fail("activity background must be a boolean") }
        }
        let name = activity["name"]?.pythonString ?? ""
        switch providerType.string {
        case "python":
            guard let module = provider["module"], module.isTruthy else {
                throw fail("a Python activity must have a module path")
            }
            guard let function = provider["func"], function.isTruthy else {
                throw fail("a Python activity must have a function name")
            }
            if PrometheusProvider.handles(provider) {
                if let message = PrometheusProvider.validate(provider) { throw fail(message) }
                return
            }
            if AttackReportProvider.handles(provider) {
                if let message = AttackReportProvider.validate(provider, activity: name, kind: type.pythonString) {
                    throw fail(message)
                }
                return
            }
            var request = JSON.object([])
            request["op"] = .string("validate")
            request["module"] = module
            request["func"] = function
            request["name"] = .string(name)
            request["kind"] = type
            request["arguments"] = provider["arguments"] ?? .object([])
            let answer = try bridgeRequest(request)
            if let error = answer["error"]?.string { throw fail(error) }
            if let crash = answer["crash"]?.string { throw .crash(crash) }
        case "process":
            guard let path = provider["path"], path.isTruthy else { throw fail("a process activity must have a path") }
            let raw = path.pythonString
            guard let resolved = ProcessProvider.resolve(raw, external: externalVegeta) else {
                throw fail("path '\(raw)' cannot be found, in activity '\(name)'")
            }
            if access(resolved, X_OK) != 0 { throw fail("no access permission to '\(raw)', in activity '\(name)'") }
        default:
            guard provider["url"]?.isTruthy == true else { throw fail("a HTTP activity must have a URL") }
            if let headers = provider["headers"], headers.isTruthy, !headers.isObject {
                throw fail("a HTTP activities expect headers as a mapping")
            }
        }
    }

    private func bridgeRequest(_ request: JSON) throws(ChaosError) -> JSON {
        let bridge = try bridges.acquire()
        defer { bridges.release(bridge) }
        do {
            return try bridge.request(request, watch: nil, abortFD: -1) { log.python($0) }
        } catch let e as ChaosError {
            throw e
        } catch {
            throw .crash("the python3 bridge failed: \(error)")
        }
    }

    /// `warn_about_deprecated_features`: dict process arguments once, then each vault secret with a `key` and no
    /// `path`.
    private func warnDeprecated(_ experiment: JSON) {
        var activities = experiment["steady-state-hypothesis"]?["probes"]?.array ?? []
        activities += experiment["method"]?.array ?? []
        activities += experiment["rollbacks"]?.array ?? []
        if activities.contains(where: {
            $0["provider"]?["type"]?.string == "process" && $0["provider"]?["arguments"]?.isObject == true
        }) {
            log.warning(
                "Process arguments should now be a list to keep the ordering of the arguments. Dictionary arguments are deprecated for process activities.",
                at: .init("deprecation", 51))
        }
        for scope in experiment["secrets"]?.members ?? [] {
            for secret in scope.value.members ?? [] {
                let value = secret.value
                guard value["type"]?.string == "vault", value["key"] != nil, value["path"] == nil else { continue }
                log.warning(
                    "Vault secrets must now specify the `path` property. The `key` property is now a key of a Vault secret rather than the actual path. For instance: {'my-key': {'type': 'vault', 'key': 'foo'}} now becomes: {'my-key': {'type': 'vault', 'path': 'foo'}}",
                    at: .init("deprecation", 65))
            }
        }
    }

    /// A `controls` entry as chaoslib iterates it (missing or null: none).
    private static func controlList(_ value: JSON?) throws(ChaosError) -> [JSON] {
        guard let value, !value.isNull else { return [] }
        return try ExperimentShape.iterate(value)
    }

    private func validateControls(_ experiment: JSON) throws(ChaosError) {
        var lists: [[JSON]] = [try Self.controlList(experiment["controls"])]
        lists.append(try Self.controlList(experiment["steady-state-hypothesis"]?["controls"]))
        var activities = experiment["method"]?.array ?? []
        activities += experiment["rollbacks"]?.array ?? []
        activities += experiment["steady-state-hypothesis"]?["probes"]?.array ?? []
        for a in activities { lists.append(a["controls"]?.array ?? []) }
        let topNames = Set((experiment["controls"]?.array ?? []).compactMap { $0["name"]?.string })
        for control in lists.joined() {
            // chaoslib tests `"name" in c`: for a string that is a substring test.
            if case .string(let text) = control {
                if text.contains("ref") || text.contains("name") {
                    throw .crash("TypeError: string indices must be integers, not 'str' (control \(text))")
                }
                throw fail("A control must have a `name` property")
            }
            guard control.isObject else {
                throw .crash("TypeError: argument of type '\(control.pythonTypeName)' is not iterable (control)")
            }
            guard control["name"]?.isTruthy == true else { throw fail("A control must have a `name` property") }
            let name = control["name"]?.pythonString ?? ""
            if let ref = control["ref"]?.string {
                guard topNames.contains(ref) else { throw fail("Control reference '{}' declaration cannot be found") }
                continue
            }
            guard let provider = control["provider"], provider.isTruthy else {
                throw fail("Control '\(name)' must have a `provider` property")
            }
            if let scope = control["scope"], scope.isTruthy, scope != .string("before"), scope != .string("after") {
                throw fail("Control '\(name)' scope property must be 'before' or 'after' only")
            }
            if provider["type"]?.string == "python" {
                guard let module = provider["module"], module.isTruthy else {
                    throw fail("Control '\(name)' must have a module path")
                }
                var request = JSON.object([])
                request["op"] = .string("control-module")
                request["module"] = module
                if try bridgeRequest(request)["ok"] != .bool(true) {
                    log.warning(
                        "Could not find Python module '\(module.pythonString)' in control '\(name)'. Did you install the Python module? The experiment will carry on running nonetheless.",
                        at: .init("python", 119))
                }
            }
        }
    }
}
