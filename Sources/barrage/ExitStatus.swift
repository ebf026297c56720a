import Encoder
import GoFlags

#if canImport(Glibc)
    import Glibc
#endif

/// The only place errors become exit statuses and stderr lines (STYLE.md §3.2).
enum ExitStatus {
    /// A runtime failure, printed like Go's `log.Fatal` (`2026/11/22 01:52:10 message`); returns 1.
    static func fatal(_ message: String) -> Int32 {
        Output.stderr(logPrefix() + message + "\n")
        return 1
    }

    /// A flag-parsing outcome: help exits 0 after the usage; a usage error prints Go's message, the usage, and exits 2.
    static func flagFailure(_ error: FlagError, _ flags: GoFlagSet) -> Int32 {
        switch error {
        case .help:
            Output.stderr(flags.usageText)
            return 0
        case .usage(let message):
            Output.stderr(message + "\n" + flags.usageText)
            return 2
        }
    }

    /// A usage error found after parsing (a bad combination of flags): message, usage, exit 2.
    static func usage(_ message: String, _ flags: GoFlagSet) -> Int32 {
        Output.stderr(message + "\n" + flags.usageText)
        return 2
    }

    /// `YYYY/MM/DD HH:MM:SS ` in local time, Go's default log prefix.
    static func logPrefix() -> String {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)/\(two(parts.tm_mon + 1))/\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) "
    }
}

/// A command step that stops the command: the exit status, its reason already printed.
struct CommandExit: Error {
    let status: Int32
    init(_ status: Int32) { self.status = status }
}

extension ExitStatus {
    /// Parses the command's flags; help and usage errors stop the command as `flagFailure` says.
    ///
    /// - Returns: the positional arguments.
    static func parse(_ flags: GoFlagSet, _ arguments: [String]) throws(CommandExit) -> [String] {
        do {
            return try flags.parse(arguments)
        } catch {
            throw CommandExit(flagFailure(error, flags))
        }
    }

    /// Names each damaged input on stderr (as `fatal`); returns 1 when there was any, else 0.
    static func failures(_ failures: [DecodeError]) -> Int32 {
        for failure in failures {
            _ = fatal(failure.description)
        }
        return failures.isEmpty ? 0 : 1
    }

    /// `body`'s value; an error it throws is printed as `fatal` and stops the command with status 1.
    static func orFatal<T, E: Error & CustomStringConvertible>(_ body: () throws(E) -> T) throws(CommandExit) -> T {
        do {
            return try body()
        } catch {
            throw CommandExit(fatal(error.description))
        }
    }
}

/// Unbuffered writes of whole strings to the standard streams (cold paths only: usage, errors, small outputs).
enum Output {
    static func stderr(_ text: String) { write(2, text) }
    static func stdout(_ text: String) { write(1, text) }

    private static func write(_ fd: Int32, _ text: String) {
        OutputFile.writeNow(text, to: fd)
    }
}
