import Attacker
import BarrageCore
import Encoder
import GoFlags
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `barrage attack`: vegeta's `attack` with the same flags, defaults and gob output.
enum AttackCommand {
    static let usage = """
        Usage: barrage attack [flags]

        Sends HTTP requests at a steady rate and writes one result per request (vegeta's gob format) in
        completion order. Targets come from -targets (default standard input), in vegeta's http or json format.
        A target Go's net/http would refuse (a method or header name that is not a token, a header value with
        CR, LF or another control byte, a URL url.Parse rejects) is refused when it is read, with Go's message
        and its line; spaces and other bytes Go escapes in a path are sent %-escaped, as Go sends them. A target
        line may be up to 4 MiB; a longer one is an error naming its line and byte offset.
        -header and -name values with such bytes are usage errors. -output writes a regular file in place as
        results arrive (a later step may read it during the attack); a device, FIFO or socket is written into
        and a symlink's target is written (the link stays). Standard output on a terminal is refused (gob is
        binary, as gzip refuses): pipe it (| barrage report) or use -output.

        Values vegeta checks are checked the same way, with its messages: -laddr (an IP or a name that resolves),
        -connect-to (src:port:dst:port), -resolvers entries, and the -cert, -key and -root-certs files (read at
        startup). Values vegeta would accept and then ignore are usage errors: -max-workers=0, a -unix-socket path
        over 107 bytes, a -connect-to port that is not a number; -proxy-header with no proxy variable set warns.
        -timeout below 0 is none; -connections=0 keeps Go's 2 idle connections, below 0 none; -redirects below -1
        fails every redirect (Go's rule). A second SIGINT/SIGTERM exits 1 saying how many hits have no result.

        Transport (-transport=auto|curl|native, default auto): auto runs barrage's own transport unless a proxy
        (-proxy-header, an HTTP_PROXY/HTTPS_PROXY variable) or -resolvers calls for libcurl; -transport=native with
        those is a usage error. The native transport speaks HTTP/1.1, TLS (OpenSSL: TLS 1.2/1.3, the system CA store
        unless -root-certs, SNI for host names, -session-tickets resumption) and HTTP/2 (nghttp2: h2 by ALPN with
        -http2, -h2c with prior knowledge; hits are streams, a new connection only at the server's stream limit),
        with Go's results and error texts. Where it differs from Go:
          host names        resolve with getaddrinfo; its addresses are tried in turn, IPv4 first (no parallel dials);
                            a failed lookup is kept for 1 s (or a shorter -dns-ttl); lookups block the event loop
          -connect-to       only the first mapping of a repeated source is used (vegeta round-robins)
          -connections      is the idle HTTP/1.1 connections kept per host and event loop; h2 connections stay open
          -max-connections  is split evenly across event loops (-cpus)
          -max-workers      unset caps requests in flight at 1024 per event loop (vegeta: unbounded)
          -prometheus-addr  serves plain Prometheus text (request counts, bytes, latency histogram), no labels
          h2 headers        a single response header field over 64 KiB fails the connection (nghttp2's limit)
        The libcurl transport further differs in that:
          -connections      is libcurl's connection-cache size per event loop
          -resolvers        needs a libcurl built with c-ares; otherwise the attack stops with an error
          -dns-ttl          is rounded to whole seconds
          -proxy-header     also reaches a plain-HTTP proxy (Go sends it only with CONNECT)
          User-Agent        stays Go-http-client/1.1 on HTTP/2
          retries           any request is sent again once when a reused connection dies before answering
                            (Go and the native transport: only GET, HEAD, OPTIONS, TRACE, or nothing written yet)
          trailers          of chunked responses appear among the headers (Go and the native transport keep them out)
          error texts       follow Go's wording for refused, timed-out, reset, redirect-limit, cut-body, chunked
                            and Content-Length failures; others (TLS, HTTP/2, a header line over 100 KB, a status
                            that is not a number, a non-HTTP answer) carry libcurl's message after `Method "url": `
        Beyond vegeta:
          -ramp=30s                 rise linearly from 0 to -rate over the duration given, then hold
          -plan=50@10s,200@20s      step plan: each RATE holds until END (time since start); ends after the last
          -progress                 a live line on stderr when it is a terminal (default true)
          -shard=K/N                send hits K, K+N, K+2N, ... of the one schedule -rate, -ramp, -plan and
                                    -duration describe, due when they would be due in one process and with their
                                    global seq: N processes with K = 0 ... N-1 send exactly the hits one would.
                                    -shard=N takes K from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).
                                    Targets stay round-robin over the global hit number (with -lazy every shard
                                    reads the whole stream and skips the other shards' targets). -workers and
                                    -max-workers are per process; with -rate=0 each shard runs unpaced with its own
                                    -max-workers and numbers its hits K, K+N, ...
          -start-at=TIME            start the schedule at this RFC 3339 wall-clock time (hit n due at TIME plus
                                    (n+1) intervals), so shards on different hosts start together; a TIME already
                                    past is an error unless it is less than the time to the first hit (one
                                    interval) ago. SIGINT while waiting exits 0 with no results.
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "attack", header: usage)
        let settings = AttackFlags(threads: Settings.cpus)
        settings.bind(flags)
        do throws(CommandExit) {
            _ = try ExitStatus.parse(flags, arguments)
            let options = try attackOptions(settings, flags)
            let source = try targetSource(options, settings, flags)
            return try await attack(options, source, settings)
        } catch {
            return error.status
        }
    }

    /// The options the flags describe, after vegeta's checks (in vegeta's order) and barrage's own.
    static func attackOptions(_ settings: AttackFlags, _ flags: GoFlagSet) throws(CommandExit) -> AttackOptions {
        var o = settings.options
        let maxWorkers = o.maxWorkers
        if settings.rate.freq == 0 && maxWorkers == .max && settings.plan.isEmpty {
            throw CommandExit(ExitStatus.usage("-rate=0 requires setting -max-workers", flags))
        }
        try checkResolvers(o)
        guard let choice = TransportChoice(rawValue: settings.transport) else {
            throw CommandExit(
                ExitStatus.usage(
                    "invalid value \(goQuote(settings.transport)) for flag -transport: not one of auto, curl, native",
                    flags))
        }
        o.transport = choice
        guard TargetFormat(rawValue: settings.format) != nil else {
            throw CommandExit(ExitStatus.fatal("format \(goQuote(settings.format)) isn't one of [http, json]"))
        }
        if let problem = RequestRules.headerProblem("X-Vegeta-Attack", [o.name]) {
            throw CommandExit(
                ExitStatus.usage("invalid value \(goQuote(o.name)) for flag -name: \(problem)", flags))
        }
        try checkTransport(o, flags)
        if !settings.plan.isEmpty {
            switch PlanStep.parsePlan(settings.plan) {
            case .success(let steps):
                o.pacer = .plan(steps)
                if o.duration == 0 || o.duration > (steps.last?.end ?? 0) { o.duration = steps.last?.end ?? 0 }
            case .failure(let e):
                throw CommandExit(
                    ExitStatus.usage("invalid value \(goQuote(settings.plan)) for flag -plan: \(e.message)", flags))
            }
        } else {
            o.pacer = Pacer.make(rate: settings.rate, ramp: settings.ramp)
        }
        if o.pacer == .unlimited && maxWorkers == .max {
            o.maxWorkers = max(1, o.workers)  // -rate=N/0: as fast as -workers allow
        }
        try checkUnused(o, flags)
        if let startAt = o.startAt, let problem = StartTime.problem(startAt, now: Timestamp.now(), pacer: o.pacer) {
            throw CommandExit(
                ExitStatus.usage("invalid value \(goQuote(settings.startAt)) for flag -start-at: \(problem)", flags))
        }
        // Go's client: a timeout below 0 is none; -connections=0 keeps Go's default of 2 idle connections.
        if o.timeout < 0 { o.timeout = 0 }
        if o.connections == 0 { o.connections = 2 }
        o.rootCertificates = try readTLSFiles(o, rootCerts: settings.rootCerts)
        return o
    }

    /// `-transport` checked against the options: a usage error when it cannot serve them.
    static func checkTransport(_ o: AttackOptions, _ flags: GoFlagSet) throws(CommandExit) {
        do throws(AttackError) {
            _ = try o.transport.resolve(o)
        } catch {
            throw CommandExit(ExitStatus.usage(error.description, flags))
        }
    }

    /// The targets: `-body` as the default body and `-header`s as default headers, read now or per hit (`-lazy`).
    static func targetSource(_ o: AttackOptions, _ settings: AttackFlags, _ flags: GoFlagSet) throws(CommandExit)
        -> TargetSource
    {
        var defaultBody: [UInt8] = []
        if !settings.body.isEmpty {
            let (bytes, err) = readFile(settings.body)
            guard err == 0 else {
                throw CommandExit(ExitStatus.fatal("open \(settings.body): \(errnoText(.go, code: err))"))
            }
            defaultBody = bytes
        }
        let defaults = TargetDefaults(headers: settings.headers, body: defaultBody)
        let format = TargetFormat(rawValue: settings.format) ?? .http
        let source = try ExitStatus.orFatal { () throws(TargetError) -> TargetSource in
            var reader = try TargetReader(path: settings.targets, format: format, defaults: defaults)
            if o.lazy { return .stream(reader) }
            let all = try reader.readAll()
            reader.close()
            return .loaded(all)
        }
        return source
    }

    /// Runs the attack into `-output` (gob), with SIGINT/SIGTERM handling, the Prometheus exporter and the
    /// progress line; returns the exit status.
    static func attack(_ o: AttackOptions, _ source: TargetSource, _ settings: AttackFlags) async throws(CommandExit)
        -> Int32
    {
        let path = settings.output
        if let refusal = TerminalOutput.gobRefusal("attack", path: path) {
            throw CommandExit(ExitStatus.fatal(refusal))
        }
        // In place: a regular file grows as results arrive, so a later step can read it during the attack.
        // Loading the targets took time: -start-at is checked again against the clock.
        if let startAt = o.startAt, let problem = StartTime.problem(startAt, now: Timestamp.now(), pacer: o.pacer) {
            throw CommandExit(ExitStatus.fatal("attack: -start-at \(problem)"))
        }
        let out = try ExitStatus.orFatal { () throws(EncodeError) in try OutputFile.open(path, inPlace: true) }
        let attack = try ExitStatus.orFatal { () throws(AttackError) in try Attack(options: o, targets: source) }
        let signals = AttackSignals.watch(attack)
        defer { signals?.stop() }
        var metrics: PrometheusExporter?
        if !settings.prometheus.isEmpty {
            metrics = try ExitStatus.orFatal { () throws(AttackError) in
                try PrometheusExporter(address: settings.prometheus)
            }
        }
        let showProgress = settings.progress && isatty(2) == 1
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
            // Blocks here rather than awaiting: a suspended main thread would take the watched signals (`runBlocking`).
            _ = try attack.runBlocking(sink, progressEvery: observer == nil ? 0 : 1_000_000_000, progress: observer)
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
        if p.elapsed < 0 {
            // -start-at is still ahead.
            let left = (-p.elapsed + 99_999_999) / 100_000_000 * 100_000_000
            return "\r[starts in \(GoDuration.format(left))] waiting for -start-at\u{1b}[K"
        }
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
        do throws(FDReadError) {
            return (try FDReader.readFile(path), 0)
        } catch {
            return ([], error.errno)
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

/// SIGINT/SIGTERM: the first stops the attack (in-flight requests finish and are written, exit 0); the second
/// exits now with status 1, saying how many hits were dropped (vegeta exits 0 and says nothing).
///
/// Made on the main thread before the attack starts its threads, so they inherit the blocked signals.
enum AttackSignals {
    static func watch(_ attack: Attack) -> SignalWatcher? {
        guard let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) else { return nil }
        let count = Atomic<Int>(0)
        watcher.startHandling { _ in
            if count.wrappingAdd(1, ordering: .relaxed).newValue == 1 {
                attack.stop()
            } else {
                Output.stderr(droppedLine(attack.hitsWithoutResult))
                exit(1)
            }
        }
        return watcher
    }

    /// `attack: interrupted again: 37 in-flight hits have no result`, and a newline.
    static func droppedLine(_ n: UInt64) -> String {
        "attack: interrupted again: \(n) in-flight \(n == 1 ? "hit has" : "hits have") no result\n"
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
