#if canImport(Glibc)
    import Glibc
#endif

/// Gob is binary: written to a terminal it garbles the screen and is lost. As gzip does, the commands refuse it
/// with a hint instead (a file or a pipe gets it as always; `-output /dev/tty` still writes there).
enum TerminalOutput {
    /// The one-line refusal when `path` is standard output and that is a terminal, else nil.
    static func gobRefusal(_ command: String, path: String) -> String? {
        guard path == "stdout" || path == "-", isatty(STDOUT_FILENO) == 1 else { return nil }
        return "\(command): gob results are not written to a terminal: pipe them (| barrage report) "
            + "or write them to a file (-output FILE)"
    }
}
