import BarrageCore

/// Why an attack could not start or run to its end (a failed request is not an error: it is a `Result`).
public enum AttackError: Error, Sendable, CustomStringConvertible {
    /// `curl_global_init` failed.
    case libraryUnavailable
    /// The loaded target list is empty.
    case noTargets
    /// A system call failed while setting up (`call`, the errno).
    case system(call: String, errno: Int32)
    /// A thread could not be started (`the writer thread`, `an event-loop thread`).
    case threadStart(String)
    /// An event loop's libcurl transport could not be set up.
    case curl(CurlError)
    /// `-transport=native` with what it cannot serve: an option or variable (`-resolvers`, `HTTP_PROXY`).
    case nativeUnsupported(String)
    /// `-prometheus-addr` is malformed or cannot be bound.
    case prometheusAddress(String)
    /// OpenSSL refused the TLS settings (`-cert`, `-key`, `-root-certs`): its reason.
    case tlsSetup(String)

    /// The one line a user sees.
    public var description: String {
        switch self {
        case .libraryUnavailable: return "curl_global_init: failed"
        case .noTargets: return "attack: " + TargetError.noTargets
        case .system(let call, let e): return "\(call): " + errnoText(.go, code: e)
        case .threadStart(let what): return "attack: cannot start \(what)"
        case .curl(let e): return "attack: \(e.description)"
        case .nativeUnsupported(let what):
            return "-transport=native does not support \(what) (libcurl does: -transport=curl or auto)"
        case .prometheusAddress(let message): return "-prometheus-addr: " + message
        case .tlsSetup(let reason): return "attack: tls: " + reason
        }
    }
}
