/// Why a result input could not be read further: one complete user-facing line naming the input and the place.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input's name as the user gave it (`stdin` for standard input).
    public let file: String
    /// Where the damage starts, e.g. `byte 5301` or `line 7`; empty when it is about the whole input.
    public let location: String
    /// What is wrong.
    public let reason: String

    /// Creates an error for `file` at `location`.
    public init(file: String, location: String, reason: String) {
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        location.isEmpty ? "\(file): \(reason)" : "\(file): \(location): \(reason)"
    }
}

/// Why output could not be written (an `errno` from open/write, or zlib).
public struct EncodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output's name as the user gave it.
    public let file: String
    /// What went wrong.
    public let reason: String

    /// Creates an error for `file`.
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
