public import BarrageCore

/// What `chaos run` passes to the runner.
public struct RunOptions: Sendable {
    /// `--dry probes|actions|activities|pause`.
    public var dry: DryMode?
    /// `--rollback-strategy` / `--hypothesis-strategy` given on the command line (they beat the experiment); parsed
    /// with the experiment's and the settings' ones when the run starts (`continously` warns then).
    public var rollbackStrategy: String?
    public var hypothesisStrategy: String?
    public var hypothesisFrequency = 1.0
    public var failFast = false
    /// `--var` values, by key (they beat var files, which beat the experiment).
    public var vars: [String: JSON] = [:]
    /// `configuration` and `secrets` merged from `--var-file` json/yaml files.
    public var fileConfiguration = JSON.object([])
    public var fileSecrets = JSON.object([])
    /// The settings file (`runtime.*.strategy` are used).
    public var settings = JSON.object([])
    /// `--control-file` contents merged: `name -> control`.
    public var controlFiles = JSON.object([])
    /// Run a `vegeta`/`barrage` path from PATH instead of this executable.
    public var externalVegeta = false

    public init() {}
}
