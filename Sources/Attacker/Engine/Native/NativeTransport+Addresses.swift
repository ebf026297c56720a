import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// Socket addresses for the native transport: `-connect-to`, IP literals, getaddrinfo, unix paths, and their text.
extension NativeTransport {
    /// `-connect-to` values `host:port:host:port` (IPv6 in brackets) keyed by `host:port`; the first mapping
    /// of a source wins (as libcurl).
    static func parseConnectTo(_ items: [String]) -> [String: (host: String, port: UInt16)] {
        var map: [String: (host: String, port: UInt16)] = [:]
        for item in items {
            let parts = connectToParts(item)
            guard parts.count == 4 else { continue }
            func bare(_ h: String) -> String {
                h.hasPrefix("[") && h.hasSuffix("]") ? String(h.dropFirst().dropLast()).lowercased() : h.lowercased()
            }
            let key = "\(bare(parts[0])):\(parts[1])"
            if map[key] == nil { map[key] = (bare(parts[2]), UInt16(parts[3]) ?? 0) }
        }
        return map
    }

    /// One `-connect-to` value split at every colon outside brackets (`[::1]:80:h:8080` gives `[::1]`, `80`, `h`,
    /// `8080`); the flag check and the transport both read values this way.
    static func connectToParts(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inBracket = false
        for ch in text {
            if ch == "[" { inBracket = true } else if ch == "]" { inBracket = false }
            if ch == ":" && !inBracket {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }

    /// A socket address for an IP literal, or nil.
    static func socketAddress(_ ip: String, port: UInt16) -> [UInt8]? {
        var a4 = sockaddr_in()
        if inet_pton(AF_INET, ip, &a4.sin_addr) == 1 {
            a4.sin_family = sa_family_t(AF_INET)
            a4.sin_port = port.bigEndian
            return withUnsafeBytes(of: &a4) { Array($0) }
        }
        var a6 = sockaddr_in6()
        var text = ip
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if inet_pton(AF_INET6, text, &a6.sin6_addr) == 1 {
            a6.sin6_family = sa_family_t(AF_INET6)
            a6.sin6_port = port.bigEndian
            return withUnsafeBytes(of: &a6) { Array($0) }
        }
        return nil
    }

    /// The addresses of `host`: an IP literal, or getaddrinfo's answers with IPv4 first (Go tries them in turn
    /// too); none and Go's text for the failure when it does not resolve.
    static func resolve(_ host: String, port: UInt16) -> (addresses: [[UInt8]], error: String) {
        if let a = socketAddress(host, port: port) { return ([a], "") }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0 else { return ([], lookupErrorText(rc, errno: errno)) }
        defer { freeaddrinfo(list) }
        var v4: [[UInt8]] = []
        var v6: [[UInt8]] = []
        var p = list
        while let ai = p {
            p = ai.pointee.ai_next
            guard let sa = ai.pointee.ai_addr else { continue }
            if ai.pointee.ai_family == AF_INET {
                var a = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                a.sin_port = port.bigEndian
                let bytes = withUnsafeBytes(of: &a) { Array($0) }
                if !v4.contains(bytes) { v4.append(bytes) }
            } else if ai.pointee.ai_family == AF_INET6 {
                var a = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                a.sin6_port = port.bigEndian
                let bytes = withUnsafeBytes(of: &a) { Array($0) }
                if !v6.contains(bytes) { v6.append(bytes) }
            }
        }
        let all = v4 + v6
        return (all, all.isEmpty ? "no such host" : "")
    }

    /// What Go's resolver says for a getaddrinfo failure (its cgo resolver's mapping): no such host for a name
    /// that does not exist, else the system's text.
    static func lookupErrorText(_ rc: Int32, errno e: Int32) -> String {
        switch rc {
        // EAI_NODATA (-5) and EAI_ADDRFAMILY (-9) are glibc extensions Swift does not import.
        case EAI_NONAME, -5, -9: return "no such host"
        case EAI_SYSTEM: return e == 0 ? "no such host" : errnoText(.go, code: e)
        default: return String(cString: gai_strerror(rc))
        }
    }

    static func unixAddress(_ path: String) -> [UInt8] {
        var a = sockaddr_un()
        a.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(107))
        withUnsafeMutableBytes(of: &a.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        return withUnsafeBytes(of: &a) { Array($0) }
    }

    /// `ip:port` (`[ip]:port` for IPv6) of a socket address.
    static func describe(_ addr: [UInt8]) -> String {
        guard addr.count >= MemoryLayout<sa_family_t>.size else { return "" }
        var text = [CChar](repeating: 0, count: 64)
        func ip(_ t: [CChar]) -> String {
            String(decoding: t.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return addr.withUnsafeBytes { raw -> String in
            let family = raw.load(as: sa_family_t.self)
            if family == sa_family_t(AF_INET) && raw.count >= MemoryLayout<sockaddr_in>.size {
                var a = raw.loadUnaligned(as: sockaddr_in.self)
                inet_ntop(AF_INET, &a.sin_addr, &text, 64)
                return ip(text) + ":\(UInt16(bigEndian: a.sin_port))"
            }
            if family == sa_family_t(AF_INET6) && raw.count >= MemoryLayout<sockaddr_in6>.size {
                var a = raw.loadUnaligned(as: sockaddr_in6.self)
                inet_ntop(AF_INET6, &a.sin6_addr, &text, 64)
                return "[" + ip(text) + "]:\(UInt16(bigEndian: a.sin6_port))"
            }
            return ""
        }
    }
}
