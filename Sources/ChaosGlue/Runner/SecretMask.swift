import BarrageCore
import Foundation

/// A run's secrets and where they are masked as `***`: barrage's extension (chaostoolkit writes secrets into its
/// journal and log as they are; docs/chaos.md, "Secrets").
///
/// **Where (structural).** Only what came from outside the runner is rewritten: activity output, exceptions and
/// error messages, the messages of python log records, the experiment echo's `secrets` section (every value,
/// whatever its length), the secrets chaoslib leaves in dynamic-configuration providers, a probe tolerance's
/// injected `value`, and the places a secret was substituted into (the title, pause lines, via
/// `Substitution.applyMasked`). The runner's own fields and lines (status, deviated, timestamps, platform, node,
/// chaoslib-version, activity names and types, durations, start/end, its console messages) are never rewritten,
/// so a secret `completed` or `Linux` leaves them alone.
///
/// **What.** Each secret leaf, whatever its JSON type, as Python renders it (`5`, `True`, `2.5`), booleans also in
/// JSON (`true`); for strings also the encodings the runner itself produces: form and query encoding (`+` and
/// `%20` for a space), the URL as libcurl sends it, JSON escaping (ours and Python's `ensure_ascii`) and Python's
/// repr. The base64 of an http URL's `user:password` when a secret is in it (the basic auth header). And each
/// string the experiment substitutes a secret into (an argument, a header, a URL), as a value of its own.
///
/// **Short values.** A secret of fewer than `freeTextMinimum` characters, a boolean, and a substituted string are
/// masked only where they stand as a whole value: a JSON scalar equal to it, a whole line, `=value` ended by `&`,
/// `;`, a quote, white space or the end (query strings, form bodies), `"value"` or `'value'`, or a value after a
/// colon (and spaces) ended by `,`, `}`, `]`, a line end or the end (headers, JSON text). Longer secrets and the
/// basic auth base64 are masked wherever they appear in that free text too: masking every `ab` of a log would
/// hide the log and protect nothing.
struct SecretMask: Sendable {
    /// Secrets at least this long are masked inside free text; shorter ones only as whole values.
    static let freeTextMinimum = 4
    static let none = SecretMask()

    /// One text to look for, and whether it is masked only where it stands as a whole value.
    private struct Needle: Sendable {
        var bytes: [UInt8]
        var wholeOnly: Bool
    }

    /// Longest first, so a secret inside another is not masked first.
    private var needles: [Needle] = []
    /// Every text a whole scalar (an output field, a header value) is compared with.
    private var wholeValues: Set<String> = []

    private init() {}

