#if canImport(Glibc)
    import Glibc
#endif

/// The transport an attack runs on.
public enum Transport: Sendable {
    /// barrage's own plain HTTP/1.1 transport.
    case native
    /// libcurl's multi interface.
    case curl
}

extension TransportChoice {
    /// The one place the transport is decided: this `-transport` choice with the options and the targets.
    ///
    /// - Parameters:
    ///   - options: the attack's options (some need libcurl).
    ///   - targets: the loaded targets, or nil when they are not known (yet, or `-lazy`): `auto` then picks
    ///     libcurl and `native` checks the options only.
    /// - Returns: `curl` for `curl`; `native` for `auto` when nothing needs libcurl, else `curl`; `native` for
    ///   `native`.
    /// - Throws: `AttackError.nativeUnsupported` for `native` with an option, variable or target it cannot serve.
    public func resolve(_ options: AttackOptions, targets: [Target]?) throws(AttackError) -> Transport {
        switch self {
        case .curl:
            return .curl
        case .auto:
            guard let targets, Transport.nativeBlocker(options) == nil,
                Transport.nativeBlocker(targets) == nil
            else { return .curl }
            return .native
        case .native:
            if let blocker = Transport.nativeBlocker(options) { throw .nativeUnsupported(blocker, target: false) }
            if let url = Transport.nativeBlocker(targets ?? []) { throw .nativeUnsupported(url, target: true) }
            return .native
        }
    }
}

extension Transport {
    /// The option or environment variable that needs libcurl (a flag name or the variable's name), or nil.
    static func nativeBlocker(_ options: AttackOptions) -> String? {
        if options.h2c { return "-h2c" }
        if !options.proxyHeaders.isEmpty { return "-proxy-header" }
        if !options.resolvers.isEmpty { return "-resolvers" }
        for name in ["HTTP_PROXY", "http_proxy"] {
            if let v = getenv(name), v.pointee != 0 { return name }
        }
        return nil
    }

    /// The first target URL the native transport cannot send (not plain `http://`), or nil.
    static func nativeBlocker(_ targets: [Target]) -> String? {
        for t in targets where !WireURL(t.url).problem.isEmpty { return t.url }
        return nil
    }
}
