public import BarrageCore

/// Where chaoslib meets a value of the wrong type (`method: {...}`, `secrets: 5`, an activity that is a string):
/// it raises a Python TypeError or AttributeError there and the real CLI crashes. barrage reports the same
/// exception text as one line, at the same point.
public enum ExperimentShape {
    /// chaoslib's activity cache, built before validation and before a run: `method + hypothesis.probes`, then
    /// `.get("name")` on each.
    ///
    /// - Throws: `ChaosError.crash` with Python's exception text where that raises.
    public static func checkActivityCache(_ experiment: JSON) throws(ChaosError) {
        guard experiment.isTruthy, experiment.isObject else { return }
        let method = experiment["method"] ?? .array([])
        let hypothesis = experiment["steady-state-hypothesis"] ?? .object([])
        guard hypothesis.isObject else { throw noAttribute(hypothesis, "get") }
        let probes = hypothesis["probes"] ?? .array([])
        let lot: [JSON]
        switch (method, probes) {
        case (.array(let a), .array(let b)): lot = a + b
        case (.array, _):
            throw .crash("TypeError: can only concatenate list (not \"\(probes.pythonTypeName)\") to list")
        case (.string(let a), .string(let b)): lot = (a + b).map { .string(String($0)) }
        case (.string, _):
            throw .crash("TypeError: can only concatenate str (not \"\(probes.pythonTypeName)\") to str")
        default:
            throw .crash(
                "TypeError: unsupported operand type(s) for +: '\(method.pythonTypeName)' and '\(probes.pythonTypeName)'"
            )
        }
        for activity in lot where !activity.isObject { throw noAttribute(activity, "get") }
    }

    /// Python's `for x in value`: a list's items, a dict's keys, a string's characters.
    ///
    /// - Throws: `ChaosError.crash` with Python's TypeError for anything else.
    static func iterate(_ value: JSON) throws(ChaosError) -> [JSON] {
        switch value {
        case .array(let a): return a
        case .object(let m): return m.map { .string($0.key) }
        case .string(let s): return s.map { .string(String($0)) }
        default: throw .crash("TypeError: '\(value.pythonTypeName)' object is not iterable")
        }
    }

    /// `AttributeError: 'int' object has no attribute 'items'`.
    static func noAttribute(_ value: JSON, _ attribute: String) -> ChaosError {
        .crash("AttributeError: '\(value.pythonTypeName)' object has no attribute '\(attribute)'")
    }
}
