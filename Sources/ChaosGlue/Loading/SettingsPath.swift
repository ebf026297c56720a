public import BarrageCore

/// chaoslib's `locate_settings_entry`: a dotted key into the settings (`auths.example\.com.type`,
/// `controls[0].name`), and the edits `chaos settings set|remove` make there.
public enum SettingsPath {
    /// One step: a mapping key, or a list index.
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// The steps to an existing entry, or nil when one is missing (chaoslib then exits 1 without a word).
    public static func locate(_ dotted: String, in settings: JSON) -> [Step]? {
        var parts: [String] = []
        var current = ""
        var previous: Character?
        for c in dotted {
            if c == ".", previous != "\\" {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
            previous = c
        }
        parts.append(current)
        var steps: [Step] = []
        var node = settings
        for raw in parts {
            var part = raw.replacingOccurrences("\\", "")
            var index: Int?
            if part.hasSuffix("]"), let open = part.lastIndex(of: "[") {
                let digits = part[part.index(after: open)..<part.index(before: part.endIndex)]
                if digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                    index = Int(digits) ?? 0
                    part = String(part[..<open])
                }
            }
            guard let next = node[part] else { return nil }
            steps.append(.key(part))
            node = next
            if let index {
                guard let items = node.array, index < items.count else { return nil }
                steps.append(.index(index))
                node = items[index]
            }
        }
        return steps
    }

    /// The entry at `steps`.
    public static func value(at steps: [Step], in settings: JSON) -> JSON? {
        var node = settings
        for step in steps {
            switch step {
            case .key(let k):
                guard let next = node[k] else { return nil }
                node = next
            case .index(let i):
                guard let items = node.array, i < items.count else { return nil }
                node = items[i]
            }
        }
        return node
    }

    /// Replaces the entry at `steps` with `value`.
    public static func set(_ value: JSON, at steps: [Step], in settings: inout JSON) {
        edit(steps[...], in: &settings) { $0 = value }
    }

    /// Removes the entry at `steps` from its mapping or list.
    public static func remove(at steps: [Step], in settings: inout JSON) {
        guard let last = steps.last else { return }
        edit(steps.dropLast()[...], in: &settings) { parent in
            switch (last, parent) {
            case (.key(let k), .object): parent[k] = nil
            case (.index(let i), .array(var items)) where i < items.count:
                items.remove(at: i)
                parent = .array(items)
            default: break
            }
        }
    }

    private static func edit(_ steps: ArraySlice<Step>, in node: inout JSON, _ body: (inout JSON) -> Void) {
        guard let step = steps.first else { return body(&node) }
        switch step {
        case .key(let k):
            guard var child = node[k] else { return }
            edit(steps.dropFirst(), in: &child, body)
            node[k] = child
        case .index(let i):
            guard case .array(var items) = node, i < items.count else { return }
            edit(steps.dropFirst(), in: &items[i], body)
            node = .array(items)
        }
    }
}
