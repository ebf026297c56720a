/// Connections to one host:port (after `-connect-to`), with its resolved addresses.
final class HostPool {
    let host: String
    let port: UInt16
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

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }
}
