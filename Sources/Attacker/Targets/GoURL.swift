import BarrageCore
import Encoder

/// Go's `net/url` rules as far as a request needs them: which URLs `url.Parse` (and `url.ParseRequestURI`)
/// refuse, with Go's error text, and the path as Go puts it on the wire (`URL.EscapedPath`).
package enum GoURL {
    /// `url.Parse`'s error for `url` as Go prints it (`parse "http://[::1": missing ']' in host`), or nil when
    /// Go accepts it. A port above 65535, which Go only refuses when it dials, is refused here with the same
    /// wording as a malformed one.
    package static func parseError(_ url: String) -> String? {
        let bytes = Array(url.utf8)
        let hash = bytes.firstIndex(of: UInt8(ascii: "#"))
        let main = hash.map { Array(bytes[..<$0]) } ?? bytes
        if let problem = problem(main, viaRequest: false) {
            return "parse \(goQuote(InputExcerpt.text(main))): \(problem)"
        }
        if let hash, let problem = unescapeProblem(bytes[(hash + 1)...], mode: .fragment) {
            return "parse \(goQuote(InputExcerpt.text(url))): \(problem)"
        }
        return nil
    }

    /// Whether `url.ParseRequestURI` refuses `url` (vegeta's http format reports `bad URL: ...` then).
    package static func refusesAsRequestURI(_ url: String) -> Bool {
        problem(Array(url.utf8), viaRequest: true) != nil
    }

    /// `url` as the request goes out: the path escaped as Go's `EscapedPath` (a space becomes `%20`), the query
    /// as written, the fragment dropped. A URL Go refuses, or one without `scheme://`, is returned unchanged.
    package static func wireForm(_ url: String) -> String {
        guard parseError(url) == nil else { return url }
        var bytes = Array(url.utf8)
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            bytes[(colon + 1)...].starts(with: [0x2f, 0x2f])
        else { return url }
        let authorityEnd = bytes[(colon + 3)...].firstIndex { $0 == 0x2f || $0 == 0x3f } ?? bytes.endIndex
        return String(decoding: bytes[..<authorityEnd], as: UTF8.self) + requestURI(bytes[authorityEnd...])
    }

    /// Go's `URL.RequestURI` for a URL's path and query as written (after the authority, before any fragment):
    /// the escaped path, "/" when empty, then `?` and the raw query.
    package static func requestURI<C: Collection<UInt8>>(_ pathAndQuery: C) -> String {
        let rest = Array(pathAndQuery)
        let question = rest.firstIndex(of: UInt8(ascii: "?"))
        let path = question.map { Array(rest[..<$0]) } ?? rest
        var out = escapedPath(path)
        if out.isEmpty { out = "/" }
        if let question { out += String(decoding: rest[question...], as: UTF8.self) }
        return out
    }

    /// Go's `URL.EscapedPath` for a path as written: kept when it is already a valid encoding, otherwise
    /// decoded and escaped again (`/a b` → `/a%20b`, `/ä` → `/%C3%A4`).
    package static func escapedPath(_ raw: [UInt8]) -> String {
        if validEncoded(raw) { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for c in percentDecoded(raw) {
            if shouldEscape(c, .path) {
                out += [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 15)]]
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Go's parse

    enum Mode { case path, host, zone, userPassword, fragment }

    /// Go's `parse(rawURL, viaRequest)` error text (fragment already cut), or nil.
    private static func problem(_ u: [UInt8], viaRequest: Bool) -> String? {
        if u.contains(where: { $0 < 0x20 || $0 == 0x7f }) { return "net/url: invalid control character in URL" }
        if u.isEmpty && viaRequest { return "empty url" }
        if u == [UInt8(ascii: "*")] { return nil }
        // getScheme
        var scheme: [UInt8] = []
        var rest = u[...]
        for (i, c) in u.enumerated() {
            if isAlpha(c) { continue }
            if isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") {
                if i == 0 { break }
                continue
            }
            if c == UInt8(ascii: ":") {
                if i == 0 { return "missing protocol scheme" }
                scheme = Array(u[..<i])
                rest = u[(i + 1)...]
            }
            break
        }
        if let q = rest.firstIndex(of: UInt8(ascii: "?")) { rest = rest[..<q] }
        if rest.first != UInt8(ascii: "/") {
            if !scheme.isEmpty { return nil }  // opaque
            if viaRequest { return "invalid URI for request" }
            let segment = rest.prefix { $0 != UInt8(ascii: "/") }
            if segment.contains(UInt8(ascii: ":")) { return "first path segment in URL cannot contain colon" }
        }
        let slashes: [UInt8] = [0x2f, 0x2f]
        if (!scheme.isEmpty || (!viaRequest && !rest.starts(with: slashes + [0x2f]))) && rest.starts(with: slashes) {
            let afterSlashes = rest.dropFirst(2)
            let authority = afterSlashes.prefix { $0 != UInt8(ascii: "/") }
            if let problem = authorityProblem(Array(authority)) { return problem }
            rest = afterSlashes[authority.endIndex...]
        }
        return unescapeProblem(rest, mode: .path)
    }

    private static func authorityProblem(_ authority: [UInt8]) -> String? {
        let at = authority.lastIndex(of: UInt8(ascii: "@"))
        let host = at.map { Array(authority[($0 + 1)...]) } ?? authority
        if let problem = hostProblem(host) { return problem }
        guard let at else { return nil }
        let userinfo = authority[..<at]
        let allowed = Array("-._:~!$&'()*+,;=%@".utf8)
        if !userinfo.allSatisfy({ isAlpha($0) || isDigit($0) || allowed.contains($0) }) {
            return "net/url: invalid userinfo"
        }
        return unescapeProblem(userinfo, mode: .userPassword)
    }

    private static func hostProblem(_ host: [UInt8]) -> String? {
        var colonPort: ArraySlice<UInt8> = []
        var name = host[...]
        var zone: ArraySlice<UInt8> = []
        if host.first == UInt8(ascii: "[") {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")) else { return "missing ']' in host" }
            colonPort = host[(close + 1)...]
            name = host[..<close]
            if let z = zoneStart(name) {
                zone = name[z...]
                name = name[..<z]
            }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            colonPort = host[colon...]
        }
        if let problem = portProblem(colonPort) { return problem }
        if let problem = unescapeProblem(name, mode: .host) { return problem }
        return unescapeProblem(zone, mode: .zone)
    }

    /// Where `%25` (an IPv6 zone) starts inside brackets.
    private static func zoneStart(_ s: ArraySlice<UInt8>) -> Int? {
        var i = s.startIndex
        while i + 2 < s.endIndex {
            if s[i] == 0x25 && s[i + 1] == 0x32 && s[i + 2] == 0x35 { return i }
            i += 1
        }
        return nil
    }

    /// `validOptionalPort`, plus the 16-bit range Go checks only when it dials.
    private static func portProblem(_ colonPort: ArraySlice<UInt8>) -> String? {
        guard let first = colonPort.first else { return nil }
        let digits = colonPort.dropFirst()
        let quoted = goQuote(InputExcerpt.text(colonPort))
        guard first == UInt8(ascii: ":"), digits.allSatisfy(isDigit) else {
            return "invalid port \(quoted) after host"
        }
        if !digits.isEmpty && (Int(String(decoding: digits, as: UTF8.self)) ?? Int.max) > 65535 {
            return "invalid port \(quoted) after host"
        }
        return nil
    }

    /// Go's `unescape` error (`invalid URL escape "%zz"`, `invalid character " " in host name`), or nil.
    private static func unescapeProblem<C: Collection<UInt8>>(_ s: C, mode: Mode) -> String? where C.Index == Int {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < s.endIndex, isHex(s[i + 1]), isHex(s[i + 2]) else {
                    let bad = s[i..<min(i + 3, s.endIndex)]
                    return "invalid URL escape \(goQuote(String(decoding: bad, as: UTF8.self)))"
                }
                let escape = Array(s[i..<(i + 3)])
                if mode == .host && unhex(s[i + 1]) < 8 && escape != Array("%25".utf8) {
                    return "invalid URL escape \(goQuote(String(decoding: escape, as: UTF8.self)))"
                }
                if mode == .zone {
                    let v = unhex(s[i + 1]) << 4 | unhex(s[i + 2])
                    if escape != Array("%25".utf8) && v != 0x20 && shouldEscape(v, .host) {
                        return "invalid URL escape \(goQuote(String(decoding: escape, as: UTF8.self)))"
                    }
                }
                i += 3
                continue
            }
            if (mode == .host || mode == .zone) && c < 0x80 && shouldEscape(c, mode) {
                return "invalid character \(goQuote(String(decoding: [c], as: UTF8.self))) in host name"
            }
            i += 1
        }
        return nil
    }

    /// Go's `shouldEscape`.
    static func shouldEscape(_ c: UInt8, _ mode: Mode) -> Bool {
        if isAlpha(c) || isDigit(c) { return false }
        if mode == .host || mode == .zone, Array("!$&'()*+,;=:[]<>\"".utf8).contains(c) { return false }
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"): return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
            UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch mode {
            case .path: return c == UInt8(ascii: "?")
            case .userPassword:
                return c == UInt8(ascii: "@") || c == UInt8(ascii: "/") || c == UInt8(ascii: "?")
                    || c == UInt8(ascii: ":")
            case .fragment: return false
            case .host, .zone: return true
            }
        default: break
        }
        if mode == .fragment, Array("!()*".utf8).contains(c) { return false }
        return true
    }

    /// Go's `validEncoded` for a path: only characters a path may carry as they are, and `%`.
    private static func validEncoded(_ s: [UInt8]) -> Bool {
        let allowed = Array("!$&'()*+,;=:@[]%".utf8)
        return s.allSatisfy { allowed.contains($0) || !shouldEscape($0, .path) }
    }

    private static func percentDecoded(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "%"), i + 2 < s.count, isHex(s[i + 1]), isHex(s[i + 2]) {
                out.append(unhex(s[i + 1]) << 4 | unhex(s[i + 2]))
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    private static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    private static func unhex(_ c: UInt8) -> UInt8 { isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10 }
}
