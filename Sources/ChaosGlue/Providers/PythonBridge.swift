import BarrageCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One `python3` child running `BridgeScript`; thread-confined while checked out of the pool.
final class PythonBridge: @unchecked Sendable {  // used by one thread at a time (checked out of the pool)
    let pid: pid_t
    private let requests: Int32
    private let answers: Int32
    /// The answers pipe's bytes; complete lines are consumed as they are parsed.
    private var reader: FDReader

    private init(pid: pid_t, requests: Int32, answers: Int32) {
        self.pid = pid
        self.requests = requests
        self.answers = answers
        reader = FDReader(fd: answers)
    }

    /// The first complete line read and not yet consumed, without its newline.
    private func bufferedLine() -> [UInt8]? {
        reader.withUnreadBytes { bytes in bytes.firstIndex(of: 0x0A).map { Array(bytes[..<$0]) } }
    }

    static var interpreter: String {
        if let p = getenv("BARRAGE_PYTHON") { return String(cString: p) }
        return "python3"
    }

    static func start(environment: [String: String] = [:]) throws(ChaosError) -> PythonBridge {
        guard let python = Spawn.which(interpreter) else {
            throw .invalid("python activities need '\(interpreter)' on PATH, and it cannot be found")
        }
        let req = Spawn.makePipe()
        let ans = Spawn.makePipe()
        let pid: pid_t
        do {
            pid = try Spawn.spawn(
                path: python, argv: [python, "-u", "-c", BridgeScript.source], dups: [(req.read, 3), (ans.write, 4)],
                newGroup: false, environment: environment)
        } catch {
            throw .invalid("could not start \(python): \(errnoText(.libc, code: error.errno))")
        }
        close(req.read)
        close(ans.write)
        return PythonBridge(pid: pid, requests: req.write, answers: ans.read)
    }

    /// Sends one request; log lines go to `onLog` as they arrive; returns the answer. A signal on `watch` kills the
    /// bridge (it is mid-call) and throws the interruption.
    func request(_ message: JSON, watch: SignalWatch?, abortFD: Int32, onLog: (JSON) -> Void) throws -> JSON {
        let line = Array((message.pythonDumps() + "\n").utf8)
        var off = 0
        while off < line.count {
            let n = line.withUnsafeBytes { Glibc.write(requests, $0.baseAddress.map { $0 + off }, line.count - off) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                throw ChaosError.crash("the python3 bridge stopped unexpectedly")
            }
            off += n
        }
        while true {
            while let text = bufferedLine() {
                reader.consume(text.count + 1)
                guard let answer = try? JSONParser.parse(text) else { continue }
                if answer["log"] != nil {
                    onLog(answer)
                    continue
                }
                return answer
            }
            var fds = [
                pollfd(fd: answers, events: Int16(POLLIN), revents: 0),
                pollfd(fd: watch?.readFD ?? -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: abortFD, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, 3, -1)
            if n < 0 {
                if errno == EINTR { continue }
                throw ChaosError.crash("the python3 bridge stopped unexpectedly")
            }
            if fds[1].revents != 0, let watch, let signal = watch.take() {
                terminate()
                throw signal
            }
            if fds[2].revents != 0 {
                terminate()
                throw ExperimentExited()
            }
            if fds[0].revents != 0 {
                guard let n = try? reader.fill(), n > 0 else {
                    terminate()
                    throw ChaosError.crash("the python3 bridge exited unexpectedly")
                }
            }
        }
    }

    /// Prints log records that arrived between requests (from the module's own threads), without waiting.
    func drainLogs(onLog: (JSON) -> Void) {
        guard !isDead else { return }
        while true {
            var p = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 0) > 0, p.revents & Int16(POLLIN) != 0 else { break }
            guard let n = try? reader.fill(), n > 0 else { break }
        }
        while let text = bufferedLine() {
            guard let line = try? JSONParser.parse(text), line["log"] != nil else { break }
            reader.consume(text.count + 1)
            onLog(line)
        }
    }

    private(set) var isDead = false

    func terminate() {
        guard !isDead else { return }
        isDead = true
        close(requests)
        close(answers)
        kill(pid, SIGKILL)
        _ = Spawn.reap(pid)
    }

    /// Closing its input lets the bridge finish its loop and exit.
    func shutdown() {
        guard !isDead else { return }
        isDead = true
        close(requests)
        close(answers)
        _ = Spawn.reap(pid)
    }
}

/// Bridges to reuse: one interpreter start for a whole run, more only while background activities overlap.
public final class BridgePool: Sendable {
    // Bridges are handed out to one thread at a time; the pool itself is guarded by the mutex.
    private let idle = Mutex<[PythonBridge]>([])
    private let started = Atomic<Int>(0)

    private let environment: [String: String]

    /// - Parameter environment: variables added to the interpreters' environment (e.g. PYTHONPATH).
    public init(environment: [String: String] = [:]) { self.environment = environment }

    /// How many interpreters this pool has started.
    public var startedCount: Int { started.load(ordering: .relaxed) }

    func acquire() throws(ChaosError) -> PythonBridge {
        if let bridge = idle.withLock({ $0.popLast() }) { return bridge }
        let bridge = try PythonBridge.start(environment: environment)
        started.add(1, ordering: .relaxed)
        return bridge
    }

    func release(_ bridge: PythonBridge) {
        guard !bridge.isDead else { return }
        idle.withLock { $0.append(bridge) }
    }

    func shutdown() {
        let all = idle.withLock { list -> [PythonBridge] in
            defer { list = [] }
            return list
        }
        for b in all { b.shutdown() }
    }
}
