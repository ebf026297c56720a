#if canImport(Glibc)
    import BarrageCore
    import Glibc
#endif

/// posix_spawn with explicit descriptor plumbing; the child inherits cwd, environment and unmapped stdio.
enum Spawn {
    struct Failure: Error { var errno: Int32 }

    /// Starts `path` with `argv`. `dups` maps our fds to the child's (`dup2(src, dst)`); `newGroup` puts the child
    /// in its own process group so a timeout can kill everything it started.
    static func spawn(
        path: String, argv: [String], dups: [(Int32, Int32)], newGroup: Bool, environment: [String: String] = [:]
    ) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (src, dst) in dups {
            posix_spawn_file_actions_adddup2(&actions, src, dst)
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attr, 0)
        }
        posix_spawnattr_setflags(&attr, Int16(flags))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)

        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc: Int32
        if environment.isEmpty {
            rc = posix_spawn(&pid, path, &actions, &attr, cArgs, environ)
        } else {
            var entries: [String] = []
            var p = environ
            while let entry = p.pointee {
                let text = String(cString: entry)
                let key = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
                if environment[key] == nil { entries.append(text) }
                p += 1
            }
            for (k, v) in environment { entries.append("\(k)=\(v)") }
            var cEnv: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) }
            cEnv.append(nil)
            defer { for e in cEnv { free(e) } }
            rc = posix_spawn(&pid, path, &actions, &attr, cArgs, cEnv)
        }
        guard rc == 0 else { throw Failure(errno: rc) }
        return pid
    }

    /// `waitpid` that survives EINTR; returns the Python-style return code (negative signal number if killed).
    static func reap(_ pid: pid_t) -> Int {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    static func decode(_ status: Int32) -> Int {
        let sig = status & 0x7f
        if sig == 0 { return Int((status >> 8) & 0xff) }
        return -Int(sig)
    }

    /// `shutil.which`: a name with a slash is checked as a path; otherwise PATH is searched.
    static func which(_ name: String) -> String? {
        var name = name
        if name.hasPrefix("~"), let home = getenv("HOME") {
            name = String(cString: home) + name.dropFirst()
        }
        if name.contains("/") {
            return access(name, X_OK) == 0 && !isDirectory(name) ? name : nil
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            if access(candidate, X_OK) == 0, !isDirectory(candidate) { return candidate }
        }
        return nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// This executable, for `path: vegeta` / `path: barrage` (the built-in attacker).
    static func selfExecutable() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return CommandLine.arguments.first ?? "barrage" }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func makePipe() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // Keep pipe ends above the descriptors children are given (0-4), so dup2 never maps an fd onto itself
        // (which would leave close-on-exec set).
        func high(_ fd: Int32) -> Int32 {
            guard fd >= 0, fd < 10 else { return fd }
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            close(fd)
            return moved
        }
        return (high(fds[0]), high(fds[1]))
    }
}
