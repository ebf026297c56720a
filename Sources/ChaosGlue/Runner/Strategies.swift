import BarrageCore

/// `--hypothesis-strategy` or `runtime.hypothesis.strategy` (reference §6.5): when the steady-state hypothesis runs.
enum HypothesisStrategy: String, Sendable {
    case `default`
    case beforeMethodOnly = "before-method-only"
    case afterMethodOnly = "after-method-only"
    case duringMethodOnly = "during-method-only"
    /// Given as `continuously` (or the deprecated `continously`); chaoslib logs and compares it as `continuous`.
    case continuous
    /// Only through a `runtime` block: the hypothesis never runs.
    case skip

    /// Parses a strategy as chaoslib's `Strategy.from_string` does, after the CLI's check for the deprecated
    /// spelling (which logs its warning here).
    ///
    /// - Throws: `ChaosError.crash` with chaoslib's `ValueError` for an unknown name.
    static func parse(_ name: String, log: ChaosLog) throws(ChaosError) -> HypothesisStrategy {
        var name = name
        if name == "continously" {
            log.warning(
                "\nThe \"--hypothesis-strategy=continously\" command is depreciating and will be removed in a future version\nInstead, please use \"--hypothesis-strategy=continuously\"",
                at: .init("check", 54))
            name = "continuously"
        }
        if name == "continuously" { name = "continuous" }
        guard let strategy = HypothesisStrategy(rawValue: name) else {
            throw .crash("ValueError: Unknown strategy '\(name)' (hypothesis strategy)")
        }
        return strategy
    }

    /// Runs the hypothesis before the method, as a gate.
    var runsBefore: Bool { self == .default || self == .beforeMethodOnly || self == .continuous }
    /// Runs the hypothesis on its own thread while the method runs.
    var runsDuring: Bool { self == .duringMethodOnly || self == .continuous }
    /// Runs the hypothesis after the method (where a run deviates).
    var runsAfter: Bool { self == .default || self == .afterMethodOnly || self == .continuous }
}

/// `--rollback-strategy` or `runtime.rollbacks.strategy` (reference §6.6): when the rollbacks are played.
enum RollbackStrategy: String, Sendable {
    case `default`
    case always
    case never
    case deviated

    /// - Throws: `ChaosError.crash` with chaoslib's `ValueError` for an unknown name.
    static func parse(_ name: String) throws(ChaosError) -> RollbackStrategy {
        guard let strategy = RollbackStrategy(rawValue: name) else {
            throw .crash("ValueError: Unknown strategy '\(name)' (rollbacks strategy)")
        }
        return strategy
    }
}
