import BarrageCore
import Encoder
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Console and file logging in chaostoolkit's format (reference §10):
/// `\e[32m[2026-11-22 01:50:28 INFO] message` on stderr, DEBUG lines with `[module:lineno]` in the log file.
public final class ChaosLog: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug = 10
        case info = 20
        case warning = 30
        case error = 40
        case critical = 50

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        var name: String {
            switch self {
            case .debug: return "DEBUG"
            case .info: return "INFO"
            case .warning: return "WARNING"
            case .error: return "ERROR"
            case .critical: return "CRITICAL"
            }
        }

        var color: String {
            switch self {
            case .debug: return "\u{1B}[36m"
            case .info: return "\u{1B}[32m"
            case .warning: return "\u{1B}[33m"
            case .error, .critical: return "\u{1B}[31m"
            }
        }

        init(python name: String) {
            switch name {
            case "DEBUG": self = .debug
            case "WARNING", "WARN": self = .warning
            case "ERROR": self = .error
            case "CRITICAL", "FATAL": self = .critical
            default: self = .info
            }
        }
    }

    public enum Format: Sendable { case string, json }

    private let verbose: Bool
    /// One id per command run, as chaostoolkit's `context_id`.
    private let contextID = UUID().uuidString.lowercased()
    private let format: Format
    private let consoleFD: Int32
    private let colorTerminal: Bool
    private let state: Mutex<State>
    /// Why the log file could not be opened (`path: open: reason`), or nil; the caller reports it and stops.
    public let logFileProblem: String?

    private struct State {
        var fileFD: Int32
        var fileLevel: Level
        var mask: SecretMask
    }

    /// - Parameters:
    ///   - verbose: console at DEBUG with ` [module:lineno]`.
    ///   - logFile: appended at `fileLevel`, always the verbose string format; nil for none. A device, FIFO or
    ///     socket is written into and a symlink's target is appended to (`OutputDestination`); when it cannot be
    ///     opened, `logFileProblem` says why.
    public init(
        verbose: Bool = false, format: Format = .string, logFile: String? = nil, fileLevel: Level = .debug,
        consoleFD: Int32 = 2
    ) {
        self.verbose = verbose
        self.format = format
        self.consoleFD = consoleFD
        colorTerminal = isatty(consoleFD) == 1
        var fd: Int32 = -1
        var problem: String?
        if let logFile {
            do throws(OutputError) {
                fd = try OutputDestination.open(logFile, mode: .append, permissions: 0o644).fd
            } catch {
                problem = error.description
            }
        }
        logFileProblem = problem
        state = Mutex(State(fileFD: fd, fileLevel: fileLevel, mask: .none))
    }

    /// The run's secrets, for `masked` and python log records (`SecretMask` has the rule).
    func mask(_ mask: SecretMask) {
        state.withLock { $0.mask = mask }
    }

    /// A part of a message that comes from outside the runner (an error, output), with the run's secrets masked.
    /// The runner's own words are never masked, so callers mask only what they interpolate from outside.
    func masked(_ text: String) -> String {
        state.withLock { $0.mask }.text(text)
    }

    /// Where chaostoolkit logs a line (`module:lineno` in `--verbose` and the log file), so ours read the same.
    public struct Place: Sendable {
        public var module: String
        public var line: Int
        public init(_ module: String, _ line: Int) {
            self.module = module
            self.line = line
        }
    }

    public func debug(_ m: String, at place: Place? = nil, file: String = #fileID, line: Int = #line) {
        log(.debug, m, at: place, file: file, line: line)
    }
    public func info(_ m: String, at place: Place? = nil, file: String = #fileID, line: Int = #line) {
        log(.info, m, at: place, file: file, line: line)
    }
    public func warning(_ m: String, at place: Place? = nil, file: String = #fileID, line: Int = #line) {
        log(.warning, m, at: place, file: file, line: line)
    }
    public func error(_ m: String, at place: Place? = nil, file: String = #fileID, line: Int = #line) {
        log(.error, m, at: place, file: file, line: line)
    }
    public func critical(_ m: String, at place: Place? = nil, file: String = #fileID, line: Int = #line) {
        log(.critical, m, at: place, file: file, line: line)
    }

    public func log(
        _ level: Level, _ message: String, at place: Place? = nil, file: String = #fileID, line: Int = #line
    ) {
        if let place {
            emit(level, message, module: place.module, lineno: place.line)
            return
        }
        let module = String(file.split(separator: "/").last?.split(separator: ".").first ?? "chaos")
        emit(level, message, module: module, lineno: line)
    }

    /// A record from the python bridge (`{"log": level, "message", "module", "lineno"}`).
    func python(_ record: JSON) {
        let level = Level(python: record["log"]?.string ?? "INFO")
        let lineno: Int
        if case .int(let n)? = record["lineno"] { lineno = n } else { lineno = 0 }
        emit(
            level, masked(record["message"]?.pythonString ?? ""), module: record["module"]?.pythonString ?? "python",
            lineno: lineno)
    }

    private func emit(_ level: Level, _ message: String, module: String, lineno: Int) {
        let stamp = Clock.localStamp()
        let indented = message.replacingOccurrences("\n", "\n    ")
        state.withLock { st in
            if st.fileFD >= 0, level >= st.fileLevel {
                Self.write(st.fileFD, "[\(stamp) \(level.name)] [\(module):\(lineno)] \(indented)\n")
            }
        }
        guard level >= (verbose ? .debug : .info) else { return }
        let text: String
        switch format {
        case .json:
            let w = Clock.wall()
            var record = JSON.object([])
            record["process"] = .int(Int(getpid()))
            let millis = String(w.micros / 1000)
            record["asctime"] = .string(stamp + "," + String(repeating: "0", count: 3 - millis.count) + millis)
            record["levelname"] = .string(level.name)
            record["module"] = .string(module)
            record["lineno"] = .int(lineno)
            record["message"] = .string(message)
            record["context_id"] = .string(contextID)
            record["timestamp"] = .string(Clock.isoUTC(w))
            text = record.pythonDumps(ensureASCII: true) + "\n"
        case .string:
            let end = colorTerminal ? "\u{1B}[0m" : ""
            let location = verbose ? " [\(module):\(lineno)]" : ""
            text = "\(level.color)[\(stamp) \(level.name)]\(end)\(location) \(indented)\n"
        }
        state.withLock { _ in Self.write(consoleFD, text) }
    }

    static func write(_ fd: Int32, _ text: String) {
        OutputFile.writeNow(text, to: fd)
    }

    deinit {
        let fd = state.withLock { $0.fileFD }
        if fd >= 0 { close(fd) }
    }
}
