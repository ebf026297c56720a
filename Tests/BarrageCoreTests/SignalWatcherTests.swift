import BarrageCore
import CLinux
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Signals aimed at one thread (`pthread_kill`, `tgkill`), never at the process: the test runner's main thread
/// does not block them, and a process-wide SIGUSR1 landing there would end the run. Each test leaves its thread's
/// mask as it found it.
@Suite("SignalWatcher", .serialized, .timeLimit(.minutes(3)))
struct SignalWatcherTests {
    /// Runs `body` and restores the calling thread's signal mask afterwards.
    static func keepingMask(_ body: () throws -> Void) rethrows {
        var mask = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &mask)
        defer { pthread_sigmask(SIG_SETMASK, &mask, nil) }
        try body()
    }

    @Test("a signal sent to the watching thread is read from the signalfd, once")
    func next() throws {
        try Self.keepingMask {
            let watcher = try #require(SignalWatcher(signals: [SIGUSR1]))
            #expect(watcher.next() == nil)
            pthread_kill(pthread_self(), SIGUSR1)
            #expect(watcher.next() == SIGUSR1)
            #expect(watcher.next() == nil)
        }
    }

    @Test("wait returns a pending signal, or nil when its time runs out")
    func wait() throws {
        try Self.keepingMask {
            let watcher = try #require(SignalWatcher(signals: [SIGUSR1, SIGUSR2]))
            #expect(watcher.wait(timeoutNanoseconds: 1_000_000) == nil)
            pthread_kill(pthread_self(), SIGUSR2)
            #expect(watcher.wait(timeoutNanoseconds: nil) == SIGUSR2)
        }
    }

    @Test("an ignored signal (as a shell's & leaves SIGINT) is watched all the same")
    func ignoredBefore() throws {
        try Self.keepingMask {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_IGN
            sigemptyset(&action.sa_mask)
            var previous = sigaction()
            sigaction(SIGUSR1, &action, &previous)
            defer { sigaction(SIGUSR1, &previous, nil) }
            let watcher = try #require(SignalWatcher(signals: [SIGUSR1]))
            pthread_kill(pthread_self(), SIGUSR1)
            #expect(watcher.next() == SIGUSR1)
        }
    }

    /// The kernel's id of the thread named `name` in this process.
    static func threadID(named name: String) -> pid_t? {
        guard let dir = opendir("/proc/self/task") else { return nil }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            let fd = open("/proc/self/task/\(tid)/comm", O_RDONLY)
            guard fd >= 0 else { continue }
            var bytes = [UInt8](repeating: 0, count: 32)
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            close(fd)
            if String(decoding: bytes.prefix(max(0, n)).prefix { $0 != 0x0A }, as: UTF8.self) == name {
                return pid_t(tid)
            }
        }
        return nil
    }

    @Test("the handling thread calls the handler with each signal until stopped")
    func handling() throws {
        try Self.keepingMask {
            let watcher = try #require(SignalWatcher(signals: [SIGUSR1, SIGUSR2]))
            let seen = Mutex<[Int32]>([])
            let arrived = OSSemaphore()
            #expect(
                watcher.startHandling { signal in
                    seen.withLock { $0.append(signal) }
                    arrived.signal()
                })
            #expect(!watcher.startHandling { _ in })
            let tid = try #require(Self.threadID(named: "barrage-signals"))
            #expect(clinux_tgkill(getpid(), tid, SIGUSR1) == 0)
            arrived.wait()
            #expect(clinux_tgkill(getpid(), tid, SIGUSR2) == 0)
            arrived.wait()
            watcher.stop()
            #expect(seen.withLock { $0 } == [SIGUSR1, SIGUSR2])
            #expect(Self.threadID(named: "barrage-signals") == nil)
        }
    }

    @Test("threads started with OSThread block the process signals")
    func osThreadMask() throws {
        let blocked = Mutex<[Int32]>([])
        let thread = try #require(
            OSThread.spawn(name: "barrage-test") {
                var mask = sigset_t()
                pthread_sigmask(SIG_SETMASK, nil, &mask)
                let list = OSThread.blockedSignals.filter { sigismember(&mask, $0) == 1 }
                blocked.withLock { $0 = list }
            })
        thread.join()
        #expect(blocked.withLock { $0 } == OSThread.blockedSignals)
    }
}
