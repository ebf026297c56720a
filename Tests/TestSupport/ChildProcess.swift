#if canImport(Glibc)
    public import Glibc
#endif

/// The one process runner of the tests: a real child process started with `posix_spawn` (no mocks).
///
/// Standard input, output and error are pipes or files (an output file never fills up, whatever the child
/// writes). The child gets its own environment and working directory, default signal dispositions and an
/// empty signal mask. Not thread-safe: one test drives one child.
public final class ChildProcess {
    /// Where the child's standard input comes from, or its standard output or error goes.
    public enum Stream: Sendable {
        /// A pipe: written by `writeStdin`, read by `readLine`, `readStderrChunk` or `finish`.
        case pipe
        /// A file: read from for input; created or truncated for an output (`/dev/null` to drop it).
        case file(String)
    }

    public let pid: pid_t
    /// The write end of the child's standard input; -1 once closed or when it comes from a file.
    public private(set) var stdinFD: Int32
    /// The read ends of the child's standard output and error; -1 when they go to a file.
    public let stdoutFD: Int32
    public let stderrFD: Int32
    private var reaped: Int32?

    /// Starts `argv` (`argv[0]` is looked up in `PATH` when it has no slash); nil when it cannot be started.
    ///
    /// - Parameters:
    ///   - environment: `NAME=value` entries; the test process's environment when nil.
    ///   - currentDirectory: the child's working directory; the test process's when nil.
    ///   - stdin: where standard input comes from.
    ///   - stdout: where standard output goes.
    ///   - stderr: where standard error goes.
    public init?(
        _ argv: [String], environment: [String]? = nil, currentDirectory: String? = nil, stdin: Stream = .pipe,
        stdout: Stream = .pipe, stderr: Stream = .pipe
    ) {
        ChildProcess.ignoreSIGPIPE
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard Spawn.pipes(stdin: stdin, &inPipe, stdout: stdout, &outPipe, stderr: stderr, &errPipe) else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        // (stream, the child's end of its pipe, the descriptor it becomes, how a file is opened)
        let plan: [(Stream, Int32, Int32, Int32)] = [
            (stdin, inPipe[0], 0, O_RDONLY), (stdout, outPipe[1], 1, O_WRONLY | O_CREAT | O_TRUNC),
            (stderr, errPipe[1], 2, O_WRONLY | O_CREAT | O_TRUNC),
        ]
        for (stream, childEnd, target, flags) in plan {
            switch stream {
            case .pipe: posix_spawn_file_actions_adddup2(&actions, childEnd, target)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, flags, 0o644)
            }
        }
        if let currentDirectory, !Spawn.addChdir(&actions, currentDirectory) {
            posix_spawn_file_actions_destroy(&actions)
            for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) }
            return nil
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cargs = argv.map { strdup($0) } + [nil]
        let env = (environment ?? ChildProcess.currentEnvironment()).map { strdup($0) } + [nil]
        var child: pid_t = 0
        let rc = posix_spawnp(&child, argv[0], &actions, &attr, cargs, env)
        for p in cargs { free(p) }
        for p in env { free(p) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attr)
        for fd in [inPipe[0], outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
        guard rc == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
            return nil
        }
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
    }

    /// Writes to a child that has gone fail with EPIPE instead of killing the test process (children get the
    /// default disposition back through the spawn attributes).
    private static let ignoreSIGPIPE: Void = { _ = Glibc.signal(SIGPIPE, SIG_IGN) }()

    /// The test process's environment as `NAME=value` entries.
    public static func currentEnvironment() -> [String] {
        var out: [String] = []
        var p = environ
        while let entry = p.pointee {
            out.append(String(cString: entry))
            p += 1
        }
        return out
    }

    /// Writes all of `bytes` to the child's standard input (stops early if the child closed it).
    public func writeStdin(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            off += n
        }
    }

    /// Closes the child's standard input (it reads end of file).
    public func closeStdin() {
        guard stdinFD >= 0 else { return }
        close(stdinFD)
        stdinFD = -1
    }

    /// Reads one line from stdout (for a server's port).
    public func readLine() -> String {
        var line: [UInt8] = []
        var c: UInt8 = 0
        while read(stdoutFD, &c, 1) == 1 {
            if c == 0x0a { break }
            line.append(c)
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads what the child has written to its stderr pipe so far, blocking until something comes; empty at its end.
    public func readStderrChunk() -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, 65536) }
            if n < 0 && errno == EINTR { continue }
            return n > 0 ? Array(buf[0..<n]) : []
        }
    }

    /// Sends `sig` to the child.
    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// Reads stdout and stderr to the end (both, with poll, so neither pipe fills), then waits for exit.
    ///
    /// - Returns: the exit status (128 + the signal for a child a signal ended) and what the pipes carried (empty
    ///   for an output that went to a file).
    public func finish() -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        var out: [UInt8] = []
        var err: [UInt8] = []
        var open = [stdoutFD >= 0, stderrFD >= 0]
        var buf = [UInt8](repeating: 0, count: 65536)
        while open[0] || open[1] {
            var fds = [
                pollfd(fd: open[0] ? stdoutFD : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? stderrFD : -1, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
            for i in 0..<2 where open[i] && fds[i].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, 65536) }
                if n <= 0 {
                    open[i] = false
                } else if i == 0 {
                    out.append(contentsOf: buf[0..<n])
                } else {
                    err.append(contentsOf: buf[0..<n])
                }
            }
        }
        return (wait(), out, err)
    }

    /// Waits for the child to exit (once; later calls return the same status).
    ///
    /// - Returns: the exit status, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        reaped = code
        return code
    }

    deinit {
        closeStdin()
        if reaped == nil {
            kill(pid, SIGKILL)
            wait()
        }
        if stdoutFD >= 0 { close(stdoutFD) }
        if stderrFD >= 0 { close(stderrFD) }
    }
}

/// The glibc calls Swift's Glibc module does not import (they are declared only under `_GNU_SOURCE`), looked up
/// once with `dlsym`.
private enum Spawn {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>)
        -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    private static let pipe2 = symbol("pipe2", as: Pipe2.self)
    private static let addChdirNP = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)

    /// A pipe for each stream that is one (the others stay -1); false, with none left open, when one fails.
    static func pipes(
        stdin: ChildProcess.Stream, _ inPipe: inout [Int32], stdout: ChildProcess.Stream, _ outPipe: inout [Int32],
        stderr: ChildProcess.Stream, _ errPipe: inout [Int32]
    ) -> Bool {
        var ok = true
        if case .pipe = stdin { ok = ok && pipe(&inPipe) }
        if case .pipe = stdout { ok = ok && pipe(&outPipe) }
        if case .pipe = stderr { ok = ok && pipe(&errPipe) }
        if !ok { for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) } }
        return ok
    }

    /// A pipe whose ends are close-on-exec from the start, so a child another test spawns at the same moment
    /// cannot inherit them (an inherited write end would keep a reader from ever seeing end of file).
    static func pipe(_ fds: inout [Int32]) -> Bool {
        guard let pipe2 else { return false }
        return fds.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return pipe2(base, O_CLOEXEC) == 0
        }
    }

    /// Adds a change of working directory to the spawn's file actions.
    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Bool {
        guard let addChdirNP else { return false }
        return addChdirNP(&actions, path) == 0
    }
}