    /// - Parameters:
    ///   - secrets: the loaded secrets (`{scope: {key: value}}`).
    ///   - substitution: the run's, to find the strings a secret is substituted into.
    ///   - experiment: where those strings are looked for (arguments, headers, URLs, ...).
    init(secrets: JSON, substitution: Substitution, experiment: JSON) {
        var found: [(texts: [String], wholeOnly: Bool)] = []
        func leaves(_ v: JSON) {
            switch v {
            case .array(let a): a.forEach(leaves)
            case .object(let m): m.forEach { leaves($0.value) }
            case .null: break
            case .bool: found.append((Self.renderings(v), true))
            case .string(let s) where s.isEmpty: break
            default: found.append((Self.renderings(v), v.pythonString.count < Self.freeTextMinimum))
            }
        }
        for scope in secrets.members ?? [] { leaves(scope.value) }
        func derived(_ v: JSON) {
            switch v {
            case .array(let a): a.forEach(derived)
            case .object(let m): m.forEach { derived($0.value) }
            case .string(let s) where substitution.referencesSecret(s):
                guard case .string(let text) = substitution.apply(string: s) else { return }
                found.append((Self.renderings(.string(text)), true))
                if let credentials = Self.basicAuth(text) { found.append(([credentials], false)) }
            default: break
            }
        }
        derived(experiment)
        var seen: [String: Bool] = [:]
        for (texts, wholeOnly) in found {
            for t in texts where !t.isEmpty {
                wholeValues.insert(t)
                // Free-text masking wins when one text is both.
                seen[t] = (seen[t] ?? true) && wholeOnly
            }
        }
        needles = seen.map { Needle(bytes: Array($0.key.utf8), wholeOnly: $0.value) }
            .sorted {
                $0.bytes.count != $1.bytes.count
                    ? $0.bytes.count > $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes)
            }
    }

    var isEmpty: Bool { needles.isEmpty }

    /// Free text from outside (an error message, a log record's message, a line of output) with secrets masked.
    func text(_ s: String) -> String {
        guard !needles.isEmpty else { return s }
        var bytes = Array(s.utf8)
        var changed = false
        for n in needles where Self.replace(&bytes, n) { changed = true }
        return changed ? String(decoding: bytes, as: UTF8.self) : s
    }

    /// A JSON value from outside (activity output, an exception): a scalar equal to a secret becomes `"***"`,
    /// strings are masked as free text, containers recursively (keys are left alone).
    func value(_ v: JSON) -> JSON {
        guard !needles.isEmpty else { return v }
        switch v {
        case .string(let s): return wholeValues.contains(s) ? .string("***") : .string(text(s))
        case .int, .double: return wholeValues.contains(v.pythonString) ? .string("***") : v
        case .bool(let b): return wholeValues.contains(b ? "true" : "false") ? .string("***") : v
        case .array(let a): return .array(a.map(value))
        case .object(let m): return .object(m.map { JSON.Member($0.key, value($0.value)) })
        case .null: return v
        }
    }

    // MARK: - Renderings

    /// The texts a secret leaf can reach an output as: Python's `str`, JSON's spelling of a boolean, and for a
    /// string the encodings the runner produces from it.
    static func renderings(_ v: JSON) -> [String] {
        switch v {
        case .bool(let b): return b ? ["True", "true"] : ["False", "false"]
        case .string(let s):
            return [
                s, HTTPProvider.formEncode(s), percentEncode(s, space: "%20", only: nil),
                percentEncode(s, space: "%20", only: { $0 >= 0x80 }),
                String(JSONString.quoted(s, .python(ensureASCII: false)).dropFirst().dropLast()),
                asciiJSON(s), s.replacingOccurrences("\\", "\\\\").replacingOccurrences("'", "\\'"),
            ]
        default: return [v.pythonString]
        }
    }

    /// Percent-encoding with uppercase hex: every byte but the unreserved ones, or only those `only` selects;
    /// a space as `space`.
    private static func percentEncode(_ s: String, space: String, only: ((UInt8) -> Bool)?) -> String {
        var out = ""
        for b in s.utf8 {
            let unreserved =
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                || b == 0x2E
                || b == 0x5F || b == 0x7E
            if b == 0x20 {
                out += space
            } else if only.map({ !$0(b) }) ?? unreserved {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    /// Python's `json.dumps` escaping (`ensure_ascii`): our escapes, and `\uXXXX` for everything past ASCII.
    private static func asciiJSON(_ s: String) -> String {
        var out = ""
        for scalar in String(JSONString.quoted(s, .python(ensureASCII: false)).dropFirst().dropLast()).unicodeScalars {
            guard scalar.value >= 0x80 else {
                out.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }

    /// The base64 `user:password` sent as basic auth for an http URL with credentials (requests and libcurl both
    /// percent-decode them first).
    private static func basicAuth(_ url: String) -> String? {
        guard let sep = url.range(of: "://") else { return nil }
        let rest = url[sep.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userinfo = String(authority[..<at])
        let decoded = userinfo.removingPercentEncoding ?? userinfo
        return Data(decoded.utf8).base64EncodedString()
    }

    // MARK: - Matching

    /// Replaces each occurrence of `needle` (each one standing alone, for a whole-value needle) by `***`.
    private static func replace(_ bytes: inout [UInt8], _ needle: Needle) -> Bool {
        let m = needle.bytes.count
        let n = bytes.count
        guard m > 0, n >= m else { return false }
        let first = needle.bytes[0]
        var out: [UInt8] = []
        var i = 0
        var copied = 0
        while i <= n - m {
            if bytes[i] == first, bytes[i..<(i + m)].elementsEqual(needle.bytes),
                !needle.wholeOnly || standsAlone(bytes, i, i + m)
            {
                if out.isEmpty { out.reserveCapacity(n) }
                out.append(contentsOf: bytes[copied..<i])
                out.append(contentsOf: "***".utf8)
                i += m
                copied = i
            } else {
                i += 1
            }
        }
        guard copied > 0 else { return false }
        out.append(contentsOf: bytes[copied...])
        bytes = out
        return true
    }

    /// Whether `bytes[start..<end]` is a whole value: a whole line, `=value` in a query string or form body, a
    /// quoted value, or a value after a colon (a header line, JSON text).
    private static func standsAlone(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        let before: UInt8? = start > 0 ? bytes[start - 1] : nil
        let after: UInt8? = end < bytes.count ? bytes[end] : nil
        let lineEnds = after == nil || after == UInt8(ascii: "\n") || after == UInt8(ascii: "\r")
        if before == nil || before == UInt8(ascii: "\n"), lineEnds { return true }
        switch before {
        case UInt8(ascii: "=")?:
            return lineEnds || after.map { Array("&; \t\"'".utf8).contains($0) } == true
        case UInt8(ascii: "\"")?, UInt8(ascii: "'")?:
            return after == before
        default:
            var k = start - 1
            while k >= 0, bytes[k] == UInt8(ascii: " ") { k -= 1 }
            guard k >= 0, bytes[k] == UInt8(ascii: ":") else { return false }
            return lineEnds || after.map { Array(",}]".utf8).contains($0) } == true
        }
    }
}
