import BarrageCore
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// The values of vegeta's network flags checked as its `flag.Value`s and startup code check them, so a value that
/// would be ignored or misread is refused up front with Go's text.
extension AttackOptions {
    /// `-laddr` as Go's `net.ResolveIPAddr("ip", text)` reads it: an IP literal as is, a host name resolved to its
    /// first IPv4 address (else its first IPv6 one), "" as the unspecified address.
    ///
    /// - Returns: the numeric address to bind, or "" and Go's error text (`lookup garbage: no such host`).
    package static func localAddress(_ text: String) -> (address: String, error: String) {
        if text.isEmpty { return ("0.0.0.0", "") }
        if text.contains("[") { return ("", "lookup \(text): no such host") }
        if NativeTransport.socketAddress(text, port: 0) != nil { return (text, "") }
        let found = NativeTransport.resolve(text, port: 0)
        guard let first = found.addresses.first else { return ("", "lookup \(text): " + found.error) }
        var ip = NativeTransport.describe(first)
        ip = String(ip.dropLast(2))  // ":0"
        if ip.hasPrefix("[") { ip = String(ip.dropFirst().dropLast()) }
        return (ip, "")
    }

    /// vegeta's check of one `-connect-to` value (`src:port:dst:port`, split at every colon), plus ports that must
    /// be numbers (vegeta would keep a mapping that never matches, or fail every dial); IPv6 hosts in brackets
    /// (`[::1]:80:[::1]:8080`) are accepted, as libcurl takes them.
    ///
    /// - Returns: nil when the value is good, else the error text.
    package static func connectToProblem(_ text: String) -> String? {
        let parts = NativeTransport.connectToParts(text)
        guard parts.count == 4 else {
            return "invalid -connect-to \(goQuote(text)), expected format: src:port:dst:port"
        }
        func badHost(_ h: String) -> Bool {
            let bracketed = h.hasPrefix("[") && h.hasSuffix("]")
            let inner = bracketed ? String(h.dropFirst().dropLast()) : h
            return inner.contains("[") || inner.contains("]") || (bracketed && !inner.contains(":"))
        }
        func badPort(_ p: String, destination: Bool) -> Bool {
            guard let n = UInt16(p), p.allSatisfy({ $0.isASCII && $0.isNumber }) else { return true }
            return destination && n == 0
        }
        if badHost(parts[0]) || badPort(parts[1], destination: false) {
            return "invalid source address expression [\(parts[0]):\(parts[1])], expected address:port"
        }
        if badHost(parts[2]) || badPort(parts[3], destination: true) {
            return "invalid destination address expression [\(parts[2]):\(parts[3])], expected address:port"
        }
        return nil
    }

    /// vegeta's check of one `-resolvers` entry (its `internal/resolver`): `ip` or `ip:port`, the IP numeric.
    ///
    /// - Returns: nil when the entry is good, else Go's error text (`host garbage is not an IP address`).
    package static func resolverProblem(_ entry: String) -> String? {
        let addr = entry.contains(":") ? entry : entry + ":53"
        // net.SplitHostPort
        let host: String
        let port: String
        if addr.hasPrefix("[") {
            guard let close = addr.firstIndex(of: "]") else {
                return "address \(addr): missing ']' in address"
            }
            let after = addr[addr.index(after: close)...]
            guard after.hasPrefix(":") else {
                return after.isEmpty
                    ? "address \(addr): missing port in address" : "address \(addr): too many colons in address"
            }
            host = String(addr[addr.index(after: addr.startIndex)..<close])
            port = String(after.dropFirst())
        } else {
            let pieces = addr.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2 else { return "address \(addr): too many colons in address" }
            host = String(pieces[0])
            port = String(pieces[1])
        }
        if host.contains("[") || host.contains("]") || port.contains("[") || port.contains("]") {
            return "address \(addr): unexpected '[' in address"
        }
        guard UInt16(port) != nil, port.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let reason =
                !port.isEmpty && port.allSatisfy({ $0.isASCII && $0.isNumber })
                ? "value out of range" : "invalid syntax"
            return "strconv.ParseUint: parsing \(goQuote(port)): \(reason)"
        }
        guard NativeTransport.socketAddress(host, port: 0) != nil, !host.contains("%") else {
            return "host \(host) is not an IP address"
        }
        return nil
    }
}
