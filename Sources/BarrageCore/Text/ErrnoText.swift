#if canImport(Glibc)
    import Glibc
#endif

/// Whose words an errno is printed in.
package enum ErrnoWording: Sendable {
    /// Go's `syscall.Errno` text, what vegeta prints: glibc's message with a lower-case first letter
    /// (`no such file or directory`), `errno N` for a number the C library does not know.
    case go
    /// The C library's `strerror` as it is (`No such file or directory`), what Python's `OSError` and our
    /// result-file messages print.
    case libc
}

/// The text of an errno value.
///
/// - Parameters:
///   - wording: `.go` or `.libc`.
///   - code: the errno value; the calling thread's `errno` when left out.
/// - Returns: the message.
package func errnoText(_ wording: ErrnoWording, code: Int32 = errno) -> String {
    guard let s = strerror(code) else { return "errno \(code)" }
    let text = String(cString: s)
    switch wording {
    case .libc:
        return text
    case .go:
        if text.hasPrefix("Unknown error") { return "errno \(code)" }
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
