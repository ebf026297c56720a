import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The parts of an `http://host[:port]/path?query` URL.
struct URLParts {
    var scheme: String
    var host: String
    var port: Int
    var target: String
    var hostHeader: String

    init?(_ text: String) {
        guard let sep = text.range(of: "://") else { return nil }
        scheme = text[..<sep.lowerBound].lowercased()
        var rest = text[sep.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        target = path
        hostHeader = String(authority)
        let defaultPort = scheme == "https" ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { return nil }
                port = p
            } else {
                port = defaultPort
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        } else {
            host = String(authority)
            port = defaultPort
        }
        if host.isEmpty { return nil }
    }

    /// Resolves a Location header against this URL.
    func resolve(_ location: String) -> String {
        if location.contains("://") { return location }
        let origin = "\(scheme)://\(hostHeader)"
        if location.hasPrefix("/") { return origin + location }
        var base = target.split(separator: "?").first.map(String.init) ?? "/"
        if let slash = base.lastIndex(of: "/") { base = String(base[...slash]) }
        return origin + base + location
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
