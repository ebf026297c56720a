public import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// A `--var key[:type]=value` from the command line.
public struct ConfigVar: Sendable, Equatable {
    public var key: String
    public var value: JSON

    /// Parses `key=value` or `key:type=value`; nil (with the reason) when malformed.
    public static func parse(_ text: String) -> Result<ConfigVar, ChaosError> {
        guard let eq = text.firstIndex(of: "=") else {
            return .failure(.invalid("--var: expected key=value or key:type=value, got '\(text)'"))
        }
        var key = String(text[..<eq])
        let raw = String(text[text.index(after: eq)...])
        var type = "str"
        if let colon = key.firstIndex(of: ":") {
            type = String(key[key.index(after: colon)...])
            key = String(key[..<colon])
        }
        switch Configuration.convert(type: type, .string(raw)) {
        case .success(let v): return .success(ConfigVar(key: key, value: v))
        case .failure(let e): return .failure(e)
        }
    }
}

/// Loading of `configuration` and `secrets` (reference §3.1, §3.2).
public enum Configuration {
    static func environment(_ key: String) -> String? {
        guard let p = getenv(key) else { return nil }
        return String(cString: p)
    }

    /// `convert_vars`: str/string, int/integer, float/number, bytes, bool, json.
    public static func convert(type: String, _ value: JSON) -> Result<JSON, ChaosError> {
        let text: String
        switch value {
        case .string(let s): text = s
        default: text = value.pythonString
        }
        switch type {
        case "str", "string", "bytes":
            if case .string = value { return .success(value) }
            return .success(.string(text))
        case "int", "integer":
            if case .int = value { return .success(value) }
            if case .double(let d) = value, d.isFinite, abs(d) < 9e18 { return .success(.int(Int(d))) }
            guard let i = Int(text.trimmingSpaces()) else {
                return .failure(.invalid("invalid literal for int() with base 10: '\(text)'"))
            }
            return .success(.int(i))
        case "float", "number":
            if let n = value.number, !(value.string != nil) { return .success(.double(n)) }
            guard let d = Double(text.trimmingSpaces()) else {
                return .failure(.invalid("could not convert string to float: '\(text)'"))
            }
            return .success(.double(d))
        case "bool":
            if case .bool = value { return .success(value) }
            return .success(.bool(!["false", "0", "no"].contains(text.lowercased())))
        case "json":
            guard case .string(let s) = value else { return .success(value) }
            do {
                return .success(try JSONParser.parse(s))
            } catch {
                return .failure(.invalid("invalid json value '\(s)': \(error.text(.python))"))
            }
        default:
            return .failure(.invalid("unknown type '\(type)' for a variable"))
        }
    }

    /// `load_configuration`: inline values as is, `{type: env}` resolved, vars replacing declared keys first.
    /// Dynamic (`{type: probe}`) entries are kept for `Runner` to run.
    public static func load(_ declared: JSON?, vars: [String: JSON] = [:]) throws(ChaosError) -> JSON {
        var result = JSON.object([])
        if let declared, !declared.isNull, !declared.isObject { throw ExperimentShape.noAttribute(declared, "items") }
        for member in declared?.members ?? [] {
            if let v = vars[member.key] {
                result[member.key] = v
                continue
            }
            let value = member.value
            guard value["type"]?.string == "env" else {
                result[member.key] = value
                continue
            }
            let envKey = value["key"]?.pythonString ?? ""
            var raw: JSON
            if let env = environment(envKey) {
                raw = .string(env)
            } else if let def = value["default"] {
                raw = def
            } else {
                throw .invalid("Configuration makes reference to an environment key that does not exist: \(envKey)")
            }
            if let type = value["env_var_type"]?.string {
                switch convert(type: type, raw) {
                case .success(let v): raw = v
                case .failure(let e): throw e
                }
            }
            result[member.key] = raw
        }
        return result
    }

    /// `load_secrets`: env secrets must exist; a vault secret behaves as in a chaoslib installed without `hvac`
    /// (the reference setup): an ERROR line, and the secret's value is `{}`.
    ///
    /// - Parameter log: where the vault ERROR line goes (none when nil).
    public static func loadSecrets(_ declared: JSON?, log: ChaosLog? = nil) throws(ChaosError) -> JSON {
        var result = JSON.object([])
        if let declared, !declared.isNull, !declared.isObject { throw ExperimentShape.noAttribute(declared, "items") }
        for scope in declared?.members ?? [] {
            if !scope.value.isObject { throw ExperimentShape.noAttribute(scope.value, "items") }
            var loaded = JSON.object([])
            for member in scope.value.members ?? [] {
                let value = member.value
                switch value["type"]?.string {
                case "env":
                    let envKey = value["key"]?.pythonString ?? ""
                    guard let env = environment(envKey) else {
                        throw .invalid("Secrets make reference to an environment key that does not exist: \(envKey)")
                    }
                    loaded[member.key] = .string(env)
                case "vault":
                    log?.error(
                        "Install the `hvac` package to fetch secrets from Vault: `pip install chaostoolkit-lib[vault]`.",
                        at: .init("secret", 181))
                    loaded[member.key] = .object([])
                default:
                    loaded[member.key] = value
                }
            }
            result[scope.key] = loaded
        }
        return result
    }
}
