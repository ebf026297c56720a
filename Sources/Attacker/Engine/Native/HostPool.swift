import COpenSSL

/// Connections to one host:port (after `-connect-to`), with its resolved addresses.
final class HostPool {
    let host: String
    let port: UInt16
    /// `https://`: the name the server's certificate must show (the URL's host, whatever `-connect-to` dials).
    let serverName: String?
    /// With `-session-tickets`: the last resumable TLS session (`SSL_SESSION *`), offered by new connections.
    var session: OpaquePointer?
    /// Socket addresses to try in order (IPv4 first).
    var addresses: [[UInt8]] = []
    var resolvedAt: Int64 = -1
    /// Go's text for the last failed lookup ("" after a good one), and when it was made.
    var lookupError = ""
    var failedAt: Int64 = 0
    var idle: [NativeConnection] = []
    var open = 0
    var waiting: [(slot: NativeSlot, generation: UInt32)] = []
    var waitingHead = 0
    /// What its connections speak: known from the start (`http://`, `-h2c`, `-http2=false`) or from the first
    /// TLS handshake's ALPN.
    var speaks: PoolProtocol
    /// Its HTTP/2 connections (each carries many hits).
    var h2Connections: [NativeConnection] = []
    /// Connections opened and not yet able to carry a request (connecting, or in the TLS handshake).
    var opening: [NativeConnection] = []
    var pending: Int { opening.count }

    init(host: String, port: UInt16, serverName: String?, speaks: PoolProtocol) {
        self.host = host
        self.port = port
        self.serverName = serverName
        self.speaks = speaks
    }

    deinit { if let session { SSL_SESSION_free(session) } }
}

/// The protocol of a pool's connections.
enum PoolProtocol {
    case http1
    case http2
    /// TLS with h2 offered: the first handshake's ALPN decides (hits wait for it rather than dial one each).
    case unknown
}
