import BarrageCore
import ChaosGlue
import ChaosReport
import Encoder
import Foundation

/// `barrage chaos report JOURNAL [RESULTS...]`: one self-contained HTML page with the experiment's activities
/// drawn on the same clock as the attack's latencies and request rates.
enum ChaosReportCommand {
    static let usage = "chaos report [OPTIONS] JOURNAL [RESULTS]..."
    static let help = """
        Usage: chaos report [OPTIONS] JOURNAL [RESULTS]...

          Draw the experiment of JOURNAL over its attack: one self-contained HTML page (no network needed to view
          it) with the experiment's facts, a timeline of every hypothesis probe, method activity and rollback, and,
          on the same wall-clock axis, the attack's latencies (OK and errors, per attack name) and its requests per
          second. RESULTS are vegeta/barrage result files (gob, JSON or CSV, gzip undone); without them, the files
          the journal's `vegeta attack`/`barrage attack` process activities wrote (-output=FILE, -output FILE or
          > FILE) are read, relative to the journal's directory.

          A response that succeeded but whose body is a JSON object with a non-empty "error" member (services
          that answer 200 with {"error": ..., "value": ...}, like the seed labs' front) counts as an error too;
          --body-error-key names another member, and an empty one turns this off.

        Options:
          -o, --output FILE        Write the page to FILE instead of standard output (a regular file is
                                   replaced when the page is complete; a device or FIFO is written into).
          --body-error-key NAME    Body member that carries an error [default: error; "" for none].
          --export-format FORMAT   chaostoolkit-reporting's form: `chaos report --export-format=html5
                                   JOURNAL [RESULTS]... REPORT` writes the page to the last argument
                                   (html or html5; barrage draws its own page, not pandoc's).
          -h, --help               Show this message and exit.

        """

    /// The command line, parsed.
    struct Options {
        var output = "stdout"
        var bodyKey = "error"
        var positionals: [String] = []
        /// chaostoolkit-reporting's `--export-format`: the last positional is then the report's path.
        var exportFormat: String?
    }

    static func run(_ args: [String]) -> Int32 {
        var options = Options()
        if let exit = parse(args, into: &options) { return exit }
        guard let journalPath = options.positionals.first else {
            return ChaosCommand.usageFailure(usage, "chaos report", "Missing argument 'JOURNAL'.")
        }
        var report: ChaosReport
        do {
            report = try ChaosReport(journal: try loadJournal(journalPath))
        } catch let error as ChaosReportError {
            return fail("\(journalPath): \(error.description)")
        } catch {
            return fail("\(error)")
        }
        var failed = false
        let files: [String]
        if options.positionals.count > 1 {
            files = givenFiles(options.positionals.dropFirst(), report: &report, failed: &failed)
        } else {
            files = journalFiles(journalPath, report: &report)
        }
        let bodyErrors = BodyErrors(key: options.bodyKey)
        report.bodyErrorKey = options.bodyKey
        for file in files {
            for problem in report.addResults(from: file, bodyErrors: bodyErrors) {
                failed = true
                _ = fail(problem)
            }
        }
        do {
            let out = try OutputFile.open(options.output)
            try report.page().writeHTML { (chunk) throws(EncodeError) in try out.write(chunk) }
            try out.close()
        } catch {
            return fail(error.description)
        }
        return failed ? 1 : 0
    }

    /// The options `parse` knows (click's rules, as every chaos command; the help text above lists them).
    static let optionTable: [ChaosCommand.Option] = [
        .init(name: "--output", short: "-o", takesValue: true, help: "Write the page to FILE."),
        .init(name: "--body-error-key", takesValue: true, help: "Body member that carries an error."),
        .value("--export-format", "chaostoolkit-reporting's format (html, html5).", choices: ["html", "html5"]),
        .init(name: "--help", takesValue: false, help: "Show this message and exit."),
    ]

    /// Parses `args` into `options`.
    /// - Returns: the exit code when the command ends here (help, or a usage error), else nil.
    static func parse(_ args: [String], into options: inout Options) -> Int32? {
        do throws(ChaosCommand.UsageError) {
            let (parsed, _) = try ChaosCommand.parse(args, optionTable, stopAtCommand: false)
            if parsed.flags.contains("--help") {
                Output.stdout(help)
                return 0
            }
            options.output = parsed.last("--output") ?? options.output
            options.bodyKey = parsed.last("--body-error-key") ?? options.bodyKey
            options.positionals = parsed.positionals
            if let format = parsed.last("--export-format") {
                options.exportFormat = format
                // chaostoolkit-reporting: `JOURNAL... REPORT`, the report's path last.
                if options.positionals.count >= 2, let report = options.positionals.popLast() {
                    options.output = report
                }
            }
            return nil
        } catch {
            return ChaosCommand.usageFailure(usage, "chaos report", error.message)
        }
    }

    /// The result files named on the command line that exist (`-` and `stdin` always do); each missing one is
    /// reported, noted on the page and sets `failed`.
    static func givenFiles(
        _ given: ArraySlice<String>, report: inout ChaosReport, failed: inout Bool
    ) -> [String] {
        var files: [String] = []
        for file in given {
            if file != "-" && file != "stdin" && !FileManager.default.fileExists(atPath: file) {
                failed = true
                _ = fail("\(file): no such file")
                report.fileNotes.append("\(file): no such file")
            } else {
                files.append(file)
            }
        }
        return files
    }

    /// The result files the journal's attack activities wrote, relative to the journal's directory; those that
    /// are missing or not regular files are reported, noted on the page and skipped.
    static func journalFiles(_ journalPath: String, report: inout ChaosReport) -> [String] {
        var files: [String] = []
        let directory = (journalPath as NSString).deletingLastPathComponent
        for found in ResultFileFinder.find(in: report.journal, directory: directory) {
            // Only regular files: a journal naming /dev/zero or a FIFO must not hang the report.
            let path: String
            if isRegularFile(found.path) {
                path = found.path
            } else if isRegularFile(found.named) {
                path = found.named
            } else {
                let what = FileManager.default.fileExists(atPath: found.path) ? "not a regular file" : "not found"
                let note = "\(found.path): \(what) (named by activity '\(found.activity)'), skipped"
                Output.stderr("chaos report: \(note)\n")
                report.fileNotes.append(note)
                continue
            }
            Output.stderr("chaos report: reading results from \(path) (activity '\(found.activity)')\n")
            files.append(path)
        }
        if files.isEmpty { Output.stderr("chaos report: no result files given or named by the journal\n") }
        return files
    }

    /// The journal as JSON; the error names the file and, for bad JSON, the line and column.
    static func loadJournal(_ path: String) throws(ChaosError) -> JSON {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .invalid("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw .invalid("\(path): is a directory") }
        return try ExperimentLoader.loadFile(path)
    }

    /// Whether `path` is a regular file (following links).
    static func isRegularFile(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular
    }

    /// Prints `chaos report: <message>`; returns 1.
    static func fail(_ message: String) -> Int32 {
        Output.stderr("chaos report: \(message)\n")
        return 1
    }
}
