public import BarrageCore

/// `${name}` / `$name` / `$$` substitution, as chaoslib does it with `string.Template.safe_substitute` over
/// `ChainMap(configuration, *secrets.values())` (reference §3.3).
public struct Substitution: Sendable {
    /// Names in lookup order: configuration first, then each secret scope in declaration order; first wins.
    private var values: [String: JSON] = [:]
    /// True when configuration or secrets hold anything (some places substitute only then).
    public let isEmpty: Bool
    /// Names that resolve to a secret (declared in a secret scope and not shadowed by configuration).
    let secretNames: Set<String>

    public init(configuration: JSON, secrets: JSON) {
        var values: [String: JSON] = [:]
        var secretNames: Set<String> = []
        var scopes: [[JSON.Member]] = [configuration.members ?? []]
        for scope in secrets.members ?? [] {
            scopes.append(scope.value.members ?? [])
        }
        for (index, scope) in scopes.enumerated() {
            for member in scope where values[member.key] == nil {
                values[member.key] = member.value
                if index > 0 { secretNames.insert(member.key) }
            }
        }
        self.values = values
        self.secretNames = secretNames
        isEmpty = (configuration.members ?? []).isEmpty && (secrets.members ?? []).isEmpty
    }

    /// Recursively substitutes strings inside dicts and lists (dict keys are left alone).
    public func apply(_ value: JSON) -> JSON {
        switch value {
        case .string(let s): return apply(string: s)
        case .array(let items): return .array(items.map(apply))
        case .object(let members): return .object(members.map { JSON.Member($0.key, apply($0.value)) })
        default: return value
        }
    }

    /// A whole-string `${name}` keeps the value's own type; anything else becomes a string.
    public func apply(string s: String) -> JSON {
        if let name = Self.wholeName(s), let v = values[name] { return v }
        return .string(render(s, masking: false).text)
    }

    /// `apply` as it may be shown: every value that comes from a secret is `***`, whatever its length or type
    /// (the journal's title, the console's `Running experiment:` and pause lines).
    func applyMasked(_ value: JSON) -> JSON {
        switch value {
        case .string(let s):
            if let name = Self.wholeName(s), let v = values[name] {
                return secretNames.contains(name) ? .string("***") : v
            }
            return .string(render(s, masking: true).text)
        case .array(let items): return .array(items.map(applyMasked))
        case .object(let members): return .object(members.map { JSON.Member($0.key, applyMasked($0.value)) })
        default: return value
        }
    }

    /// Whether substituting `s` puts a secret into it.
    func referencesSecret(_ s: String) -> Bool {
        if let name = Self.wholeName(s), values[name] != nil { return secretNames.contains(name) }
        return render(s, masking: false).usedSecret
    }

    /// The `name` of a string that is exactly `${name}`.
    private static func wholeName(_ s: String) -> String? {
        guard s.hasPrefix("${"), s.hasSuffix("}"), s.count > 3 else { return nil }
        let name = String(s.dropFirst(2).dropLast())
        return name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? name : nil
    }

    private static func isStart(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && c.isLetter)
    }
    private static func isPart(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
    }

    /// `Template.safe_substitute`: unknown names and malformed placeholders stay verbatim, `$$` becomes `$`.
    func template(_ s: String) -> String { render(s, masking: false).text }

    /// `template`, saying whether a secret was put in; with `masking`, each secret is put in as `***`.
    private func render(_ s: String, masking: Bool) -> (text: String, usedSecret: Bool) {
        guard s.contains("$") else { return (s, false) }
        var usedSecret = false
        func value(_ name: String) -> String? {
            guard let v = values[name] else { return nil }
            guard secretNames.contains(name) else { return v.pythonString }
            usedSecret = true
            return masking ? "***" : v.pythonString
        }
        let chars = Array(s)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "$", i + 1 < chars.count else {
                out.append(c)
                i += 1
                continue
            }
            let next = chars[i + 1]
            if next == "$" {
                out.append("$")
                i += 2
            } else if next == "{" {
                var j = i + 2
                if j < chars.count, Self.isStart(chars[j]) {
                    j += 1
                    while j < chars.count, Self.isPart(chars[j]) { j += 1 }
                    if j < chars.count, chars[j] == "}" {
                        let name = String(chars[(i + 2)..<j])
                        if let v = value(name) {
                            out += v
                        } else {
                            out += String(chars[i...j])
                        }
                        i = j + 1
                        continue
                    }
                }
                out.append("$")
                i += 1
            } else if Self.isStart(next) {
                var j = i + 2
                while j < chars.count, Self.isPart(chars[j]) { j += 1 }
                let name = String(chars[(i + 1)..<j])
                if let v = value(name) {
                    out += v
                } else {
                    out += "$" + name
                }
                i = j
            } else {
                out.append("$")
                i += 1
            }
        }
        return (out, usedSecret)
    }
}
