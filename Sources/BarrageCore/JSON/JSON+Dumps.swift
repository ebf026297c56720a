extension JSON {
    /// The value as Python's `json.dumps` writes it.
    ///
    /// With `indent` (the journal's `json.dump(indent=2)`), each item and member goes on its own line after a `,`,
    /// and empty containers stay `[]` and `{}`. Without it (`json.dumps(x)`), items are separated by `", "`. Names
    /// are followed by `": "` in both. Floats are written as Python's `repr` writes them.
    ///
    /// - Parameters:
    ///   - indent: spaces per level, or nil for one line.
    ///   - ensureASCII: Python's `ensure_ascii` (its default; the journal turns it off): characters past `~` as
    ///     `\uXXXX`.
    /// - Returns: the text.
    package func pythonDumps(indent: Int? = nil, ensureASCII: Bool = false) -> String {
        var out: [UInt8] = []
        write(into: &out, Layout(indent: indent, escaping: .python(ensureASCII: ensureASCII)), level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private struct Layout {
        var indent: Int?
        var escaping: JSONEscaping
    }

    private func write(into out: inout [UInt8], _ layout: Layout, level: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: JSON.pythonFloat(d).utf8)
        case .string(let s): JSONString.append(s, layout.escaping, to: &out)
        case .array(let items):
            writeContainer(items, "[]", into: &out, layout.indent, level: level) { item, out in
                item.write(into: &out, layout, level: level + 1)
            }
        case .object(let members):
            writeContainer(members, "{}", into: &out, layout.indent, level: level) { member, out in
                JSONString.append(member.key, layout.escaping, to: &out)
                out.append(contentsOf: ": ".utf8)
                member.value.write(into: &out, layout, level: level + 1)
            }
        }
    }

    /// Writes `elements` between the two `brackets`, one per line when indented.
    private func writeContainer<T>(
        _ elements: [T], _ brackets: StaticString, into out: inout [UInt8], _ indent: Int?, level: Int,
        _ element: (T, inout [UInt8]) -> Void
    ) {
        out.append(brackets.utf8Start[0])
        defer { out.append(brackets.utf8Start[1]) }
        guard !elements.isEmpty else { return }
        guard let indent else {
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                element(e, &out)
            }
            return
        }
        for (i, e) in elements.enumerated() {
            out.append(i == 0 ? UInt8(ascii: "\n") : UInt8(ascii: ","))
            if i > 0 { out.append(UInt8(ascii: "\n")) }
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * (level + 1)))
            element(e, &out)
        }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }
}
