import BarrageCore

/// Reads targets in vegeta's `http` or `json` format, one at a time, from a file or standard input.
///
/// Used eagerly (`readAll`, the default: every target is loaded and checked before the attack) or lazily
/// (`-lazy`: `next()` per hit, under the caller's lock). Not thread-safe; one reader per stream.
public struct TargetReader: Sendable {
    private var lines: LineSource
    private let format: TargetFormat
    private let defaults: TargetDefaults
    /// The line where the target being read starts (where a problem with the whole target is reported).
    private var targetLine = 0
    /// Whether a target Go's net/http would refuse to send is an error (`RequestRules`); on by default. Off, only
    /// vegeta's reading rules apply (for tests of those rules).
    public var checksRequests = true

    /// Opens a targets stream.
    ///
    /// - Parameters:
    ///   - path: a file path, or `stdin` for standard input.
    ///   - format: `http` or `json`.
    ///   - defaults: `-header` values and the `-body` contents.
    /// - Throws: `TargetError` when the file cannot be opened.
    public init(path: String, format: TargetFormat, defaults: TargetDefaults = TargetDefaults()) throws(TargetError) {
        lines = try LineSource(path: path)
        self.format = format
        self.defaults = defaults
    }

    /// Reads targets from memory (for tests and embedded callers).
    public init(
        bytes: [UInt8], name: String = "targets", format: TargetFormat, defaults: TargetDefaults = TargetDefaults()
    ) {
        lines = LineSource(bytes: bytes, name: name)
        self.format = format
        self.defaults = defaults
    }

    /// Closes the underlying file.
    public mutating func close() { lines.close() }

    /// The next target, or nil at the end of the stream.
    ///
    /// - Throws: `TargetError` for a malformed target (vegeta's text plus the line number), or one Go's net/http
    ///   would refuse to send (`RequestRules`, reported at the target's first line).
    public mutating func next() throws(TargetError) -> Target? {
        let target: Target?
        switch format {
        case .http: target = try nextHTTP()
        case .json: target = try nextJSON()
        }
        if checksRequests, let target, let problem = RequestRules.problem(in: target, format: format) {
            throw fail(problem, line: targetLine)
        }
        return target
    }

    /// Reads every target (eager mode).
    ///
    /// - Throws: `TargetError` for the first malformed target, or `no targets to attack` when there are none.
    public mutating func readAll() throws(TargetError) -> [Target] {
        var all: [Target] = []
        while let t = try next() { all.append(t) }
        guard !all.isEmpty else { throw TargetError(TargetError.noTargets, source: lines.name, line: 0) }
        return all
    }

    private func fail(_ message: String, line: Int) -> TargetError {
        TargetError(message, source: lines.name, line: line)
    }

    // MARK: http format (vegeta NewHTTPTargeter)

    private mutating func nextHTTP() throws(TargetError) -> Target? {
        var line: [UInt8] = []
        while true {
            guard let raw = try lines.next() else { return nil }
            line = trimmed(raw)
            if !line.isEmpty && line[0] != UInt8(ascii: "#") { break }
        }
        let requestLine = lines.lineNumber
        targetLine = requestLine
        var target = Target(method: "", url: "", body: defaults.body, headers: defaults.headers)
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else {
            throw fail("bad target: " + excerpt(line), line: requestLine)
        }
        guard startsWithMethod(line) else {
            throw fail("bad method: " + excerpt(line[..<space]), line: requestLine)
        }
        target.method = text(line[..<space])
        let url = text(line[(space + 1)...])
        guard URLParts.isRequestURI(url) else { throw fail("bad URL: " + InputExcerpt.text(url), line: requestLine) }
        target.url = url
        let next = trimmed(try lines.peek() ?? [])
        if next.isEmpty || startsWithMethod(next) { return target }
        while let raw = try lines.next() {
            let l = trimmed(raw)
            if l.isEmpty { break }
            if l[0] == UInt8(ascii: "#") { continue }
            if l[0] == UInt8(ascii: "@") {
                let path = text(l[1...])
                let (bytes, err) = readWholeFile(path)
                if err != 0 {
                    throw fail(
                        "bad body: open \(InputExcerpt.text(path)): \(errnoText(.go, code: err))",
                        line: lines.lineNumber)
                }
                target.body = bytes
                break
            }
            guard let colon = l.firstIndex(of: UInt8(ascii: ":")) else {
                throw fail("bad header: " + excerpt(l), line: lines.lineNumber)
            }
            let key = trimmed(Array(l[..<colon]))
            let value = trimmed(Array(l[(colon + 1)...]))
            if key.isEmpty || value.isEmpty { throw fail("bad header: " + excerpt(l), line: lines.lineNumber) }
            target.headers.add(text(key), text(value))
        }
        return target
    }

