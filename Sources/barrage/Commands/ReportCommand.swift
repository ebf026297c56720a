import BarrageCore
import Encoder
import GoFlags
import Reporter

#if canImport(Glibc)
    import Glibc
#endif

/// `barrage report`: summarises result files (vegeta's `report`).
enum ReportCommand {
    static let usage = """
        Usage: barrage report [flags] [<file>...]

        Reads vegeta results (gob, JSON or CSV, detected per file; gzip undone) from the files, or from standard
        input when none is given, and writes a report. Several files (say one per shard of attack -shard) are
        merged round-robin into one report. Files of the same attack name whose time ranges do not overlap, or
        whose seqs collide (a shard run twice), are named in a warning on stderr; the report is still written.

        Report types:
          text              the summary vegeta prints (default)
          json              the same as one JSON object; with -buckets it also holds bucket counts
          hist[<buckets>]   latency histogram, e.g. -type='hist[0,100ms,200ms,300ms]'
          hdrplot           percentile distribution for HdrHistogram plotters

        Precision: counts, totals, min, mean, max, rate, throughput and success are exact. Percentiles (50, 90,
        95, 99 and the hdrplot values) come from an HdrHistogram with 3 significant digits: each is within 0.1%
        of a latency observed at that rank. vegeta's t-digest interpolates between neighbouring latencies
        instead, so small samples can differ by more than that from vegeta's numbers.

        With -every, the report is rewritten at each interval while input is still arriving (the screen is
        cleared first when writing to stdout), then once more at the end. SIGINT ends reading and writes the
        report of what was read. A damaged input keeps every record before the damage, is named on stderr, and
        the command exits 1 after writing the report. A record is checked as encode checks it and may be up to
        64 MiB (one JSON line, CSV record, gob message).

        -output: a regular file is replaced when the report is complete (with -every, rewritten in place); a
        device, FIFO or socket (/dev/stdout, /dev/null) is written into, and a symlink's target is written.

        Checks (for CI): -check 'p99<250ms' judges the final report; repeat the flag or separate checks with
        commas. A check is <metric><op><threshold>, op one of < <= > >= == !=:
          p50 p90 p95 p99 p99.9 (any pN), mean, min, max   a Go duration: p99<250ms, max<=1.5s
          success                                           a ratio or a percentage: success>=99.9%, success>=0.999
          rate, throughput                                  per second, as the report's: rate>=950
          errors, code:5xx, code:503 (a class or a code)    a share of all requests or a count: code:5xx<1%,
                                                            code:503<=10, errors==0
        The report is written as usual, then one line per check on stderr (check p99<250ms: ok (p99 = 212.4ms),
        or FAILED); a JSON report also lists them in a "checks" array. Exit status 1 when a check fails (as
        for damaged input); a malformed check is a usage error (exit 2).

        Breakdown: -by=url (or method+url, attack, code, file) writes the total report, then one report per
        group under a header line "== GET http://host/path (1234 requests) ==", groups sorted by key; with
        -type=json one object {"total": REPORT, "groups": [{"key": KEY, "report": REPORT}, ...]}. The first 100
        keys get a group each; results of later keys share one "other" group (a JSON "other": REPORT). Keys are
        cut at 1024 bytes. Checks judge the total.
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "report", header: usage)
        let type = flags.string("type", "text", "Report type to generate [text, json, hist[buckets], hdrplot]")
        let buckets = flags.string("buckets", "", "Histogram buckets, e.g.: \"[0,1ms,10ms]\"")
        let every = flags.duration("every", 0, "Report interval")
        let output = flags.string("output", "stdout", "Output file")
        let (checks, by) = (checkFlag(flags), byFlag(flags))
        let files: [String]
        // SIGINT ends reading; the final report covers what was read (vegeta does the same). Watched from here, on
        // the main thread before any reading thread starts.
        let interrupts = SignalWatcher(signals: [SIGINT])
        defer { interrupts?.stop() }
        let kind: ReportKind
        let reader: ResultReader
        let out: OutputFile
        do throws(CommandExit) {
            files = try ExitStatus.parse(flags, arguments)
            let (t, b) = (type.value, buckets.value)
            kind = try ExitStatus.orFatal { () throws(ReportError) in try ReportKind(type: t, buckets: b) }
            reader = try ExitStatus.orFatal { () throws(DecodeError) in
                try ResultReader(paths: files, fields: by.value?.fields ?? .metrics)
            }
            let (path, inPlace) = (output.value, every.value > 0)
            // With -every the file is rewritten where it is, so it can be watched; otherwise replaced at the end.
            out = try ExitStatus.orFatal { () throws(EncodeError) in try OutputFile.open(path, inPlace: inPlace) }
        } catch {
            return error.status
        }
        let live = LiveReport(
            kind: kind, every: every.value, checks: checks.value, grouping: by.value,
            inputNames: files.isEmpty ? ["stdin"] : files)
        let clearsScreen = output.value == "stdout" || output.value == "-"
        interrupts?.startHandling { _ in live.interrupt() }

        var writeFailure: EncodeError?
        // Several files are one attack only if they overlap in time and share no seq (shards of one attack).
        let check = files.count > 1 ? MergeCheck(names: files) : nil
        let (report, verdicts, finished) = live.run(ReaderSource(reader: reader, check: check)) { frame in
            guard writeFailure == nil else { return }
            do throws(EncodeError) {
                if clearsScreen { try out.write("\u{1B}[2J\u{1B}[0;0H") }
                try out.write(frame)
                try out.flush()
            } catch {
                writeFailure = error
            }
        }
        do throws(EncodeError) {
            if let writeFailure { throw writeFailure }
            try out.write(report)
            try out.close()
        } catch {
            return ExitStatus.fatal(error.description)
        }
        for warning in finished?.check?.warnings() ?? [] { Output.stderr(warning + "\n") }
        let checked = judge(verdicts)
        let damaged = ExitStatus.failures(finished?.reader.failures ?? [])
        return max(checked, damaged)
    }

    /// `-check`: every occurrence adds its checks; a malformed one is a usage error naming it.
    private static func checkFlag(_ flags: GoFlagSet) -> FlagRef<[Check]> {
        let checks = FlagRef([Check]())
        flags.define("check", usage: "Check to judge the report by, e.g. 'p99<250ms' (repeatable, comma-separated)") {
            (text) throws(FlagValueError) in
            do throws(CheckError) {
                checks.value += try Check.parseList(text)
            } catch {
                throw FlagValueError(message: error.description)
            }
            checks.isSet = true
        }
        return checks
    }

    /// `-by`: the grouping of a per-group report, if any.
    private static func byFlag(_ flags: GoFlagSet) -> FlagRef<Grouping?> {
        let by = FlagRef<Grouping?>(nil)
        let groupings = Grouping.allCases.map(\.rawValue).joined(separator: ", ")
        flags.define("by", usage: "barrage: a report per group beside the total [\(groupings)]") {
            (text) throws(FlagValueError) in
            guard let value = Grouping(rawValue: text) else {
                throw FlagValueError(message: "not one of \(groupings)")
            }
            by.value = value
            by.isSet = true
        }
        return by
    }

    /// Prints one line per check on stderr, then which failed; 1 when any did, else 0.
    private static func judge(_ verdicts: [CheckVerdict]) -> Int32 {
        guard !verdicts.isEmpty else { return 0 }
        var text = ""
        for verdict in verdicts { text += verdict.line + "\n" }
        let failed = verdicts.filter { !$0.ok }.map(\.check.text)
        if !failed.isEmpty {
            text += "report: \(failed.count) of \(verdicts.count) checks failed: \(failed.joined(separator: ", "))\n"
        }
        Output.stderr(text)
        return failed.isEmpty ? 0 : 1
    }
}

/// The reader as the report's source (a wrapper: a public type cannot conform here without a public import), and
/// the check of several files as one attack, fed with each record and the file it came from.
struct ReaderSource: ResultSource {
    var reader: ResultReader
    var check: MergeCheck?
    mutating func next() -> Result? { reader.next() }
    mutating func nextWithInput() -> (result: Result, input: Int)? {
        guard let result = reader.next() else { return nil }
        check?.add(ResultStats(result), input: reader.lastInput)
        return (result, reader.lastInput)
    }
    mutating func nextStats() -> ResultStats? {
        let stats = reader.nextStats()
        if let stats { check?.add(stats, input: reader.lastInput) }
        return stats
    }
    mutating func nextStatsBatch(_ body: (UnsafeBufferPointer<ResultStats>) -> Void) -> Bool {
        guard check != nil else { return reader.nextStatsBatch(body) }
        // Several files are read one record at a time anyway (round-robin).
        guard var one = nextStats() else { return false }
        withUnsafePointer(to: &one) { body(UnsafeBufferPointer(start: $0, count: 1)) }
        return true
    }
}
