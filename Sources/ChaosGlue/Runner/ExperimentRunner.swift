public import BarrageCore
import Foundation

/// Runs one experiment the way chaostoolkit-lib 1.44's `Runner._run` does (reference §6) and builds the journal.
///
/// The plan (`RunPlan`) resolves strategies and configuration, the `ActivityExecutor` runs hypothesis, method and
/// rollbacks on this thread and its own, and the `JournalBuilder` it fills is assembled at the end.
public final class ExperimentRunner: Sendable {
    let log: ChaosLog
    let signals: SignalWatch
    let bridges: BridgePool
    let options: RunOptions
    let experiment: JSON
    private let ownsBridges: Bool

    public init(experiment: JSON, options: RunOptions, log: ChaosLog, signals: SignalWatch) {
        self.experiment = experiment
        self.options = options
        self.log = log
        self.signals = signals
        bridges = BridgePool()
        ownsBridges = true
    }

    /// A runner sharing python bridges with others (a `Validator`, other runners), so python starts once.
    public init(experiment: JSON, options: RunOptions, log: ChaosLog, signals: SignalWatch, bridges: BridgePool) {
        self.experiment = experiment
        self.options = options
        self.log = log
        self.signals = signals
        self.bridges = bridges
        ownsBridges = false
    }

    deinit {
        if ownsBridges { bridges.shutdown() }
    }

    /// How many python interpreters this run started (for the benchmark note).
    public var pythonStarts: Int { bridges.startedCount }

    /// Validates with chaoslib's messages (uses this runner's python bridge, so a run starts python once).
    public func validate() throws(ChaosError) {
        try Validator(bridges: bridges, externalVegeta: options.externalVegeta, log: log).validate(experiment)
    }

    /// The hypothesis states the journal shows (`steady_states.before` / `after`).
    private struct SteadyStates {
        var before: JSON = .null
        var after: JSON = .null
    }

    // MARK: - The run

    /// Runs the experiment; returns the journal (secrets masked: `SecretMask`) and the exit code. Throws only where
    /// chaostoolkit crashes or fails before the journal exists (configuration errors), with secrets masked too.
    public func run() throws(ChaosError) -> (journal: JSON, exitCode: Int32) {
        do {
            return try runUnmasked()
        } catch {
            switch error {
            case .invalid(let message): throw .invalid(log.masked(message))
            case .crash(let message): throw .crash(log.masked(message))
            }
        }
    }

    private func runUnmasked() throws(ChaosError) -> (journal: JSON, exitCode: Int32) {
        var experiment = self.experiment
        let plan = try RunPlan(preparing: &experiment, options: options, log: log, signals: signals, bridges: bridges)
        let title = plan.context.substitution.apply(experiment["title"] ?? .null)
        let shownTitle = plan.context.substitution.applyMasked(experiment["title"] ?? .null)
        experiment["title"] = title
        log.info("Running experiment: \(shownTitle.pythonString)", at: .init("run", 440))
        let start = Clock.wall()
        let startMono = Clock.monotonic()
        if let dry = options.dry { log.warning("Running experiment with dry \(dry.rawValue)", at: .init("run", 453)) }
        let executor = ActivityExecutor(
            experiment: Experiment(experiment), plan: plan, options: options, log: log, signals: signals,
            bridges: bridges)
        executor.configureControls()
        log.info("Steady-state strategy: \(plan.hypothesisStrategy.rawValue)", at: .init("run", 471))
        log.info("Rollbacks strategy: \(plan.rollbackStrategy.rawValue)", at: .init("run", 477))
        var withSSH = !(executor.experiment.hypothesis?.probes ?? []).isEmpty
        if !withSSH {
            log.info("No steady state hypothesis defined. That's ok, just exploring.", at: .init("run", 485))
        } else if plan.hypothesisStrategy == .skip {
            log.info("Skipping Steady-State Hypothesis as requested", at: .init("run", 490))
            withSSH = false
        }
        var states = SteadyStates()
        let skipRollbacks = try hypothesisAndMethod(executor, withSSH: withSSH, states: &states)
        executor.awaitBackground()
        if !skipRollbacks {
            do {
                try executor.rollbacks(strategy: plan.rollbackStrategy)
            } catch let e as ChaosError {
                throw e
            } catch {
                throw Self.crash(error)
            }
        }
        executor.awaitBackground()
        let end = Clock.wall()
        let duration = Clock.monotonic() - startMono
        let finalStatus = executor.journal.status ?? .completed
        let isDeviated = executor.journal.isDeviated
        log.info(
            "Experiment ended with status: \(isDeviated ? "deviated" : finalStatus.rawValue)", at: .init("run", 598))
        if isDeviated {
            log.info("The steady-state has deviated, a weakness may have been discovered", at: .init("run", 600))
        }

        let journal = executor.journal.assemble(
            experiment: experiment, start: start, end: end, duration: duration, before: states.before,
            after: states.after)
        executor.finishControls(journal: journal)
        let exitCode: Int32 = finalStatus == .completed && !isDeviated ? 0 : 1
        return (plan.context.mask.journal(journal, title: shownTitle), exitCode)
    }

