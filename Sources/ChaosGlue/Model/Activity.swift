import BarrageCore

/// `probe` or `action`: an activity's `type`.
enum ActivityType: String, Sendable {
    case probe
    case action
}

/// A thin typed view of one activity (method, rollback, hypothesis probe or probe tolerance) over its `JSON`.
struct Activity: Sendable {
    var json: JSON

    init(_ json: JSON) { self.json = json }

    /// Nil when the type is missing or not one chaoslib knows (validation rejects those).
    var type: ActivityType? { json["type"]?.string.flatMap(ActivityType.init) }
    /// The name as chaoslib prints it (`""` when missing).
    var name: String { json["name"]?.pythonString ?? "" }
    /// The name of the activity this entry refers to (`{"ref": "name"}`).
    var ref: String? { json["ref"]?.string }
    var isBackground: Bool { json["background"] == .bool(true) }
    var provider: Provider { Provider(json["provider"] ?? .object([])) }
    var pauses: JSON? { json["pauses"] }
    var tolerance: JSON? { json["tolerance"] }
    /// The activity's own `controls` list.
    var controls: JSON? { json["controls"] }
}

/// `python`, `process` or `http`: a provider's `type`.
enum ProviderType: String, Sendable {
    case python
    case process
    case http
}

/// A thin typed view of an activity's `provider` over its `JSON`.
struct Provider: Sendable {
    var json: JSON

    init(_ json: JSON) { self.json = json }

    /// Nil when the type is missing or unknown.
    var type: ProviderType? { json["type"]?.string.flatMap(ProviderType.init) }
    var arguments: JSON? { json["arguments"] }
    /// A process provider's executable.
    var path: JSON? { json["path"] }
    var timeout: Double? { json["timeout"]?.number }
    /// A python provider's secret scopes.
    var secrets: JSON? { json["secrets"] }
}
