#if canImport(Glibc)
    import Glibc
#endif

/// The transport an attack runs on.
public enum Transport: Sendable {
    /// barrage's own transport: HTTP/1.1 and HTTP/2, plain or over TLS.
    case native
    /// libcurl's multi interface.
    case curl
}

extension TransportChoice {
    /// The one place the transport is decided: this `-transport` choice with the options.
    ///
    /// Targets do not matter: the native transport sends `http://` and `https://` (HTTP/1.1, h2 by ALPN, h2c),
    /// and a hit to any other scheme fails as Go's does ("unsupported protocol scheme").
    ///
    /// - Returns: `curl` for `curl`; `native` for `auto` when no option needs libcurl, else `curl`; `native` for
    ///   `native`.
    /// - Throws: `AttackError.nativeUnsupported` for `native` with an option or variable it cannot serve.
    public func resolve(_ options: AttackOptions) throws(AttackError) -> Transport {
        switch self {
        case .curl:
            return .curl
        case .auto:
            return Transport.nativeBlocker(options) == nil ? .native : .curl
        case .native:
            if let blocker = Transport.nativeBlocker(options) { throw .nativeUnsupported(blocker) }
            return .native
        }
    }
}

extension Transport {
    /// The option or environment variable that needs libcurl (a flag name or the variable's name), or nil: a
    /// proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `-proxy-header`) or `-resolvers`.
    static func nativeBlocker(_ options: AttackOptions) -> String? {
        if !options.proxyHeaders.isEmpty { return "-proxy-header" }
        if !options.resolvers.isEmpty { return "-resolvers" }
        for name in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"] {
            if let v = getenv(name), v.pointee != 0 { return name }
        }
        return nil
    }
}
