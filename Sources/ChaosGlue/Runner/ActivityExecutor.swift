import BarrageCore
import Foundation
import Synchronization

/// Runs the activities of one planned run (chaoslib's `execute_activity`, reference §4.4) on the runner's thread,
/// in background threads and in the continuous-hypothesis thread, recording them into `journal`.
///
/// Everything here is fixed once the plan has run (the experiment, its configuration and secrets, the controls);
/// what changes while the run goes on is in `journal` and `backgroundPending`, both behind a `Mutex`.
final class ActivityExecutor: Sendable {
    /// The experiment as the run sees it (`dry` set, `title` substituted, dynamic configuration's secrets shown).
    let experiment: Experiment
    let plan: RunPlan
    let options: RunOptions
    let log: ChaosLog
    let signals: SignalWatch
    let bridges: BridgePool
    let providers: ProviderDispatch
    let controls: Controls?
    let journal = JournalBuilder()
    /// Written once on SIGUSR2: background activities stop and are recorded as failed.
    let abortPipe = Spawn.makePipe()
    /// One byte per background activity that has ended.
    let backgroundDone = Spawn.makePipe()
    /// Background activities started and not yet seen ending.
    let backgroundPending = Mutex(0)

    init(
        experiment: Experiment, plan: RunPlan, options: RunOptions, log: ChaosLog, signals: SignalWatch,
        bridges: BridgePool
    ) {
        self.experiment = experiment
        self.plan = plan
        self.options = options
        self.log = log
        self.signals = signals
        self.bridges = bridges
        providers = ProviderDispatch(
            context: plan.context, options: options, log: log, signals: signals, bridges: bridges)
        controls = Self.makeControls(experiment: experiment, options: options, log: log, bridges: bridges)
    }

    deinit {
        close(abortPipe.read)
        close(abortPipe.write)
        close(backgroundDone.read)
        close(backgroundDone.write)
    }

    var configuration: JSON { plan.context.configuration }
    var secrets: JSON { plan.context.secrets }
    var substitution: Substitution { plan.context.substitution }

    /// Whether the run's dry mode skips this activity. An activity-level `dry` replaces the run's mode, but chaoslib
    /// compares it with its `Dry` enum, so a JSON/YAML value never matches: such an activity always runs (§4).
    func isDry(_ activity: Activity) -> Bool {
        if activity.json["dry"] != nil { return false }
        return options.dry?.skips(activity.type) ?? false
    }

    /// - Parameter shown: the value as the log line shows it (a secret substituted into it as `***`).
    private func pause(
        _ value: JSON?, _ text: String?, shown: JSON?, dry: Bool, watch: SignalWatch, abortFD: Int32
    ) throws {
        guard let value, value.isTruthy else { return }
        if let text {
            log.info(text.replacingOccurrences("{}", (shown ?? value).pythonString), at: .init("activity", 280))
        }
        guard !dry, options.dry != .pause, let seconds = value.number, seconds > 0 else { return }
        if abortFD >= 0 {
            if try watch.wait(fd: abortFD, events: Int16(POLLIN), timeout: seconds) {
                throw ExperimentExited()
            }
        } else {
            try watch.sleep(seconds)
        }
    }

    /// `execute_activity` (§4.4): pauses, the log line, the record (appended now), the provider, end/duration.
    @discardableResult
    func execute(
        _ activity: Activity, into section: JournalBuilder.Section?, interruptible: Bool, abortFD: Int32,
        onStarted: (() -> Void)? = nil
    ) throws -> Record {
        var onStarted = onStarted
        defer { onStarted?() }
        if controls != nil {
            try control("before_activity_control", level: activity.controls, payload: ["context": activity.json])
        }
        let watch = interruptible ? signals : SignalWatch.none
        let pauses = substitution.apply(activity.pauses ?? .null)
        let shownPauses = substitution.applyMasked(activity.pauses ?? .null)
        let dry = isDry(activity)
        if pauses["before"]?.isTruthy == true {
            log.info(
                "Pausing before next activity for \(shownPauses["before"]?.pythonString ?? "")s...",
                at: .init("activity", 220))
            onStarted?()
            onStarted = nil
        }
        try pause(pauses["before"], nil, shown: nil, dry: dry, watch: watch, abortFD: abortFD)
        let kind = activity.type == .probe ? "Probe" : "Action"
        let name = activity.name
        let background = activity.isBackground
        log.info(
            "\(kind): \(name)" + (background ? " [in background]" : ""), at: .init("activity", background ? 226 : 232))
        let record = Record(activity: activity.json)
        if let section { journal.append(record, to: section) }
        onStarted?()
        onStarted = nil
        do {
            if !dry {
                record.output = try providers.call(activity.json, interruptible: interruptible, abortFD: abortFD)
            }
            record.status = .succeeded
        } catch let failure as ActivityFailed {
            record.status = .failed
            record.output = .null
            record.exception = failure.traceback
            log.error("  => failed: " + log.masked(failure.message), at: .init("activity", 268))
        } catch {
            record.finish()
            throw error
        }
        record.finish()
        try pause(
            pauses["after"], "Pausing after activity for {}s...", shown: shownPauses["after"], dry: dry, watch: watch,
            abortFD: abortFD)
        if controls != nil {
            try control(
                "after_activity_control", level: activity.controls,
                payload: ["context": activity.json, "state": record.json(injected: [:])])
        }
        return record
    }

    /// One method or rollback entry: the activity it names by `ref` (else itself), started in the background when
    /// it says so, else executed into `section` with its hypothesis probe index.
    ///
    /// - Throws: `missing(ref)` when `ref` names no activity (the method and the rollbacks fail differently), or
    ///   what `execute` throws.
    func play(
        _ entry: Activity, into section: JournalBuilder.Section, cache: [String: Activity],
        missing: (String) -> any Error
    ) throws {
        var activity = entry
        if let ref = entry.ref {
            guard let resolved = cache[ref] else { throw missing(ref) }
            activity = resolved
        }
        if activity.isBackground {
            startBackground(activity, into: section)
        } else {
            let record = try execute(activity, into: section, interruptible: true, abortFD: -1)
            record.hypothesisIndex = experiment.hypothesisProbeIndex(ref: entry.ref)
        }
    }
}
