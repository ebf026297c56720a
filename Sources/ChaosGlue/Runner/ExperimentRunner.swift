public import BarrageCore
import Foundation
import Synchronization

/// Runs one experiment the way chaostoolkit-lib 1.44's `Runner._run` does (reference §6) and builds the journal.
public final class ExperimentRunner: @unchecked Sendable {
    // Shared with background-activity and continuous-hypothesis threads: the mutable journal parts are guarded
    // by `lock`; records are owned by the thread that runs them until every thread has been joined.
    let log: ChaosLog
    let signals: SignalWatch
    let bridges: BridgePool
    let options: RunOptions
    private(set) var experiment: JSON
    private(set) var configuration = JSON.object([])
    private(set) var secrets = JSON.object([])
    private(set) var substitution = Substitution(configuration: .object([]), secrets: .object([]))
    private let lock = NSLock()
    private var status: String?
    private var deviated = false
    private var runRecords: [Record] = []
    private var rollbackRecords: [Record] = []
    private var during: [JSON] = []
    private var injected: [Int: JSON] = [:]
    private let abortPipe = Spawn.makePipe()
    var controls: Controls?
    private var ownsBridges = false

    public init(experiment: JSON, options: RunOptions, log: ChaosLog, signals: SignalWatch) {
        self.experiment = experiment
        self.options = options
        self.log = log
        self.signals = signals
        bridges = BridgePool()
        ownsBridges = true
    }

    /// A runner sharing python bridges with others (tests validating many experiments start python once).
    public init(experiment: JSON, options: RunOptions, log: ChaosLog, signals: SignalWatch, bridges: BridgePool) {
        self.experiment = experiment
        self.options = options
        self.log = log
        self.signals = signals
        self.bridges = bridges
    }

    deinit {
        if ownsBridges { bridges.shutdown() }
        close(abortPipe.read)
        close(abortPipe.write)
    }

    /// How many python interpreters this run started (for the benchmark note).
    public var pythonStarts: Int { bridges.startedCount }

    /// Validates with chaoslib's messages (uses this runner's python bridge, so a run starts python once).
    public func validate() throws(ChaosError) {
        try Validator(bridges: bridges, externalVegeta: options.externalVegeta, log: log).validate(experiment)
    }

    private func setStatus(_ s: String) { lock.withLock { status = s } }
    func markFailed() { setStatus("failed") }
    func markAborted() { setStatus("aborted") }
    func lockedAppendDuring(_ state: JSON) { lock.withLock { during.append(state) } }
    private func currentStatus() -> String? { lock.withLock { status } }

    // MARK: - The run

