import Attacker
import BarrageCore
import Dispatch
import Encoder
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `barrage attack`: vegeta's `attack` with the same flags, defaults and gob output, on libcurl.
enum AttackCommand {
    static let usage = """
        Usage: barrage attack [flags]

        Sends HTTP requests at a steady rate and writes one result per request (vegeta's gob format) in
        completion order. Targets come from -targets (default standard input), in vegeta's http or json format.

        Differences from vegeta (libcurl, not Go's net/http):
          -connections      is libcurl's connection-cache size per event loop, not an idle count per host
          -max-connections  is split evenly across event loops (-cpus)
          -connect-to       only the first mapping of a repeated source is used (vegeta round-robins)
          -resolvers        needs a libcurl built with c-ares; otherwise the attack stops with an error
          -dns-ttl          is rounded to whole seconds
          -max-workers      unset caps requests in flight at 1024 per event loop (vegeta: unbounded)
          -keepalive=false  also opens a fresh connection per request, as vegeta; TCP keep-alive probes are not set
          -proxy-header     also reaches a plain-HTTP proxy (Go sends it only with CONNECT)
          -prometheus-addr  serves plain Prometheus text (request counts, bytes, latency histogram), no labels
          User-Agent        stays Go-http-client/1.1 on HTTP/2
          retries           libcurl sends any request again once when a reused connection dies before answering
                            (Go and the native transport: only GET, HEAD, OPTIONS, TRACE, or nothing written yet)
          trailers          of chunked responses appear among the headers (Go and the native transport keep them out)
          error texts       follow Go's wording for refused, timed-out, reset and redirect-limit failures;
                            other failures carry libcurl's message after `Method "url": `
        Transport (-transport=auto|curl|native, default auto): auto sends plain http:// targets on barrage's own
        HTTP/1.1 transport (no libcurl; much less CPU per request) unless -h2c, -proxy-header, -resolvers, an
        HTTP_PROXY/http_proxy variable or -lazy calls for libcurl. -transport=native with -h2c, -proxy-header,
        -resolvers, a proxy variable or a non-http:// target is a usage error; with -lazy it runs natively.
        The native transport differs from the libcurl one (and where noted from Go) in that:
          redirects         are followed to http:// Locations only; others end the hit with an error (also Go)
          host names        resolve with getaddrinfo; its addresses are tried in turn, IPv4 first (no parallel dials)
          -connect-to       the first mapping of a source is used, as with libcurl
          host names        a failed lookup is kept for 1 s (or a shorter -dns-ttl); lookups block the event loop
          -connections      is the idle connections kept per host and event loop (split across -cpus loops)
        Beyond vegeta:
          -ramp=30s                 rise linearly from 0 to -rate over the duration given, then hold
          -plan=50@10s,200@20s      step plan: each RATE holds until END (time since start); ends after the last
          -progress                 a live line on stderr when it is a terminal (default true)
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "attack", header: usage)
        var o = AttackOptions()
        o.threads = Settings.cpus
        let name = flags.string("name", "", "Attack name")
        let targets = flags.string("targets", "stdin", "Targets file")
        let format = flags.string("format", "http", "Targets format [http, json]")
        let output = flags.string("output", "stdout", "Output file")
        let body = flags.string("body", "", "Requests body file")
        let chunked = flags.bool("chunked", false, "Send body with chunked transfer encoding")
        let cert = flags.string("cert", "", "TLS client PEM encoded certificate file")
        let key = flags.string("key", "", "TLS client PEM encoded private key file")
        var rootCerts: [String] = []
        flags.define("root-certs", usage: "TLS root certificate files (comma separated list)") { text in
            rootCerts = text.split(separator: ",").map(String.init)
        }
        let http2 = flags.bool("http2", true, "Send HTTP/2 requests when supported by the server")
        let h2c = flags.bool("h2c", false, "Send HTTP/2 requests without TLS encryption")
        let insecure = flags.bool("insecure", false, "Ignore invalid server TLS certificates")
        let lazy = flags.bool("lazy", false, "Read targets lazily")
        let duration = flags.duration("duration", 0, "Duration of the test [0 = forever]")
        let timeout = flags.duration("timeout", 30_000_000_000, "Requests timeout")
        let workers = flags.uint("workers", 10, "Initial number of workers")
        let maxWorkers = flags.uint("max-workers", .max, "Maximum number of workers")
        let connections = flags.int("connections", 10_000, "Max open idle connections per target host")
        let maxConnections = flags.int("max-connections", 0, "Max connections per target host")
        let redirects = flags.int(
            "redirects", 10, "Number of redirects to follow. -1 will not follow but marks as success")
        var maxBody: Int64 = -1
        flags.define(
            "max-body", default: "-1",
            usage: "Maximum number of bytes to capture from response bodies. [-1 = no limit]"
        ) { (text) throws(FlagValueError) in
            guard let v = ByteSize.parse(text) else { throw FlagValueError(message: "invalid syntax") }
            maxBody = v
        }
        var rate = Rate(freq: 50)
        var rateSet = false
        flags.define("rate", default: "50/1s", usage: "Number of requests per time unit [0 = infinity]") {
            (text) throws(FlagValueError) in
            switch Rate.parse(text, current: rate) {
            case .success(let r): rate = r
            case .failure(let e): throw FlagValueError(message: e.message)
            }
            rateSet = true
        }
        var headers: [TargetHeader] = []
        flags.define("header", usage: "Request header") { (text) throws(FlagValueError) in
            let h = try parseHeader(text)
            headers.add(h.name, h.values[0])
        }
        var proxyHeaders: [TargetHeader] = []
        flags.define("proxy-header", usage: "Proxy CONNECT header") { (text) throws(FlagValueError) in
            let h = try parseHeader(text)
            proxyHeaders.add(h.name, h.values[0])
        }
        let laddr = flags.string("laddr", "0.0.0.0", "Local IP address")
        let keepalive = flags.bool("keepalive", true, "Use persistent connections")
        let unixSocket = flags.string(
            "unix-socket", "", "Connect over a unix socket. This overrides the host address in target URLs")
        var dnsTTL: Int64 = 0
        flags.define(
            "dns-ttl", default: "0s", usage: "Cache DNS lookups for the given duration [-1 = disabled, 0 = forever]"
        ) {
            (text) throws(FlagValueError) in
            if text == "-1" {
                dnsTTL = -1
            } else if let d = GoDuration.parse(text) {
                dnsTTL = d
            } else {
                throw FlagValueError(message: "time: invalid duration \(goQuote(text))")
            }
        }
        var resolvers: [String] = []
        flags.define(
            "resolvers",
            usage:
                "List of addresses (ip:port) to use for DNS resolution. Disables use of local system DNS. (comma separated list)"
        ) { text in
            resolvers = text.split(separator: ",").map(String.init)
        }
        let sessionTickets = flags.bool("session-tickets", false, "Enable TLS session resumption using session tickets")
        let connectTo = flags.list(
            "connect-to",
            "A mapping of (ip|host):port to use instead of a target URL's (ip|host):port. Can be repeated multiple times.\nIdentical src:port with different dst:port will round-robin over the different dst:port pairs.\nExample: google.com:80:localhost:6060"
        )
        let prometheus = flags.string(
            "prometheus-addr", "", "Prometheus exporter listen address [empty = disabled]. Example: 0.0.0.0:8880")
        let ramp = flags.duration(
            "ramp", 0, "barrage: ramp the rate linearly from 0 to -rate over this long, then hold")
        let plan = flags.string(
            "plan", "", "barrage: step plan RATE@END,... e.g. 50@10s,200@20s,400@30s (overrides -rate)")
        let progress = flags.bool("progress", true, "barrage: live progress line on stderr when it is a terminal")
        let transport = flags.string(
            "transport", "auto", "barrage: request transport [auto, curl, native] (native: plain HTTP/1.1, no libcurl)")

        do {
            _ = try flags.parse(arguments)
        } catch {
            return ExitStatus.flagFailure(error, flags)
        }
        _ = rateSet

        // vegeta's checks, in vegeta's order.
        if rate.freq == 0 && maxWorkers.value == .max && plan.value.isEmpty {
            return ExitStatus.usage("-rate=0 requires setting -max-workers", flags)
        }
        guard let choice = TransportChoice(rawValue: transport.value) else {
            return ExitStatus.usage(
                "invalid value \(goQuote(transport.value)) for flag -transport: not one of auto, curl, native", flags)
        }
        o.transport = choice
        guard let targetFormat = TargetFormat(rawValue: format.value) else {
            return ExitStatus.fatal("format \(goQuote(format.value)) isn't one of [http, json]")
        }
        o.name = name.value
        o.duration = duration.value
        o.timeout = timeout.value
        o.workers = workers.value
        o.maxWorkers = maxWorkers.value
        o.connections = Int(clamping: connections.value)
        o.maxConnections = Int(clamping: maxConnections.value)
        o.redirects = Int(clamping: redirects.value)
        o.maxBody = maxBody
        o.http2 = http2.value
        o.h2c = h2c.value
        o.insecure = insecure.value
        o.cert = cert.value
        o.key = key.value
        o.chunked = chunked.value
        o.localAddress = laddr.value
        o.keepAlive = keepalive.value
        o.unixSocket = unixSocket.value
        o.connectTo = connectTo.value
        o.proxyHeaders = proxyHeaders
        o.dnsTTL = dnsTTL
        o.resolvers = resolvers
        o.sessionTickets = sessionTickets.value
        o.lazy = lazy.value
        if choice == .native, let blocker = Attack.nativeBlocker(o, targets: nil) {
            return ExitStatus.usage("-transport=native does not support \(blocker)", flags)
        }
        if !plan.value.isEmpty {
            switch PlanStep.parsePlan(plan.value) {
            case .success(let steps):
                o.pacer = .plan(steps)
                if o.duration == 0 || o.duration > (steps.last?.end ?? 0) { o.duration = steps.last?.end ?? 0 }
            case .failure(let e):
                return ExitStatus.usage("invalid value \(goQuote(plan.value)) for flag -plan: \(e.message)", flags)
            }
        } else {
            o.pacer = Pacer.make(rate: rate, ramp: ramp.value)
        }
        if o.pacer == .unlimited && maxWorkers.value == .max {
            o.maxWorkers = max(1, workers.value)  // -rate=N/0: as fast as -workers allow
        }

        for path in rootCerts {
            let (bytes, err) = readFile(path)
            guard err == 0, bytes.contains(UInt8(ascii: "-")) else {
                return ExitStatus.fatal(err != 0 ? "open \(path): \(errnoText(.go, code: err))" : "bad certificate")
            }
            o.rootCertificates += bytes + [0x0a]
        }
        var defaultBody: [UInt8] = []
        if !body.value.isEmpty {
            let (bytes, err) = readFile(body.value)
            guard err == 0 else { return ExitStatus.fatal("open \(body.value): \(errnoText(.go, code: err))") }
            defaultBody = bytes
        }
        let defaults = TargetDefaults(headers: headers, body: defaultBody)
        let source: TargetSource
        do throws(TargetError) {
            var reader = try TargetReader(path: targets.value, format: targetFormat, defaults: defaults)
            if o.lazy {
                source = .stream(reader)
            } else {
                let all = try reader.readAll()
                reader.close()
                if choice == .native, let blocker = Attack.nativeBlocker(o, targets: all) {
                    return ExitStatus.usage(
                        "-transport=native does not support \(blocker) (only http:// targets)", flags)
                }
                source = .loaded(all)
            }
        } catch {
            return ExitStatus.fatal(error.description)
        }

        let out: OutputFile
        do {
            out = try OutputFile.open(output.value)
        } catch {
            return ExitStatus.fatal(error.description)
        }
        let attack: Attack
        do {
            attack = try Attack(options: o, targets: source)
        } catch {
            return ExitStatus.fatal(error.description)
        }
        let signals = AttackSignals(attack)
        defer { signals.cancel() }
        var metrics: PrometheusExporter?
        if !prometheus.value.isEmpty {
            do {
                metrics = try PrometheusExporter(address: prometheus.value)
            } catch {
                return ExitStatus.fatal(error.description)
            }
        }
        let showProgress = progress.value && isatty(2) == 1
        let total = o.duration
        let observer: (@Sendable (AttackProgress) -> Void)?
        if showProgress || metrics != nil {
            let exporter = metrics
            observer = { p in
                exporter?.update(p)
                if showProgress { Output.stderr(progressLine(p, total: total)) }
            }
        } else {
            observer = nil
        }
        do {
            let sink = WriterSink(writer: GobWriter(out), out: out)
            _ = try await attack.run(sink, progressEvery: observer == nil ? 0 : 1_000_000_000, progress: observer)
        } catch {
            if showProgress { Output.stderr("\n") }
            return ExitStatus.fatal("\(error)")
        }
        if showProgress { Output.stderr("\n") }
        metrics?.stop()
        return 0
    }

    /// vegeta's `-header` parsing: `K: V`, both sides trimmed and non-empty; the key's case is kept.
    static func parseHeader(_ text: String) throws(FlagValueError) -> TargetHeader {
        guard let colon = text.firstIndex(of: ":") else {
            throw FlagValueError(message: "header '\(text)' has a wrong format")
        }
        let key = text[..<colon].trimmingSpaces()
        let value = text[text.index(after: colon)...].trimmingSpaces()
        guard !key.isEmpty, !value.isEmpty else { throw FlagValueError(message: "header '\(text)' has a wrong format") }
        return TargetHeader(name: key, values: [value])
    }

    /// `\r[3.0s/10s] 2999 requests, 1000.0/s, 100.00% success, p50 1.2ms, p99 3.4ms` then clear to end of line.
    static func progressLine(_ p: AttackProgress, total: Int64) -> String {
        let seconds = Double(p.elapsed) / 1e9
        let rate = seconds > 0 ? Double(p.requests) / seconds : 0
        let success = p.requests > 0 ? Double(p.successes) * 100 / Double(p.requests) : 0
        let span =
            total > 0
            ? "\(GoDuration.format(p.elapsed / 100_000_000 * 100_000_000))/\(GoDuration.format(total))"
            : GoDuration.format(p.elapsed / 100_000_000 * 100_000_000)
        let rateText = GoFormat.fixed(rate, decimals: 1)
        let successText = GoFormat.fixed(success, decimals: 2)
        return "\r[\(span)] \(p.requests) requests, \(rateText)/s, \(successText)% success, "
            + "p50 \(GoDuration.format(p.quantile(0.5))), p99 \(GoDuration.format(p.quantile(0.99)))\u{1b}[K"
    }

    static func readFile(_ path: String) -> ([UInt8], Int32) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return ([], errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return (out, errno) }
            if n == 0 { return (out, 0) }
            out += chunk[0..<n]
        }
    }
}

/// Adapts an Encoder writer to the attack: `finish` flushes and closes the output (finishing gzip).
struct WriterSink<W: ResultWriter>: ResultSink {
    var writer: W
    let out: OutputFile
    mutating func write(_ result: Result) throws { try writer.write(result) }
    mutating func flush() throws { try writer.flush() }
    mutating func finish() throws {
        try writer.flush()
        try out.close()
    }
}

/// SIGINT/SIGTERM: the first stops the attack (in-flight requests finish and are written), the second exits now.
///
/// `@unchecked Sendable`: `sources` is written only in `init`; the handlers touch only the atomic and the attack.
final class AttackSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let count = Atomic<Int>(0)

    init(_ attack: Attack) {
        var made: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            made.append(source)
        }
        sources = made
        for source in sources {
            source.setEventHandler { [self] in
                if count.wrappingAdd(1, ordering: .relaxed).newValue == 1 {
                    attack.stop()
                } else {
                    exit(0)
                }
            }
            source.resume()
        }
    }

    func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
