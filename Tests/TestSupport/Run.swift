import Foundation

/// What a finished child process left behind.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: [UInt8]
    public let stderr: String

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs real processes and makes scratch files for end-to-end tests.
public enum Run {
    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it.
    public static func process(
        _ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) throws -> ProcessOutput {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
        if let currentDirectory { p.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let inPipe = Pipe()
        let outFile = try temporaryFile("stdout")
        let errFile = try temporaryFile("stderr")
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        // Files, not pipes, for the outputs: a child writing megabytes never blocks on a full pipe.
        guard let outHandle = FileHandle(forWritingAtPath: outFile), let errHandle = FileHandle(forWritingAtPath: errFile)
        else { throw CocoaError(.fileNoSuchFile) }
        p.standardInput = inPipe
        p.standardOutput = outHandle
        p.standardError = errHandle
        try p.run()
        try inPipe.fileHandleForWriting.write(contentsOf: Data(input))
        try inPipe.fileHandleForWriting.close()
        p.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let out = try Data(contentsOf: URL(fileURLWithPath: outFile))
        let err = try Data(contentsOf: URL(fileURLWithPath: errFile))
        return ProcessOutput(status: p.terminationStatus, stdout: [UInt8](out), stderr: String(decoding: err, as: UTF8.self))
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
