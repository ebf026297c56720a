/// The parts of an absolute URL, `scheme://[userinfo@]host[:port][/path][?query][#fragment]`, read as Go's
/// `net/url` reads them where it matters to us: the scheme is lower-cased, the user info ends at the last `@`, an
/// IPv6 host sits in brackets, the port is digits only (empty means the scheme's), the fragment is dropped.
///
/// Used by the native transport (request line, `Host`, pooling, basic auth), the chaos HTTP client and loader, the
/// attack's error texts, and the http target format's `bad URL` check.
package struct URLParts: Sendable, Equatable {
    /// Why a text is not an absolute URL.
    package enum Problem: Error, Sendable, Equatable {
        /// No `scheme:` at the start.
        case missingScheme
        /// A scheme not followed by `//` (an opaque URL such as `mailto:x`).
        case noAuthority
        /// An IPv6 host without its closing bracket, or something other than a port after it.
        case invalidHost
        /// A port that is not digits.
        case invalidPort
    }

    /// The scheme, lower-cased (`http`).
    package var scheme: String
    /// The user info before the last `@` of the authority, as written; nil when there is none.
    package var userInfo: String?
    /// The host as written, brackets removed from an IPv6 address; may be empty (`http:///x`).
    package var host: String
    /// The port written, or the scheme's default (443 for https, 80 otherwise).
    package var port: Int
    /// Path and query as written, `/` when the path is empty (`/?q` for `?q`).
    package var target: String
    /// The authority without the user info, as written: what a `Host` header carries.
    package var hostHeader: String

    /// Parses `text`, which must be absolute; the host may be empty.
    ///
    /// - Throws: `Problem` for what is wrong.
    package init(parsing text: String) throws(Problem) {
        let u = Array(text.utf8)
        guard let colon = URLParts.schemeEnd(u) else { throw .missingScheme }
        guard u.count >= colon + 3, u[colon + 1] == 0x2F, u[colon + 2] == 0x2F else { throw .noAuthority }
        scheme = String(decoding: u[..<colon], as: UTF8.self).lowercased()
        var i = colon + 3
        let start = i
        while i < u.count, u[i] != 0x2F, u[i] != 0x3F, u[i] != 0x23 { i += 1 }
        var authority = u[start..<i]
        if let at = authority.lastIndex(of: 0x40) {
            userInfo = String(decoding: authority[..<at], as: UTF8.self)
            authority = authority[(at + 1)...]
        }
        hostHeader = String(decoding: authority, as: UTF8.self)
        var rest = u[i...]
        if let hash = rest.firstIndex(of: 0x23) { rest = rest[..<hash] }
        target = rest.isEmpty ? "/" : (rest.first == 0x3F ? "/" : "") + String(decoding: rest, as: UTF8.self)
        let (hostPart, portPart) = try URLParts.split(authority)
        host = String(decoding: hostPart, as: UTF8.self)
        if portPart.isEmpty {
            port = scheme == "https" ? 443 : 80
        } else {
            // Go takes any run of digits; past nine digits the value only has to stay too big to be a port.
            var value = 0
            for d in portPart {
                guard d &- 0x30 < 10 else { throw .invalidPort }
                value = min(value, 100_000_000) * 10 + Int(d - 0x30)
            }
            port = value
        }
    }

    /// Parses `text` as an absolute URL with a host.
    ///
    /// - Returns: the parts, or nil when `text` has no `scheme://`, no host, or a bad host or port.
    package init?(_ text: String) {
        guard let parts = try? URLParts(parsing: text), !parts.host.isEmpty else { return nil }
        self = parts
    }

    /// The host in brackets when it is an IPv6 address (as messages and `host:port` pairs write it).
    package var bracketedHost: String { host.contains(":") ? "[" + host + "]" : host }

    /// The user info, percent-decoded, as `user:password` bytes (Go's `basicAuth(Username(), Password())`).
    package var credentials: [UInt8]? {
        guard let userInfo else { return nil }
        let info = Array(userInfo.utf8)[...]
        let colon = info.firstIndex(of: 0x3A) ?? info.endIndex
        let password = colon < info.endIndex ? info[(colon + 1)...] : []
        return URLParts.percentDecoded(info[..<colon]) + [0x3A] + URLParts.percentDecoded(password)
    }

    /// `location` (a redirect's `Location`) resolved against this URL: absolute (any `scheme:`), scheme-relative
    /// (`//host/x`), absolute-path (`/x`), query-only (`?q`) or relative to the path's directory. The user info
    /// stays, as Go's `ResolveReference` keeps it; dot segments are not resolved.
    ///
    /// - Parameter location: the reference.
    /// - Returns: the absolute URL.
    package func resolve(_ location: String) -> String {
        if URLParts.schemeEnd(Array(location.utf8)) != nil { return location }
        if location.hasPrefix("//") { return scheme + ":" + location }
        let origin = scheme + "://" + (userInfo.map { $0 + "@" } ?? "") + hostHeader
        if location.hasPrefix("/") { return origin + location }
        let path = target.prefix { $0 != "?" }
        if location.hasPrefix("?") { return origin + path + location }
        let directory = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
        return origin + directory + location
    }

    /// Whether Go's `url.ParseRequestURI` accepts `text` (vegeta's `bad URL` check for http targets): an absolute
    /// path, an opaque `scheme:rest`, or `scheme://authority…` whose host has no space and whose port is digits.
    package static func isRequestURI(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard let first = u.first, !u.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return false }
        if first == 0x2F { return true }
        do {
            let parts = try URLParts(parsing: text)
            return !parts.hostHeader.contains(" ")
        } catch .noAuthority {
            return u.count > (schemeEnd(u) ?? u.count) + 1
        } catch {
            return false
        }
    }

    /// The scheme `text` starts with, lower-cased, or nil when it starts with none.
    package static func scheme(of text: String) -> String? {
        let u = Array(text.utf8)
        return schemeEnd(u).map { String(decoding: u[..<$0], as: UTF8.self).lowercased() }
    }

    /// `%XX` escapes decoded (a bad escape is kept as written).
    package static func percentDecoded(_ s: ArraySlice<UInt8>) -> [UInt8] {
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x41 + 10
            case 0x61...0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x25, i + 2 < s.endIndex, let h = hex(s[i + 1]), let l = hex(s[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// The index of the `:` ending a scheme (a letter, then letters, digits, `+`, `-` or `.`), or nil.
    private static func schemeEnd(_ u: [UInt8]) -> Int? {
        func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- UInt8(ascii: "a") < 26 }
        guard let first = u.first, isAlpha(first) else { return nil }
        var i = 1
        while i < u.count {
            let c = u[i]
            if c == UInt8(ascii: ":") { return i }
            guard
                isAlpha(c) || c &- 0x30 < 10 || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
                    || c == UInt8(ascii: ".")
            else { return nil }
            i += 1
        }
        return nil
    }

    /// Host and port of an authority without user info; an IPv6 host loses its brackets.
    private static func split(
        _ authority: ArraySlice<UInt8>
    ) throws(Problem) -> (host: ArraySlice<UInt8>, port: ArraySlice<UInt8>) {
        if authority.first == 0x5B {
            guard let close = authority.firstIndex(of: 0x5D) else { throw .invalidHost }
            let after = authority[(close + 1)...]
            guard after.isEmpty || after.first == 0x3A else { throw .invalidHost }
            return (authority[(authority.startIndex + 1)..<close], after.dropFirst())
        }
        guard let colon = authority.lastIndex(of: 0x3A) else { return (authority, []) }
        return (authority[..<colon], authority[(colon + 1)...])
    }
}
