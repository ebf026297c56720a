public import Encoder

/// Everything `barrage attack` is told, already parsed (vegeta's `attack` flags plus barrage's extras).
public struct AttackOptions: Sendable {
    /// `-name`: copied into every result and sent as `X-Vegeta-Attack`.
    public var name = ""
    /// The schedule (`-rate`, `-ramp`, `-plan`).
    public var pacer = Pacer.constant(interval: 20_000_000)
    /// `-duration` in ns; 0 runs until stopped.
    public var duration: Int64 = 0
    /// `-shard`: which hits of the schedule this process sends (K, K+N, ...); `.whole` sends them all.
    public var shard = Shard.whole
    /// `-start-at`: the wall-clock instant the schedule starts from; nil starts it now.
    public var startAt: Timestamp?
    /// `-timeout` in ns for the whole request; 0 means none.
    public var timeout: Int64 = 30_000_000_000
    /// `-workers`: requests that may be in flight from the start.
    public var workers: UInt64 = 10
    /// `-max-workers`: the cap on requests in flight.
    public var maxWorkers: UInt64 = .max
    /// `-connections`: idle connections kept per host.
    public var connections: Int = 10_000
    /// `-max-connections`: connections per host; 0 is unlimited.
    public var maxConnections: Int = 0
    /// `-redirects`: how many to follow; -1 returns the 3xx response.
    public var redirects: Int = 10
    /// `-max-body`: bytes of each response body to keep; -1 keeps all.
    public var maxBody: Int64 = -1
    /// `-http2`: offer HTTP/2 over TLS.
    public var http2 = true
    /// `-h2c`: HTTP/2 with prior knowledge over plain TCP.
    public var h2c = false
    /// `-insecure`: skip TLS verification.
    public var insecure = false
    /// `-cert`/`-key`: client certificate and key (PEM paths).
    public var cert = ""
    /// `-key`; empty uses `cert`.
    public var key = ""
    /// `-root-certs`: PEM CA bundle contents (already read and concatenated), replacing the system roots.
    public var rootCertificates: [UInt8] = []
    /// `-chunked`: send bodies with chunked transfer encoding.
    public var chunked = false
    /// `-laddr`: local IP to bind.
    public var localAddress = "0.0.0.0"
    /// `-keepalive`: reuse connections.
    public var keepAlive = true
    /// `-unix-socket`: connect here whatever the URL.
    public var unixSocket = ""
    /// `-connect-to`: `src:port:dst:port` rewrites.
    public var connectTo: [String] = []
    /// `-proxy-header`: headers for CONNECT requests to a proxy.
    public var proxyHeaders: [TargetHeader] = []
    /// `-dns-ttl` in ns: 0 caches forever, negative disables the cache.
    public var dnsTTL: Int64 = 0
    /// `-resolvers`: DNS servers (`ip:port`).
    public var resolvers: [String] = []
    /// `-session-tickets`: TLS session resumption.
    public var sessionTickets = false
    /// Event-loop threads (`-cpus`).
    public var threads = 1
    /// `-lazy`: read targets on demand.
    public var lazy = false
    /// `-transport`: libcurl, the native HTTP/1.1 transport, or the native one whenever it can serve the attack.
    public var transport = TransportChoice.auto

    /// Defaults as vegeta's.
    public init() {}
}

/// Which transport sends the requests (`-transport`).
public enum TransportChoice: String, Sendable, CaseIterable {
    /// Native when every target is plain `http://` and no option needs libcurl; else libcurl.
    case auto
    /// Always libcurl.
    case curl
    /// Always the native HTTP/1.1 transport (a usage error when an option needs libcurl).
    case native
}
