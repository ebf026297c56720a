import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// The process provider (reference §4.2).
enum ProcessProvider {
    struct Outcome {
        var status: Int
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// Resolves `path` like `shutil.which`; `vegeta` and `barrage` are this executable unless `external`.
    static func resolve(_ path: String, external: Bool) -> String? {
        if !external, path == "vegeta" || path == "barrage" { return Spawn.selfExecutable() }
        return Spawn.which(path)
    }

    /// Builds the command: list arguments without a shell (None and "" dropped), a string through `/bin/sh -c`,
    /// a dict flattened key, value, ...
    static func command(resolved: String, arguments: JSON?) -> (path: String, argv: [String]) {
        switch arguments {
        case .string(let s)?:
            return ("/bin/sh", ["/bin/sh", "-c", s.isEmpty ? resolved : "\(resolved) \(s)"])
        case .array(let items)?:
            let args = items.filter { $0 != .null && $0 != .string("") }.map(\.pythonString)
            return (resolved, [resolved] + args)
        case .object(let members)?:
            var args: [String] = []
            for m in members {
                if !m.key.isEmpty { args.append(m.key) }
                if m.value != .null && m.value != .string("") { args.append(m.value.pythonString) }
            }
            return (resolved, [resolved] + args)
        default:
            return (resolved, [resolved])
        }
    }

    /// Runs the child in its own process group with stdout/stderr captured. A timeout kills the group
    /// (ActivityFailed); a signal on `watch` kills it and throws the interruption; `abortFD` readable (SIGUSR2 for
    /// background activities) kills it and fails the activity.
    static func run(path: String, argv: [String], timeout: Double?, watch: SignalWatch?, abortFD: Int32) throws
        -> Outcome
    {
        let out = Spawn.makePipe()
        let err = Spawn.makePipe()
        let pid = try spawnInGroup(path: path, argv: argv, out: out, err: err)
        close(out.write)
        close(err.write)
        defer {
            close(out.read)
            close(err.read)
        }
        let deadline = timeout.flatMap { $0.isNaN ? nil : Clock.monotonic() + $0 }
        let (stdout, stderr) = try capture(
            pid: pid, out: out.read, err: err.read, deadline: deadline, watch: watch, abortFD: abortFD)
        return try waitForExit(pid: pid, deadline: deadline, watch: watch, stdout: stdout, stderr: stderr)
    }

    /// Spawns the child in a new process group with its stdout/stderr on the pipes' write ends; a failure closes
    /// all four ends and is ActivityAborted with Python's FileNotFoundError text.
    private static func spawnInGroup(
        path: String, argv: [String], out: (read: Int32, write: Int32), err: (read: Int32, write: Int32)
    ) throws -> pid_t {
        do {
            return try Spawn.spawn(path: path, argv: argv, dups: [(out.write, 1), (err.write, 2)], newGroup: true)
        } catch {
            close(out.read)
            close(out.write)
            close(err.read)
            close(err.write)
            let message = "FileNotFoundError: [Errno \(error.errno)] \(errnoText(.libc, code: error.errno)): '\(path)'"
            throw ActivityAborted(message: message, traceback: [message + "\n"])
        }
    }

    /// Kills the child's process group (and the child, should it have left it) and reaps the child.
    private static func killGroup(_ pid: pid_t) {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        _ = Spawn.reap(pid)
    }

    /// Reads the child's stdout and stderr until both close, watching the deadline, `watch` and `abortFD`
    /// (each of which kills the group and throws).
    private static func capture(
        pid: pid_t, out: Int32, err: Int32, deadline: Double?, watch: SignalWatch?, abortFD: Int32
    ) throws -> (stdout: [UInt8], stderr: [UInt8]) {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var open = [true, true]
        var readers = [FDReader(fd: out), FDReader(fd: err)]
        while open[0] || open[1] {
            var fds = [
                pollfd(fd: open[0] ? out : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? err : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: watch?.readFD ?? -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: abortFD, events: Int16(POLLIN), revents: 0),
            ]
            var ms: Int32 = -1
            if let deadline {
                let left = deadline - Clock.monotonic()
                if left <= 0 {
                    killGroup(pid)
                    throw ActivityFailed("process activity took too long to complete")
                }
                ms = Clock.pollMillis(left)
            }
            let n = poll(&fds, 4, ms)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[2].revents != 0, let watch, let signal = watch.take() {
                killGroup(pid)
                throw signal
            }
            if fds[3].revents != 0 {
                killGroup(pid)
                throw ExperimentExited()
            }
            for i in 0..<2 where open[i] && fds[i].revents != 0 {
                let more = try? readers[i].readChunk { bytes in
                    if i == 0 { stdout.append(contentsOf: bytes) } else { stderr.append(contentsOf: bytes) }
                }
                if more != true { open[i] = false }
            }
        }
        return (stdout, stderr)
    }

    /// Output closed: the child is exiting (or handed its pipes on); waits for it, still honouring the timeout.
    /// The nap grows from 0.1 ms, so an exiting child is reaped almost at once and a lingering one costs little.
    private static func waitForExit(
        pid: pid_t, deadline: Double?, watch: SignalWatch?, stdout: [UInt8], stderr: [UInt8]
    ) throws -> Outcome {
        var nap = 0.0001
        while true {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return Outcome(status: Spawn.decode(status), stdout: stdout, stderr: stderr) }
            if r < 0, errno != EINTR { return Outcome(status: -1, stdout: stdout, stderr: stderr) }
            if let deadline, Clock.monotonic() >= deadline {
                killGroup(pid)
                throw ActivityFailed("process activity took too long to complete")
            }
            if let watch {
                do {
                    try watch.sleep(nap)
                } catch {
                    killGroup(pid)
                    throw error
                }
            } else {
                usleep(UInt32(nap * 1e6))
            }
            nap = min(nap * 2, 0.01)
        }
    }

    /// Decodes output like chaoslib: UTF-8, else Latin-1 (charset detection stand-in).
    static func decode(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
