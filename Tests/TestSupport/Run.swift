import Foundation

/// What a finished child process left behind.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: [UInt8]
    public let stderr: String

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// A child process that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public var description: String { "could not start \(executable)" }
}

/// Runs real processes and makes scratch files for end-to-end tests.
public enum Run {
    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it (a `ChildProcess` whose
    /// outputs go to files, so a child writing megabytes never blocks on a full pipe).
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; the test process's when nil.
    ///   - currentDirectory: the child's working directory; the test process's when nil.
    /// - Returns: the exit status (128 + the signal for a child a signal ended) and both outputs.
    /// - Throws: `SpawnError` when the child cannot be started, or the error reading its outputs back.
    public static func process(
        _ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) throws -> ProcessOutput {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard
            let child = ChildProcess(
                [executable] + arguments, environment: environment.map { $0.map { $0.key + "=" + $0.value } },
                currentDirectory: currentDirectory, stdout: .file(dir + "/stdout"), stderr: .file(dir + "/stderr"))
        else { throw SpawnError(executable: executable) }
        child.writeStdin(input)
        child.closeStdin()
        let status = child.wait()
        return ProcessOutput(
            status: status, stdout: try read(dir + "/stdout"),
            stderr: String(decoding: try read(dir + "/stderr"), as: UTF8.self))
    }

    /// Runs the built `barrage` binary.
    public static func barrage(_ arguments: [String], input: [UInt8] = [], currentDirectory: String? = nil) throws
        -> ProcessOutput
    {
        try process(Paths.barrage, arguments, input: input, currentDirectory: currentDirectory)
    }

    /// A new empty file path in a fresh temporary directory.
    public static func temporaryFile(_ name: String) throws -> String {
        let dir = try temporaryDirectory()
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "barrage-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Reads a whole file (tests only).
    public static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes a whole file (tests only).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// The fixtures of a test target: `Fixtures/` beside the test source file.
public struct Fixtures: Sendable {
    public let directory: String

    public init(_ file: String = #filePath) {
        directory = Paths.directory(of: file) + "/Fixtures"
    }

    public func path(_ name: String) -> String { directory + "/" + name }

    public func bytes(_ name: String) throws -> [UInt8] { try Run.read(path(name)) }
}
