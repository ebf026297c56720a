import Attacker
import BarrageCore
import Encoder
import GoFlags

#if canImport(Glibc)
    import Glibc
#endif

/// Everything `barrage attack`'s flags set: the attack's options and what the command itself reads (files, the
/// schedule's parts, the exporter and progress switches). `bind` is the one table of its flags.
final class AttackFlags {
    var options = AttackOptions()
    var targets = "stdin"
    var format = "http"
    var output = "stdout"
    var body = ""
    var rootCerts: [String] = []
    var rate = Rate(freq: 50)
    var ramp: Int64 = 0
    var plan = ""
    var headers: [TargetHeader] = []
    var prometheus = ""
    var progress = true
    var transport = "auto"
    /// `-start-at` as written, for messages.
    var startAt = ""

    init(threads: Int) { options.threads = threads }

    /// Defines every flag of `barrage attack` on `flags`, each writing into this object (vegeta's names, defaults
    /// and usage texts, then barrage's own).
    func bind(_ flags: GoFlagSet) {
        flags.bind("name", self, \.options.name, "Attack name")
        flags.bind("targets", self, \.targets, "Targets file")
        flags.bind("format", self, \.format, "Targets format [http, json]")
        flags.bind("output", self, \.output, "Output file")
        flags.bind("body", self, \.body, "Requests body file")
        flags.bind("chunked", self, \.options.chunked, "Send body with chunked transfer encoding")
        flags.bind("cert", self, \.options.cert, "TLS client PEM encoded certificate file")
        flags.bind("key", self, \.options.key, "TLS client PEM encoded private key file")
        flags.define("root-certs", usage: "TLS root certificate files (comma separated list)") { text in
            // Go's strings.Split: an empty entry stays, and is refused as a bad certificate.
            self.rootCerts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        flags.bind("http2", self, \.options.http2, "Send HTTP/2 requests when supported by the server")
        flags.bind("h2c", self, \.options.h2c, "Send HTTP/2 requests without TLS encryption")
        flags.bind("insecure", self, \.options.insecure, "Ignore invalid server TLS certificates")
        flags.bind("lazy", self, \.options.lazy, "Read targets lazily")
        flags.bindDuration("duration", self, \.options.duration, "Duration of the test [0 = forever]")
        flags.bindDuration("timeout", self, \.options.timeout, "Requests timeout")
        flags.bind("workers", self, \.options.workers, "Initial number of workers")
        flags.bind("max-workers", self, \.options.maxWorkers, "Maximum number of workers")
        flags.bind("connections", self, \.options.connections, "Max open idle connections per target host")
        flags.bind("max-connections", self, \.options.maxConnections, "Max connections per target host")
        flags.bind(
            "redirects", self, \.options.redirects,
            "Number of redirects to follow. -1 will not follow but marks as success")
        bindValues(flags)
        flags.define("laddr", default: "0.0.0.0", usage: "Local IP address") { (text) throws(FlagValueError) in
            let (address, error) = AttackOptions.localAddress(text)
            guard error.isEmpty else { throw FlagValueError(message: error) }
            self.options.localAddress = address
        }
        flags.bind("keepalive", self, \.options.keepAlive, "Use persistent connections")
        flags.define(
            "unix-socket", usage: "Connect over a unix socket. This overrides the host address in target URLs"
        ) { (text) throws(FlagValueError) in
            // sockaddr_un holds 107 bytes and a NUL: a longer path could only be cut (Go fails every dial).
            guard text.utf8.count <= 107 else { throw FlagValueError(message: "path longer than 107 bytes") }
            self.options.unixSocket = text
        }
        bindNetwork(flags)
        flags.bind(
            "session-tickets", self, \.options.sessionTickets, "Enable TLS session resumption using session tickets")
        flags.define(
            "connect-to",
            usage:
                "A mapping of (ip|host):port to use instead of a target URL's (ip|host):port. Can be repeated multiple times.\nIdentical src:port with different dst:port will round-robin over the different dst:port pairs.\nExample: google.com:80:localhost:6060"
        ) { (text) throws(FlagValueError) in
            if let problem = AttackOptions.connectToProblem(text) { throw FlagValueError(message: problem) }
            self.options.connectTo.append(text)
        }
        flags.bind(
            "prometheus-addr", self, \.prometheus,
            "Prometheus exporter listen address [empty = disabled]. Example: 0.0.0.0:8880")
        flags.bindDuration(
            "ramp", self, \.ramp, "barrage: ramp the rate linearly from 0 to -rate over this long, then hold")
        flags.bind(
            "plan", self, \.plan, "barrage: step plan RATE@END,... e.g. 50@10s,200@20s,400@30s (overrides -rate)")
        bindShards(flags)
        flags.bind("progress", self, \.progress, "barrage: live progress line on stderr when it is a terminal")
        flags.bind(
            "transport", self, \.transport,
            "barrage: request transport [auto, curl, native] (native: HTTP/1.1, TLS, HTTP/2; curl: proxies, -resolvers)"
        )
    }

    /// The flags whose values have their own syntax: `-max-body`, `-rate`, `-header`, `-proxy-header`.
    private func bindValues(_ flags: GoFlagSet) {
        flags.define(
            "max-body", default: "-1",
            usage: "Maximum number of bytes to capture from response bodies. [-1 = no limit]"
        ) { (text) throws(FlagValueError) in
            guard let v = ByteSize.parse(text) else { throw FlagValueError(message: "invalid syntax") }
            self.options.maxBody = v
        }
        flags.define("rate", default: "50/1s", usage: "Number of requests per time unit [0 = infinity]") {
            (text) throws(FlagValueError) in
            switch Rate.parse(text, current: self.rate) {
            case .success(let r): self.rate = r
            case .failure(let e): throw FlagValueError(message: e.message)
            }
        }
        flags.define("header", usage: "Request header") { (text) throws(FlagValueError) in
            let h = try AttackCommand.parseHeader(text)
            if let problem = RequestRules.headerProblem(h.name, h.values) { throw FlagValueError(message: problem) }
            self.headers.add(h.name, h.values[0])
        }
        flags.define("proxy-header", usage: "Proxy CONNECT header") { (text) throws(FlagValueError) in
            let h = try AttackCommand.parseHeader(text)
            if let problem = RequestRules.headerProblem(h.name, h.values) { throw FlagValueError(message: problem) }
            self.options.proxyHeaders.add(h.name, h.values[0])
        }
    }

    /// The flags that split one schedule over several processes: `-shard` (K from `JOB_COMPLETION_INDEX` when
    /// only N is given) and `-start-at`.
    private func bindShards(_ flags: GoFlagSet) {
        flags.define(
            "shard",
            usage:
                "barrage: send hits K, K+N, K+2N, ... of the schedule, with their global seqs (K/N; N alone takes K from JOB_COMPLETION_INDEX)"
        ) { (text) throws(FlagValueError) in
            let index = getenv(Shard.indexVariable).map { String(cString: $0) }
            switch Shard.parse(text, environmentIndex: index) {
            case .success(let shard): self.options.shard = shard
            case .failure(let e): throw FlagValueError(message: e.message)
            }
        }
        flags.define(
            "start-at",
            usage:
                "barrage: start the schedule at this RFC 3339 time, e.g. 2026-12-03T18:00:00Z (shards start together)"
        ) { (text) throws(FlagValueError) in
            guard let instant = StartTime.parse(text) else {
                throw FlagValueError(message: "not an RFC 3339 time, e.g. 2026-12-03T18:00:00Z")
            }
            self.options.startAt = instant
            self.startAt = text
        }
    }

    /// The DNS flags: `-dns-ttl` (with vegeta's -1) and `-resolvers`.
    private func bindNetwork(_ flags: GoFlagSet) {
        flags.define(
            "dns-ttl", default: "0s", usage: "Cache DNS lookups for the given duration [-1 = disabled, 0 = forever]"
        ) {
            (text) throws(FlagValueError) in
            if text == "-1" {
                self.options.dnsTTL = -1
            } else if let d = GoDuration.parse(text) {
                self.options.dnsTTL = d
            } else {
                throw FlagValueError(message: "time: invalid duration \(goQuote(text))")
            }
        }
        flags.define(
            "resolvers",
            usage:
                "List of addresses (ip:port) to use for DNS resolution. Disables use of local system DNS. (comma separated list)"
        ) { text in
            // Go's strings.Split; each entry is checked at startup, as vegeta does.
            self.options.resolvers = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