    // MARK: json format (vegeta NewJSONTargeter)

    private mutating func nextJSON() throws(TargetError) -> Target? {
        var line: [UInt8] = []
        while true {
            guard let raw = try lines.next() else { return nil }
            line = trimmed(raw)
            if !line.isEmpty { break }
        }
        let number = lines.lineNumber
        targetLine = number
        let value: JSON
        do throws(JSONSyntaxError) {
            value = try JSONParser.parse(line, .line)
        } catch {
            throw fail("parse error: \(error.text(.go)) near offset \(error.offset)", line: number)
        }
        guard case .object(let members) = value else {
            throw fail("parse error: expected an object", line: number)
        }
        var method = ""
        var url = ""
        var body: [UInt8] = []
        var headers = defaults.headers
        for member in members {
            let key = member.key
            switch key {
            case "method", "url":
                switch member.value {
                case .string(let s): if key == "method" { method = s } else { url = s }
                case .null: break
                default: throw fail("parse error: \(key) must be a string", line: number)
                }
            case "body":
                switch member.value {
                case .string(let s):
                    do throws(Base64.CorruptInputError) {
                        body = try Base64.decode(s)
                    } catch {
                        throw fail(error.description, line: number)
                    }
                case .null: break
                default: throw fail("parse error: body must be a base64 string", line: number)
                }
            case "header":
                switch member.value {
                case .object(let entries):
                    for entry in entries {
                        switch entry.value {
                        case .array(let items):
                            for item in items {
                                guard case .string(let v) = item else {
                                    throw fail("parse error: header values must be strings", line: number)
                                }
                                headers.add(entry.key, v)
                            }
                        case .null: break
                        default: throw fail("parse error: header values must be arrays of strings", line: number)
                        }
                    }
                case .null: break
                default: throw fail("parse error: header must be an object", line: number)
                }
            default:
                continue  // vegeta skips unknown keys in practice
            }
        }
        if method.isEmpty { throw fail("target: required method is missing", line: number) }
        if url.isEmpty { throw fail("target: required url is missing", line: number) }
        return Target(method: method, url: url, body: body.isEmpty ? defaults.body : body, headers: headers)
    }
}

// MARK: helpers

private func isSpace(_ c: UInt8) -> Bool {
    c == 0x20 || (c >= 0x09 && c <= 0x0d)
}

/// Go's strings.TrimSpace for ASCII whitespace.
func trimmed<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] where C.Index == Int {
    var lo = bytes.startIndex
    var hi = bytes.endIndex
    while lo < hi && isSpace(bytes[lo]) { lo += 1 }
    while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
    return Array(bytes[lo..<hi])
}

private func text<C: Collection<UInt8>>(_ bytes: C) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// Input quoted in a message: cut after 64 bytes.
private func excerpt<C: Collection<UInt8>>(_ bytes: C) -> String {
    InputExcerpt.text(bytes)
}

/// vegeta's `^[A-Z]+\s`.
func startsWithMethod(_ line: [UInt8]) -> Bool {
    var i = 0
    while i < line.count && line[i] >= UInt8(ascii: "A") && line[i] <= UInt8(ascii: "Z") { i += 1 }
    guard i > 0, i < line.count else { return false }
    let c = line[i]
    return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0c || c == 0x0d
}
