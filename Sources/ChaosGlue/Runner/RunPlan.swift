import BarrageCore

/// What every activity of a run sees: the loaded configuration and secrets, and the substitution over them.
struct RunContext: Sendable {
    var configuration: JSON
    var secrets: JSON
    var substitution: Substitution
    /// What of the secrets is masked, and how (built once the configuration is final).
    var mask: SecretMask = .none
}

/// What a run is given before it starts (chaostoolkit's CLI and chaoslib's `Runner.configure`, reference §6.1):
/// the strategies, then the configuration and secrets, dynamic configuration included.
struct RunPlan: Sendable {
    var hypothesisStrategy: HypothesisStrategy
    var rollbackStrategy: RollbackStrategy
    var context: RunContext

    /// Marks the experiment `dry`, resolves the strategies and loads the configuration and secrets (dynamic
    /// configuration probes run here, and leave the secrets in their provider, as chaoslib does).
    ///
    /// - Throws: `ChaosError.crash` for an unknown strategy; configuration and secret loading errors.
    init(
        preparing experiment: inout JSON, options: RunOptions, log: ChaosLog, signals: SignalWatch, bridges: BridgePool
    ) throws(ChaosError) {
        if let dry = options.dry { experiment["dry"] = .string(dry.rawValue) } else { experiment["dry"] = .null }
        (hypothesisStrategy, rollbackStrategy) = try Self.strategies(Experiment(experiment), options: options, log: log)
        context = try Self.configure(&experiment, options: options, log: log, signals: signals, bridges: bridges)
    }

    /// The command line beats the experiment's `runtime` block, which beats the settings file.
    private static func strategies(
        _ experiment: Experiment, options: RunOptions, log: ChaosLog
    ) throws(ChaosError) -> (HypothesisStrategy, RollbackStrategy) {
        var hypothesis = "default"
        var rollbacks = "default"
        if let runtime = experiment.runtime {
            hypothesis = runtime["hypothesis"]?["strategy"]?.string ?? "default"
            rollbacks = runtime["rollbacks"]?["strategy"]?.string ?? "default"
        } else {
            hypothesis = options.settings["runtime"]?["hypothesis"]?["strategy"]?.string ?? "default"
            rollbacks = options.settings["runtime"]?["rollbacks"]?["strategy"]?.string ?? "default"
        }
        if let h = options.hypothesisStrategy { hypothesis = h }
        if let r = options.rollbackStrategy { rollbacks = r }
        return (try HypothesisStrategy.parse(hypothesis, log: log), try RollbackStrategy.parse(rollbacks))
    }

    /// `load_configuration` (+ vars), `load_secrets`, then `load_dynamic_configuration`.
    private static func configure(
        _ experiment: inout JSON, options: RunOptions, log: ChaosLog, signals: SignalWatch, bridges: BridgePool
    ) throws(ChaosError) -> RunContext {
        var declared = experiment["configuration"] ?? .object([])
        for m in options.fileConfiguration.members ?? [] { declared[m.key] = m.value }
        var configuration = try Configuration.load(declared, vars: options.vars)
        var declaredSecrets = experiment["secrets"] ?? .object([])
        for m in options.fileSecrets.members ?? [] { declaredSecrets[m.key] = m.value }
        let secrets = try Configuration.loadSecrets(declaredSecrets, log: log)
        var substitution = Substitution(configuration: configuration, secrets: secrets)
        log.mask(SecretMask(secrets: secrets, substitution: substitution, experiment: experiment))
        // Dynamic configuration: probes run once, in key order, each seeing the keys before it.
        var failed = false
        for m in configuration.members ?? [] where m.value["type"]?.string == "probe" {
            // chaoslib leaves the loaded secrets in the provider of each dynamic probe it ran, so the journal's experiment
            // shows them there (masked here, like every secret).
            if var provider = experiment["configuration"]?[m.key]?["provider"], provider.isObject,
                provider["secrets"] == nil
            {
                provider["secrets"] = secrets
                experiment["configuration"]?[m.key]?["provider"] = provider
            }
            do {
                let context = RunContext(configuration: configuration, secrets: secrets, substitution: substitution)
                let providers = ProviderDispatch(
                    context: context, options: options, log: log, signals: signals, bridges: bridges)
                let output = try providers.call(m.value, interruptible: true, abortFD: -1)
                switch Provider(m.value["provider"] ?? .null).type {
                case .process?:
                    if case .int(0)? = output["status"] {
                        configuration[m.key] = .string((output["stdout"]?.pythonString ?? "").trimmingSpaces())
                    } else {
                        configuration[m.key] = nil
                        failed = true
                    }
                case .http?: configuration[m.key] = output["body"] ?? .null
                default: configuration[m.key] = output
                }
            } catch {
                log.debug("Failed to load configuration '\(m.key)': " + log.masked("\(error)"))
                configuration[m.key] = nil
                failed = true
            }
            substitution = Substitution(configuration: configuration, secrets: secrets)
        }
        if failed {
            log.warning(
                "Some of the dynamic configuration failed to be loaded.Please review the log file for understanding what happened.",
                at: .init("configuration", 195))
        }
        let mask = SecretMask(secrets: secrets, substitution: substitution, experiment: experiment)
        log.mask(mask)
        return RunContext(configuration: configuration, secrets: secrets, substitution: substitution, mask: mask)
    }
}