    /// The `try` block of `_run`: the before-hypothesis gate, the method (with the continuous hypothesis around it)
    /// and the after-hypothesis. Returns true when a signal says to skip the rollbacks (SIGUSR2).
    private func hypothesisAndMethod(
        _ executor: ActivityExecutor, withSSH: Bool, states: inout SteadyStates
    ) throws(ChaosError) -> Bool {
        let strategy = executor.plan.hypothesisStrategy
        let journal = executor.journal
        do {
            try executor.control(
                "before_experiment_control", level: nil,
                payload: ["context": executor.experiment.json, "experiment": executor.experiment.json])
            if withSSH, strategy.runsBefore {
                let state = try executor.runHypothesis(interruptible: true)
                states.before = state.json
                if !state.met {
                    journal.setStatus(state.anyProbeFailed ? .failed : .completed)
                    log.critical(
                        "Steady state probe '\(state.lastName)' is not in the given tolerance so failing this experiment",
                        at: .init("run", 674))
                    return false
                }
            }
            var continuous: ContinuousHypothesis?
            if withSSH, strategy.runsDuring {
                continuous = ContinuousHypothesis(runner: executor)
                continuous?.start()
            }
            var methodReturned = false
            defer { continuous?.stop() }
            methodReturned = try executor.runMethod()
            continuous?.stop()
            let s = journal.status
            if s != .interrupted, s != .aborted, withSSH, methodReturned, strategy.runsAfter {
                let state = try executor.runHypothesis(interruptible: true)
                states.after = state.json
                if !state.met {
                    journal.markDeviated()
                    journal.setStatus(state.anyProbeFailed ? .failed : .completed)
                    log.critical(
                        "Steady state probe '\(state.lastName)' is not in the given tolerance so failing this experiment",
                        at: .init("run", 716))
                }
            }
        } catch let interruption as Interruption {
            return interrupted(interruption, executor)
        } catch let e as ChaosError {
            executor.abortBackground()
            throw e
        } catch {
            executor.abortBackground()
            throw Self.crash(error)
        }
        return false
    }

    /// `_run`'s handlers for InterruptExecution, KeyboardInterrupt and SystemExit. Returns true when the rollbacks
    /// are to be skipped (SIGUSR2).
    private func interrupted(_ interruption: Interruption, _ executor: ActivityExecutor) -> Bool {
        executor.controls?.drainLogs()
        executor.journal.setStatus(.interrupted)
        switch interruption {
        case .sigterm:
            log.warning("Caught SIGTERM signal, interrupting experiment now", at: .init("exit", 163))
            log.critical("SIGTERM signal received", at: .init("run", 552))
        case .sigint:
            log.warning("Received a termination signal (Ctrl-C)...", at: .init("run", 556))
        case .exit(let code):
            log.warning("Received the exit signal: \(code)", at: .init("run", 560))
            if code == 30 {
                log.warning("Ignoring rollbacks as per signal", at: .init("run", 564))
                executor.abortBackground()
                return true
            }
        case .control(let message):
            log.critical(log.masked(message), at: .init("run", 552))
        }
        return false
    }

    /// An error escaping the runner, as one clear line (chaostoolkit prints a traceback there).
    static func crash(_ error: any Error) -> ChaosError {
        switch error {
        case let e as ChaosError: return e
        case let e as ActivityAborted: return .crash(e.message)
        case let e as ActivityFailed: return .crash("chaoslib.exceptions.ActivityFailed: \(e.message)")
        default: return .crash("\(error)")
        }
    }
}
