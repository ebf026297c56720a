public import BarrageCore
import Fetch
import Foundation
import Yams

/// Loads experiment files (and var files, settings, control files) as `JSON`.
public enum ExperimentLoader {
    /// Reads SOURCE: a `.json`/`.yaml`/`.yml` file, or an http(s) URL.
    /// `settings.auths` (`{"host[:port]": {type, value}}`) and `CHAOSTOOLKIT_LOADER_AUTH_BEARER_TOKEN` add an
    /// Authorization header when SOURCE is a URL.
    /// `verifyTLS: false` (`--no-verify-tls`) loads an https SOURCE without checking its certificate.
    public static func load(source: String, settings: JSON = .object([]), verifyTLS: Bool = true) throws(ChaosError)
        -> JSON
    {
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            var headers: [(String, String)] = []
            if let url = URLParts(source) {
                let auth = settings["auths"]?[url.hostHeader] ?? settings["auths"]?[url.host]
                if let auth, let type = auth["type"]?.string, let value = auth["value"]?.string {
                    headers.append(("Authorization", "\(type) \(value)"))
                }
            }
            if let token = Configuration.environment("CHAOSTOOLKIT_LOADER_AUTH_BEARER_TOKEN") {
                headers = [("Authorization", "Bearer \(token)")]
            }
            return try loadURL(source, headers: headers, verifyTLS: verifyTLS)
        }
        let lower = source.lowercased()
        guard lower.hasSuffix(".json") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else {
            guard FileManager.default.fileExists(atPath: source) else {
                throw .invalid("Path \"\(source)\" does not exist.")
            }
            throw .invalid("only files with json, yaml or yml extensions are supported")
        }
        return try loadFile(source)
    }

    /// Reads a JSON or YAML file picked by its extension; parse errors name file, line and column.
    public static func loadFile(_ path: String) throws(ChaosError) -> JSON {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .invalid("Path \"\(path)\" does not exist.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid("\(path): cannot be read")
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            return try parseYAML(String(decoding: data, as: UTF8.self), name: path)
        }
        return try parseJSON([UInt8](data), name: path)
    }

    /// Parses experiment text (JSON, or YAML when `yaml`); `name` appears in error messages.
    public static func parse(_ text: String, name: String, yaml: Bool = false) throws(ChaosError) -> JSON {
        yaml ? try parseYAML(text, name: name) : try parseJSON(Array(text.utf8), name: name)
    }

    static func parseJSON(_ bytes: [UInt8], name: String) throws(ChaosError) -> JSON {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .invalid("\(name):\(error.line):\(error.column): invalid JSON: \(error.text(.python))")
        }
    }

    /// A YAML file (whatever its name) as `yaml.safe_load` reads it: the settings file.
    ///
    /// - Throws: `ChaosError.invalid` when it cannot be read or parsed.
    public static func parseYAMLFile(_ path: String) throws(ChaosError) -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else { throw .invalid("\(path): cannot be read") }
        return try parseYAML(String(decoding: data, as: UTF8.self), name: path)
    }

    /// YAML through libyaml (Yams), resolved like PyYAML's `safe_load` (YAML 1.1 booleans, ints, floats, nulls).
    static func parseYAML(_ text: String, name: String) throws(ChaosError) -> JSON {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .invalid(yamlMessage(error, name: name))
        } catch {
            throw .invalid("\(name): invalid YAML: \(error)")
        }
        guard let node else { return .null }
        var budget = maxYAMLNodes
        return try convert(node, name: name, budget: &budget)
    }

    /// The most nodes a YAML document may have once its aliases are expanded. An alias is a reference to a node
    /// written once, so a few hundred bytes of nested aliases ("billion laughs") stand for billions of nodes; the
    /// conversion counts every node it builds and stops at this limit, far above any real experiment.
    static let maxYAMLNodes = 1_000_000

    private static func yamlMessage(_ error: YamlError, name: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return "\(name):\(mark.line):\(mark.column): invalid YAML: \(problem)\(ctx)"
        default:
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            return "\(name): invalid YAML: \(first)"
        }
    }

    private static func convert(_ node: Node, name: String, budget: inout Int) throws(ChaosError) -> JSON {
        budget -= 1
        if budget < 0 {
            throw .invalid(
                "\(name): invalid YAML: more than \(maxYAMLNodes) nodes once aliases are expanded "
                    + "(the limit for one document)")
        }
        switch node {
        case .scalar(let scalar):
            let tag = "\(node.tag)"
            let where_ = scalar.mark.map { "\(name):\($0.line):\($0.column)" } ?? name
            switch tag {
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool":
                guard let b = node.bool else { throw .invalid("\(where_): invalid YAML boolean") }
                return .bool(b)
            case "tag:yaml.org,2002:int":
                // Yams traps when a base-60 integer (`1:30`, YAML 1.1) overflows Int, so those are read here.
                if scalar.string.contains(":") {
                    if let i = sexagesimalInt(scalar.string) { return .int(i) }
                } else if let i = node.int {
                    return .int(i)
                }
                if let d = node.float { return .double(d) }
                return .string(scalar.string)
            case "tag:yaml.org,2002:float":
                if let d = node.float { return .double(d) }
                return .string(scalar.string)
            case "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary":
                return .string(scalar.string)
            default:
                throw .invalid("\(where_): invalid YAML: could not determine a constructor for the tag '\(tag)'")
            }
        case .sequence(let seq):
            var items: [JSON] = []
            for child in seq { items.append(try convert(child, name: name, budget: &budget)) }
            return .array(items)
        case .mapping(let mapping):
            // A repeated key keeps its first place and takes the last value (PyYAML's dict); the index keeps
            // a large mapping linear.
            var members: [JSON.Member] = []
            var index: [String: Int] = [:]
            for (key, value) in try flattened(mapping, name: name, budget: &budget) {
                let k: String
                switch try convert(key, name: name, budget: &budget) {
                case .string(let s): k = s
                case let other: k = other.pythonString
                }
                let v = try convert(value, name: name, budget: &budget)
                if let i = index[k] {
                    members[i].value = v
                } else {
                    index[k] = members.count
                    members.append(JSON.Member(k, v))
                }
            }
            return .object(members)
        case .alias(let alias):
            let where_ = alias.mark.map { "\(name):\($0.line):\($0.column)" } ?? name
            throw .invalid("\(where_): invalid YAML: unresolved alias")
        }
    }

    /// PyYAML's `flatten_mapping` (`<<` merge keys): the pairs of the merged mappings first (a list of mappings
    /// merged last to first, so the first one listed wins), then the mapping's own pairs, which win over both.
    private static func flattened(_ mapping: Node.Mapping, name: String, budget: inout Int) throws(ChaosError)
        -> [(Node, Node)]
    {
        var merged: [(Node, Node)] = []
        var own: [(Node, Node)] = []
        for (key, value) in mapping {
            // Merged pairs count against the same limit as nodes: merges of merges multiply like nested aliases.
            budget -= 1
            if budget < 0 {
                throw .invalid(
                    "\(name): invalid YAML: more than \(maxYAMLNodes) nodes once aliases are expanded "
                        + "(the limit for one document)")
            }
            guard case .scalar = key, "\(key.tag)" == "tag:yaml.org,2002:merge" else {
                own.append((key, value))
                continue
            }
            let at = mapping.mark.map { "\(name):\($0.line):\($0.column)" } ?? name
            func found(_ node: Node) -> String {
                let kind: String
                switch node {
                case .scalar: kind = "scalar"
                case .sequence: kind = "sequence"
                case .mapping: kind = "mapping"
                case .alias: kind = "alias"
                }
                let mark = node.mark.map { " (line \($0.line), column \($0.column))" } ?? ""
                return kind + mark
            }
            switch value {
            case .mapping(let m):
                merged += try flattened(m, name: name, budget: &budget)
            case .sequence(let seq):
                var parts: [[(Node, Node)]] = []
                for item in seq {
                    guard case .mapping(let m) = item else {
                        throw .invalid(
                            "\(at): invalid YAML: while constructing a mapping: expected a mapping for merging, but found \(found(item))"
                        )
                    }
                    parts.append(try flattened(m, name: name, budget: &budget))
                }
                for part in parts.reversed() { merged += part }
            default:
                throw .invalid(
                    "\(at): invalid YAML: while constructing a mapping: expected a mapping or list of mappings for merging, but found \(found(value))"
                )
            }
        }
        return merged + own
    }

    /// A YAML 1.1 base-60 integer (`-1:30` is -90), or nil when it overflows `Int` (it is then read as a float,
    /// like any integer too large for `Int`).
    private static func sexagesimalInt(_ text: String) -> Int? {
        var digits = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if digits.hasPrefix("-") {
            negative = true
            digits = digits.dropFirst()
        } else if digits.hasPrefix("+") {
            digits = digits.dropFirst()
        }
        var value = 0
        for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
            guard let digit = Int(part) else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 60)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    private static func loadURL(_ url: String, headers: [(String, String)], verifyTLS: Bool) throws(ChaosError) -> JSON
    {
        let response: FetchResponse
        do {
            let request = FetchRequest(
                url: url, headers: headers, tls: FetchTLS(verify: verifyTLS), connectTimeout: 30, readTimeout: 30)
            response = try HTTPCall.send(request, watch: nil)
        } catch let failure as ActivityFailed {
            throw .invalid("failed to fetch the experiment from \(url): \(failure.message)")
        } catch {
            throw .invalid("failed to fetch the experiment from \(url): \(error)")
        }
        guard response.status < 400 else {
            throw .invalid("Failed to fetch the experiment: \(response.status) \(response.bodyText)")
        }
        let contentType = response.header("Content-Type") ?? ""
        if contentType.contains("yaml") || url.hasSuffix(".yaml") || url.hasSuffix(".yml") {
            return try parseYAML(response.bodyText, name: url)
        }
        return try parseJSON(response.body, name: url)
    }
}