    /// Runs the experiment; returns the journal and the exit code. Throws only where chaostoolkit crashes or
    /// fails before the journal exists (configuration errors).
    public func run() throws(ChaosError) -> (journal: JSON, exitCode: Int32) {
        if let dry = options.dry { experiment["dry"] = .string(dry) } else { experiment["dry"] = .null }
        let (hypothesisStrategy, rollbackStrategy) = try strategies()
        try configure()
        let title = substitution.apply(experiment["title"] ?? .null)
        experiment["title"] = title
        log.info("Running experiment: \(title.pythonString)", at: .init("run", 440))
        let start = Clock.wall()
        let startMono = Clock.monotonic()
        if let dry = options.dry { log.warning("Running experiment with dry \(dry)", at: .init("run", 453)) }
        initControls()
        log.info("Steady-state strategy: \(hypothesisStrategy)", at: .init("run", 471))
        log.info("Rollbacks strategy: \(rollbackStrategy)", at: .init("run", 477))
        let hypothesis = experiment["steady-state-hypothesis"]
        var withSSH = !(hypothesis?["probes"]?.array ?? []).isEmpty
        if !withSSH {
            log.info("No steady state hypothesis defined. That's ok, just exploring.", at: .init("run", 485))
        } else if hypothesisStrategy == "skip" {
            log.info("Skipping Steady-State Hypothesis as requested", at: .init("run", 490))
            withSSH = false
        }
        var before: JSON = .null
        var after: JSON = .null
        var skipRollbacks = false
        do {
            try control("before_experiment_control", level: nil, payload: ["context": experiment, "experiment": experiment])
            var gatePassed = true
            if withSSH, ["default", "before-method-only", "continuous"].contains(hypothesisStrategy) {
                let state = try runHypothesis(interruptible: true)
                before = state.json
                if !state.met {
                    setStatus(state.anyProbeFailed ? "failed" : "completed")
                    log.critical(
                        "Steady state probe '\(state.lastName)' is not in the given tolerance so failing this experiment",
                        at: .init("run", 674))
                    gatePassed = false
                }
            }
            if gatePassed {
                var continuous: ContinuousHypothesis?
                if withSSH, ["during-method-only", "continuous"].contains(hypothesisStrategy) {
                    continuous = ContinuousHypothesis(runner: self)
                    continuous?.start()
                }
                var methodReturned = false
                defer { continuous?.stop() }
                methodReturned = try runMethod()
                continuous?.stop()
                let s = currentStatus()
                if s != "interrupted", s != "aborted", withSSH, methodReturned,
                    ["default", "after-method-only", "continuous"].contains(hypothesisStrategy)
                {
                    let state = try runHypothesis(interruptible: true)
                    after = state.json
                    if !state.met {
                        lock.withLock { deviated = true }
                        setStatus(state.anyProbeFailed ? "failed" : "completed")
                        log.critical(
                            "Steady state probe '\(state.lastName)' is not in the given tolerance so failing this experiment",
                            at: .init("run", 716))
                    }
                }
            }
        } catch let interruption as Interruption {
            controls?.drainLogs()
            setStatus("interrupted")
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
                    skipRollbacks = true
                    abortBackground()
                }
            case .control(let message):
                log.critical(message, at: .init("run", 552))
            }
        } catch let e as ChaosError {
            abortBackground()
            throw e
        } catch {
            abortBackground()
            throw Self.crash(error)
        }
        awaitBackground()
        if !skipRollbacks {
            do {
                try rollbacks(strategy: rollbackStrategy)
            } catch let e as ChaosError {
                throw e
            } catch {
                throw Self.crash(error)
            }
        }
        awaitBackground()
        let end = Clock.wall()
        let duration = Clock.monotonic() - startMono
        let finalStatus = currentStatus() ?? "completed"
        let isDeviated = lock.withLock { deviated }
        log.info("Experiment ended with status: \(isDeviated ? "deviated" : finalStatus)", at: .init("run", 598))
        if isDeviated { log.info("The steady-state has deviated, a weakness may have been discovered", at: .init("run", 600)) }

        var experimentOut = experiment
        for (i, tolerance) in injected {
            if var probes = experimentOut["steady-state-hypothesis"]?["probes"]?.array, i < probes.count {
                probes[i]["tolerance"] = tolerance
                experimentOut["steady-state-hypothesis"]?["probes"] = .array(probes)
            }
        }
        let journal = JSON.object([
            .init("chaoslib-version", .string("1.44.0")),
            .init("platform", .string(Self.platform())),
            .init("node", .string(Self.node())),
            .init("experiment", experimentOut),
            .init("start", .string(Clock.isoUTC(start))),
            .init("status", .string(finalStatus)),
            .init("deviated", .bool(isDeviated)),
            .init(
                "steady_states",
                .object([
                    .init("before", withInjected(before)), .init("after", withInjected(after)),
                    .init("during", .array(lock.withLock { during })),
                ])),
            .init("run", .array(lock.withLock { runRecords }.map { $0.json(injected: injected) })),
            .init("rollbacks", .array(lock.withLock { rollbackRecords }.map { $0.json(injected: injected) })),
            .init("end", .string(Clock.isoUTC(end))),
            .init("duration", .double(duration)),
        ])
        if controls != nil {
            try? control("after_experiment_control", level: nil, payload: ["context": experiment, "state": journal, "experiment": experiment])
            try? control("cleanup_control", level: nil, payload: [:])
            controls?.shutdown()
        }
        let masks = Configuration.secretStrings(secrets)
        let exitCode: Int32 = finalStatus == "completed" && !isDeviated ? 0 : 1
        return (Self.mask(journal, masks), exitCode)
    }

    private func withInjected(_ state: JSON) -> JSON {
        guard var probes = state["probes"]?.array else { return state }
        var out = state
        for (k, p) in probes.enumerated() {
            if case .int(let i)? = p["__index"], let tol = injected[i] { probes[k]["activity"]?["tolerance"] = tol }
            probes[k]["__index"] = nil
        }
        out["probes"] = .array(probes)
        return out
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

    static func mask(_ value: JSON, _ masks: [String]) -> JSON {
        guard !masks.isEmpty else { return value }
        switch value {
        case .string(let s):
            var t = s
            for m in masks { t = t.replacingOccurrences(m, "***") }
            return .string(t)
        case .array(let a): return .array(a.map { mask($0, masks) })
        case .object(let m): return .object(m.map { JSON.Member($0.key, mask($0.value, masks)) })
        default: return value
        }
    }

    /// `platform.node()`: the kernel's node name.
    static func node() -> String {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: u.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func platform() -> String {
        var u = utsname()
        uname(&u)
        func field<T>(_ t: T) -> String {
            withUnsafeBytes(of: t) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var buf = [CChar](repeating: 0, count: 64)
        _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &buf, 64)
        let libc = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .replacingOccurrences("glibc ", "")
        return "\(field(u.sysname))-\(field(u.release))-\(field(u.machine))-with-glibc\(libc)"
    }

    // MARK: - Strategies and configuration

    private func strategies() throws(ChaosError) -> (hypothesis: String, rollbacks: String) {
        var hypothesis = "default"
        var rollbacks = "default"
        if let runtime = experiment["runtime"], runtime.isObject {
            hypothesis = runtime["hypothesis"]?["strategy"]?.string ?? "default"
            rollbacks = runtime["rollbacks"]?["strategy"]?.string ?? "default"
        } else {
            hypothesis = options.settings["runtime"]?["hypothesis"]?["strategy"]?.string ?? "default"
            rollbacks = options.settings["runtime"]?["rollbacks"]?["strategy"]?.string ?? "default"
        }
        if let h = options.hypothesisStrategy { hypothesis = h }
        if let r = options.rollbackStrategy { rollbacks = r }
        if hypothesis == "continously" {
            log.warning(
                "\nThe \"--hypothesis-strategy=continously\" command is depreciating and will be removed in a future version. Instead, please use \"--hypothesis-strategy=continuously\""
            , at: .init("check", 54))
            hypothesis = "continuously"
        }
        if hypothesis == "continuously" { hypothesis = "continuous" }
        guard ["default", "before-method-only", "after-method-only", "during-method-only", "continuous", "skip"].contains(hypothesis)
        else { throw .crash("ValueError: Unknown strategy '\(hypothesis)' (hypothesis strategy)") }
        guard ["default", "always", "never", "deviated"].contains(rollbacks) else {
            throw .crash("ValueError: Unknown strategy '\(rollbacks)' (rollbacks strategy)")
        }
        return (hypothesis, rollbacks)
    }

    private func configure() throws(ChaosError) {
        var declared = experiment["configuration"] ?? .object([])
        for m in options.fileConfiguration.members ?? [] { declared[m.key] = m.value }
        configuration = try Configuration.load(declared, vars: options.vars)
        var declaredSecrets = experiment["secrets"] ?? .object([])
        for m in options.fileSecrets.members ?? [] { declaredSecrets[m.key] = m.value }
        secrets = try Configuration.loadSecrets(declaredSecrets)
        log.mask(Configuration.secretStrings(secrets))
        substitution = Substitution(configuration: configuration, secrets: secrets)
        // Dynamic configuration: probes run once, in key order, each seeing the keys before it.
        var failed = false
        for m in configuration.members ?? [] where m.value["type"]?.string == "probe" {
            // chaoslib leaves the loaded secrets in the provider of each dynamic probe it ran, so the journal's experiment
            // shows them there (masked here, like every secret).
            if var provider = experiment["configuration"]?[m.key]?["provider"], provider.isObject, provider["secrets"] == nil {
                provider["secrets"] = secrets
                experiment["configuration"]?[m.key]?["provider"] = provider
            }
            do {
                let output = try runProvider(m.value, interruptible: true, abortFD: -1)
                switch m.value["provider"]?["type"]?.string {
                case "process":
                    if case .int(0)? = output["status"] {
                        configuration[m.key] = .string((output["stdout"]?.pythonString ?? "").trimmingSpaces())
                    } else {
                        configuration[m.key] = nil
                        failed = true
                    }
                case "http": configuration[m.key] = output["body"] ?? .null
                default: configuration[m.key] = output
                }
            } catch {
                log.debug("Failed to load configuration '\(m.key)': \(error)")
                configuration[m.key] = nil
                failed = true
            }
            substitution = Substitution(configuration: configuration, secrets: secrets)
        }
        if failed {
            log.warning(
                "Some of the dynamic configuration failed to be loaded.Please review the log file for understanding what happened."
            , at: .init("configuration", 195))
        }
    }

    // MARK: - Hypothesis

    struct HypothesisState {
        var met: Bool
        var anyProbeFailed: Bool
        var lastName: String
        var json: JSON
    }

    /// - Parameter onFirstProbe: called once the first probe has logged its line (the continuous loop lets the
    ///   method start then, which gives chaostoolkit's console order).
    func runHypothesis(interruptible: Bool, onFirstProbe: (() -> Void)? = nil) throws -> HypothesisState {
        let hypothesis = experiment["steady-state-hypothesis"] ?? .object([])
        try control("before_hypothesis_control", level: hypothesis["controls"], payload: ["context": hypothesis])
        let state = try runHypothesisProbes(hypothesis, interruptible: interruptible, onFirstProbe: onFirstProbe)
        try control("after_hypothesis_control", level: hypothesis["controls"], payload: ["context": hypothesis, "state": state.json])
        return state
    }

    private func runHypothesisProbes(
        _ hypothesis: JSON, interruptible: Bool, onFirstProbe: (() -> Void)?
    ) throws -> HypothesisState {
        log.info("Steady state hypothesis: \(hypothesis["title"]?.pythonString ?? "")", at: .init("hypothesis", 205))
        var records: [Record] = []
        var met = true
        var anyFailed = false
        var lastName = ""
        let cache = Validator.activityCache(experiment)
        let dryRun = options.dry == "probes" || options.dry == "activities"
        for (index, entry) in (hypothesis["probes"]?.array ?? []).enumerated() {
            var probe = entry
            if let ref = entry["ref"]?.string {
                guard var resolved = cache[ref] else {
                    throw ChaosError.crash("chaoslib.exceptions.ActivityFailed: could not find referenced activity '\(ref)'")
                }
                if let tolerance = entry["tolerance"] { resolved["tolerance"] = tolerance }
                probe = resolved
            }
            lastName = probe["name"]?.pythonString ?? ""
            let record = try execute(
                probe, into: nil, interruptible: interruptible, abortFD: -1, onStarted: index == 0 ? onFirstProbe : nil)
            record.hypothesisIndex = index
            records.append(record)
            if record.status != "succeeded" {
                anyFailed = true
                record.toleranceMet = false
                met = false
                log.warning("Probe terminated unexpectedly, so its tolerance could not be validated", at: .init("hypothesis", 232))
                break
            }
            record.toleranceMet = true
            if dryRun { continue }
            let tolerance = probe["tolerance"] ?? .null
            let ok = try Tolerance.check(tolerance, value: record.output, substitution: substitution) { activity in
                if tolerance["type"]?.string == "probe" {
                    self.lock.withLock { self.injected[index] = activity }
                }
                do {
                    return try self.runProvider(activity, interruptible: interruptible, abortFD: -1)
                } catch let failure as ActivityFailed {
                    // chaoslib's run_activity logs the tolerance's exception at DEBUG (log file, --verbose) before
                    // the tolerance counts as not met: the only place its message shows.
                    self.log.debug("Activity failed\n" + failure.traceback.joined(), at: .init("activity", 317))
                    throw failure
                }
            }
            if !ok {
                record.toleranceMet = false
                met = false
                break
            }
        }
        if met { log.info("Steady state hypothesis is met!", at: .init("hypothesis", 260)) }
        let probesJSON = records.map { r -> JSON in
            var j = r.json(injected: [:])
            if let i = r.hypothesisIndex { j["__index"] = .int(i) }
            return j
        }
        let json = JSON.object([.init("steady_state_met", .bool(met)), .init("probes", .array(probesJSON))])
        return HypothesisState(met: met, anyProbeFailed: anyFailed, lastName: lastName, json: json)
    }

    // MARK: - Method and rollbacks

    private var background: [Thread] = []
    private let backgroundDone = Spawn.makePipe()
    private var backgroundPending = 0

    /// Runs the method; returns true when it returned normally.
    private func runMethod() throws -> Bool {
        try control("before_method_control", level: .array([]), payload: ["context": experiment])
        let returned = try runMethodActivities()
        let records = lock.withLock { runRecords }.map { $0.json(injected: [:]) }
        try control("after_method_control", level: .array([]), payload: ["context": experiment, "state": .array(records)])
        return returned
    }

    private func runMethodActivities() throws -> Bool {
        log.info("Playing your experiment's method now...", at: .init("run", 778))
        let method = experiment["method"]?.array ?? []
        if method.isEmpty {
            log.info("No declared activities, let's move on.", at: .init("activity", 150))
            return true
        }
        let cache = Validator.activityCache(experiment)
        do {
            for entry in method {
                var activity = entry
                if let ref = entry["ref"]?.string {
                    guard let resolved = cache[ref] else {
                        throw ActivityAborted(
                            message: "could not find referenced activity '\(ref)'",
                            traceback: ["chaoslib.exceptions.ActivityFailed: could not find referenced activity '\(ref)'\n"])
                    }
                    activity = resolved
                }
                if activity["background"] == .bool(true) {
                    startBackground(activity, rollback: false)
                } else {
                    let record = try execute(activity, into: .run, interruptible: true, abortFD: -1)
                    record.hypothesisIndex = hypothesisIndex(ref: entry["ref"]?.string)
                }
                if let s = currentStatus(), ["aborted", "failed", "interrupted"].contains(s) { break }
            }
            try waitBackground(interruptible: true)
        } catch let aborted as ActivityAborted {
            setStatus("aborted")
            log.critical(
                "Experiment ran into an un expected fatal error, aborting now.\n" + aborted.traceback.joined()
                    .trimmingSpaces(), at: .init("run", 801))
            return false
        }
        return true
    }

    /// The hypothesis probe a `ref` resolves to (hypothesis probes win over method activities of the same name), so
    /// its record shows the same (shared, in chaoslib) tolerance object, injected `value` included.
    private func hypothesisIndex(ref: String?) -> Int? {
        guard let ref else { return nil }
        return (experiment["steady-state-hypothesis"]?["probes"]?.array ?? []).lastIndex { $0["name"]?.string == ref }
    }

    private func startBackground(_ activity: JSON, rollback: Bool) {
        lock.withLock { backgroundPending += 1 }
        // The loop goes on once the thread has logged its first line (its pause or its "[in background]" line), so
        // the console order is the one chaostoolkit's thread pool gives.
        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            defer {
                var byte: UInt8 = 1
                _ = write(backgroundDone.write, &byte, 1)
            }
            do {
                _ = try execute(
                    activity, into: rollback ? .rollbacks : .run, interruptible: false, abortFD: abortPipe.read,
                    onStarted: { started.signal() })
            } catch {
                log.debug("background activity stopped: \(error)")
            }
        }
        thread.start()
        started.wait()
    }

    /// Waits for every background activity started so far (`pool.shutdown(wait=True)`).
    private func waitBackground(interruptible: Bool) throws {
        while lock.withLock({ backgroundPending }) > 0 {
            let watch = interruptible ? signals : SignalWatch.none
            if try watch.wait(fd: backgroundDone.read, events: Int16(POLLIN), timeout: nil) {
                var byte: UInt8 = 0
                if read(backgroundDone.read, &byte, 1) == 1 { lock.withLock { backgroundPending -= 1 } }
            }
        }
    }

    private func awaitBackground() {
        do {
            try waitBackground(interruptible: false)
        } catch {}
    }

    /// SIGUSR2: background activities are stopped and recorded as failed.
    private func abortBackground() {
        var byte: UInt8 = 1
        _ = write(abortPipe.write, &byte, 1)
    }

    private func rollbacks(strategy: String) throws {
        let s = currentStatus()
        let isDeviated = lock.withLock { deviated }
        var play: Bool
        switch strategy {
        case "always":
            log.warning("Rollbacks were explicitly requested to be played", at: .init("run", 821))
            play = true
        case "never":
            log.warning("Rollbacks were explicitly requested to not be played", at: .init("run", 824))
            play = false
        case "deviated":
            if isDeviated {
                log.warning("Rollbacks will be played only because the experiment deviated", at: .init("run", 833))
                play = true
            } else {
                log.warning(
                    "Rollbacks were explicitely requested to be played only if the experiment deviated. Since this is not the case, we will not play them."
                , at: .init("run", 839))
                play = false
            }
        default:
            play = s != "failed" && s != "interrupted"
        }
        guard play else { return }
        do {
            try control("before_rollback_control", level: .array([]), payload: ["context": experiment])
        } catch is Interruption {
            setStatus("interrupted")
            log.warning("Received an exit signal.Terminating now without running the remaining rollbacks.", at: .init("run", 864))
            return
        }
        defer {
            let records = lock.withLock { rollbackRecords }.map { $0.json(injected: [:]) }
            try? control("after_rollback_control", level: .array([]), payload: ["context": experiment, "state": .array(records)])
        }
        log.info("Let's rollback...", at: .init("run", 1072))
        let list = experiment["rollbacks"]?.array ?? []
        if list.isEmpty {
            log.info("No declared rollbacks, let's move on.", at: .init("rollback", 33))
            return
        }
        let cache = Validator.activityCache(experiment)
        do {
            for entry in list {
                log.info("Rollback: \(entry["name"]?.pythonString ?? "None")", at: .init("rollback", 36))
                var activity = entry
                if let ref = entry["ref"]?.string {
                    guard let resolved = cache[ref] else {
                        throw ChaosError.crash(
                            "chaoslib.exceptions.ActivityFailed: could not find referenced activity '\(ref)'")
                    }
                    activity = resolved
                }
                if activity["background"] == .bool(true) {
                    startBackground(activity, rollback: true)
                } else {
                    let record = try execute(activity, into: .rollbacks, interruptible: true, abortFD: -1)
                    record.hypothesisIndex = hypothesisIndex(ref: entry["ref"]?.string)
                }
            }
            try waitBackground(interruptible: true)
        } catch is Interruption {
            setStatus("interrupted")
            log.warning("Received an exit signal.Terminating now without running the remaining rollbacks.", at: .init("run", 864))
        } catch let aborted as ActivityAborted {
            throw ChaosError.crash(aborted.message)
        }
    }

    // MARK: - One activity

    /// The journal list an activity's record goes to.
    enum JournalSection { case run, rollbacks }

    /// Whether the run's dry mode skips this activity. An activity-level `dry` replaces the run's mode, but chaoslib
    /// compares it with its `Dry` enum, so a JSON/YAML value never matches: such an activity always runs (§4).
    func isDry(_ activity: JSON) -> Bool {
        if activity["dry"] != nil { return false }
        switch options.dry {
        case "activities": return true
        case "probes": return activity["type"]?.string == "probe"
        case "actions": return activity["type"]?.string == "action"
        default: return false
        }
    }

    private func pause(_ value: JSON?, _ text: String?, dry: Bool, watch: SignalWatch, abortFD: Int32) throws {
        guard let value, value.isTruthy else { return }
        if let text { log.info(text.replacingOccurrences("{}", value.pythonString), at: .init("activity", 280)) }
        guard !dry, options.dry != "pause", let seconds = value.number, seconds > 0 else { return }
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
        _ activity: JSON, into journal: JournalSection?, interruptible: Bool, abortFD: Int32,
        onStarted: (() -> Void)? = nil
    ) throws -> Record {
        var onStarted = onStarted
        defer { onStarted?() }
        if controls != nil {
            try control("before_activity_control", level: activity["controls"], payload: ["context": activity])
        }
        let watch = interruptible ? signals : SignalWatch.none
        let pauses = substitution.apply(activity["pauses"] ?? .null)
        let dry = isDry(activity)
        if pauses["before"]?.isTruthy == true {
            log.info("Pausing before next activity for \(pauses["before"]?.pythonString ?? "")s...", at: .init("activity", 220))
            onStarted?()
            onStarted = nil
        }
        try pause(pauses["before"], nil, dry: dry, watch: watch, abortFD: abortFD)
        let kind = activity["type"]?.string == "probe" ? "Probe" : "Action"
        let name = activity["name"]?.pythonString ?? ""
        let background = activity["background"] == .bool(true)
        log.info("\(kind): \(name)" + (background ? " [in background]" : ""), at: .init("activity", background ? 226 : 232))
        let record = Record(activity: activity)
        switch journal {
        case .run?: lock.withLock { runRecords.append(record) }
        case .rollbacks?: lock.withLock { rollbackRecords.append(record) }
        case nil: break
        }
        onStarted?()
        onStarted = nil
        do {
            if !dry {
                record.output = try runProvider(activity, interruptible: interruptible, abortFD: abortFD)
            }
            record.status = "succeeded"
        } catch let failure as ActivityFailed {
            record.status = "failed"
            record.output = .null
            record.exception = failure.traceback
            log.error("  => failed: \(failure.message)", at: .init("activity", 268))
        } catch {
            record.finish()
            throw error
        }
        record.finish()
        try pause(pauses["after"], "Pausing after activity for {}s...", dry: dry, watch: watch, abortFD: abortFD)
        if controls != nil {
            try control(
                "after_activity_control", level: activity["controls"],
                payload: ["context": activity, "state": record.json(injected: [:])])
        }
        return record
    }
}
