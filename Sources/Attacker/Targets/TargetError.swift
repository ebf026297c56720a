/// A targets problem: vegeta's message plus where it was found.
public struct TargetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// vegeta's text, e.g. `bad method: get`.
    public var message: String
    /// The source name (`stdin` or the file path).
    public var source: String
    /// 1-based line number, or 0 when the problem has no line (no targets at all, a read error).
    public var line: Int

    /// Creates an error.
    public init(_ message: String, source: String, line: Int) {
        self.message = message
        self.source = source
        self.line = line
    }

    /// `bad method: get (targets.txt line 3)`: vegeta's text first, so scripts matching it keep working.
    public var description: String {
        line > 0 ? "\(message) (\(source) line \(line))" : message
    }

    /// True when the error is vegeta's `no targets to attack` (the input ran out).
    public var isEndOfTargets: Bool { message == TargetError.noTargets }

    /// vegeta's `ErrNoTargets` text.
    public static let noTargets = "no targets to attack"
}
