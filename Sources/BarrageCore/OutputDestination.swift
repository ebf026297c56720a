#if canImport(Glibc)
    import Glibc
#endif

/// Where an output file's bytes go: the one rule for every file barrage writes (results, reports, plots,
/// journals, logs).
///
/// * A path that exists and is not a regular file (a character or block device such as `/dev/null`, a FIFO, a
///   socket) is written into as it is: opened `O_WRONLY`, never truncated, never renamed over.
/// * A symbolic link is followed: its target is written under the same rule, and the link stays a link.
/// * A regular file (or a missing path) in `.replace` mode gets an atomic replace: a temporary file in the same
///   directory, renamed over the path by `commit()`, keeping the existing file's permission bits (and owner, when
///   running as root). When that directory is not writable but the file is, the file is rewritten in place.
/// * `.inPlace` truncates and rewrites a regular file where it is (outputs that readers follow while they grow);
///   `.append` appends (logs).
///
/// New files get `permissions` minus the umask. Not thread-safe: one owner opens, writes through `fd`, then
/// calls exactly one of `commit()` or `discard()`.
package struct OutputDestination: Sendable {
    /// How a regular file is written.
    package enum Mode: Sendable {
        /// Temporary file renamed over the path on commit: readers never see a half-written file.
        case replace
        /// Truncated and written where it is, so readers can follow it as it grows.
        case inPlace
        /// Appended to.
        case append
    }

    /// The descriptor to write to.
    package let fd: Int32
    /// The path as the caller gave it (for messages).
    package let path: String
    /// With `.replace` on a regular or missing file: the temporary file and the path it replaces on commit.
    private let pending: (temporary: String, final: String)?

    private init(fd: Int32, path: String, pending: (temporary: String, final: String)? = nil) {
        self.fd = fd
        self.path = path
        self.pending = pending
    }

    /// Opens `path` for writing under the rule above.
    ///
    /// - Parameters:
    ///   - path: the output path as the user gave it.
    ///   - mode: how a regular file is written.
    ///   - permissions: the mode bits of a new file, before the umask.
    /// - Throws: `OutputError` naming the path, the failed operation and errno's text.
    package static func open(
        _ path: String, mode: Mode, permissions: UInt32 = 0o666
    ) throws(OutputError) -> OutputDestination {
        if path.isEmpty { throw OutputError(path: path, operation: "open", code: ENOENT) }
        var st = stat()
        if stat(path, &st) == 0 {
            if st.st_mode & S_IFMT != S_IFREG {
                // A device, FIFO or socket (or a directory, which open refuses): write into it as it is.
                let flags = O_WRONLY | O_CLOEXEC | (mode == .append ? O_APPEND : 0)
                return OutputDestination(fd: try openFile(path, flags, 0), path: path)
            }
            switch mode {
            case .append:
                return OutputDestination(fd: try openFile(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0), path: path)
            case .inPlace:
                return OutputDestination(fd: try openFile(path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0), path: path)
            case .replace:
                return try replacing(path, existing: st)
            }
        }
        let missing = errno
        guard missing == ENOENT else { throw OutputError(path: path, operation: "open", code: missing) }
        var link = stat()
        if lstat(path, &link) == 0 {
            // A dangling symbolic link: create its target through it (the link stays).
            let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == .append ? O_APPEND : O_TRUNC)
            return OutputDestination(fd: try openFile(path, flags, permissions), path: path)
        }
        switch mode {
        case .append:
            let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
            return OutputDestination(fd: try openFile(path, flags, permissions), path: path)
        case .inPlace:
            let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
            return OutputDestination(fd: try openFile(path, flags, permissions), path: path)
        case .replace:
            let (fd, temporary) = try temporaryFile(beside: path, permissions: permissions)
            return OutputDestination(fd: fd, path: path, pending: (temporary, path))
        }
    }

    /// Writes all of `bytes`, retrying on EINTR and short writes.
    ///
    /// - Throws: `OutputError` (`write`) with errno's text.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: path, operation: "write", code: errno)
            }
            offset += n
        }
    }

    /// Writes all of `bytes` (see `write(_:)` for raw buffers).
    ///
    /// - Throws: `OutputError` (`write`) with errno's text.
    package func write(_ bytes: [UInt8]) throws(OutputError) {
        let failure: OutputError? = bytes.withUnsafeBytes { raw in
            do throws(OutputError) {
                try write(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Closes the descriptor and, for an atomic replace, renames the temporary file over the path.
    ///
    /// - Throws: `OutputError` (`close` or `rename`); the temporary file is removed on failure.
    package func commit() throws(OutputError) {
        if Glibc.close(fd) != 0 && errno != EINTR {
            let code = errno
            if let pending { unlink(pending.temporary) }
            throw OutputError(path: path, operation: "close", code: code)
        }
        guard let pending else { return }
        if rename(pending.temporary, pending.final) != 0 {
            let code = errno
            unlink(pending.temporary)
            throw OutputError(path: path, operation: "rename", code: code)
        }
    }

    /// Writes a whole file at once under the rule (`.replace`: a regular file is replaced atomically, nothing of a
    /// failed write is left).
    ///
    /// - Throws: `OutputError` of the open, write, close or rename that failed.
    package static func replace(_ path: String, with bytes: [UInt8]) throws(OutputError) {
        let destination = try open(path, mode: .replace)
        do throws(OutputError) {
            try destination.write(bytes)
        } catch {
            destination.discard()
            throw error
        }
        try destination.commit()
    }

    /// Closes the descriptor without replacing anything (the temporary file of an atomic replace is removed).
    package func discard() {
        Glibc.close(fd)
        if let pending { unlink(pending.temporary) }
    }

    // MARK: opening

    private static func openFile(_ path: String, _ flags: Int32, _ permissions: mode_t) throws(OutputError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags, permissions)
            if fd >= 0 { return fd }
            if errno != EINTR { throw OutputError(path: path, operation: "open", code: errno) }
        }
    }

    /// An atomic replace of the existing regular file at `path` (or of a link's target).
    private static func replacing(_ path: String, existing st: stat) throws(OutputError) -> OutputDestination {
        // The file itself must be writable: a read-only file is refused as an in-place open would refuse it.
        if access(path, W_OK) != 0 { throw OutputError(path: path, operation: "open", code: errno) }
        let final = resolved(path)
        let fd: Int32
        let temporary: String
        do throws(OutputError) {
            (fd, temporary) = try temporaryFile(beside: final, permissions: st.st_mode & 0o777)
        } catch {
            // The directory refuses new files but the file takes writes: rewrite it in place.
            guard [EACCES, EPERM, EROFS].contains(error.code) else {
                throw OutputError(path: path, operation: error.operation, code: error.code)
            }
            return OutputDestination(fd: try openFile(path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0), path: path)
        }
        // O_CREAT applied the umask; the replacement keeps the old file's bits and, for root, its owner.
        fchmod(fd, st.st_mode & 0o777)
        if geteuid() == 0 { _ = fchown(fd, st.st_uid, st.st_gid) }
        return OutputDestination(fd: fd, path: path, pending: (temporary, final))
    }

    /// A new file `.<name>.<pid>-<n>.tmp` in `path`'s directory, created exclusively.
    private static func temporaryFile(
        beside path: String, permissions: mode_t
    ) throws(OutputError) -> (fd: Int32, path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
        var attempt = 0
        while true {
            let candidate = "\(directory).\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            let fd = Glibc.open(candidate, flags, permissions)
            if fd >= 0 { return (fd, candidate) }
            let code = errno
            attempt += 1
            if (code == EEXIST || code == EINTR) && attempt < 100 { continue }
            throw OutputError(path: path, operation: "open", code: code)
        }
    }

    /// `path` with every symbolic link resolved (the file an atomic replace must rename over).
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }
}

/// An output path that could not be opened, written or committed: `path: operation: errno text`.
package struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as the user gave it.
    package let path: String
    /// `open`, `write`, `close` or `rename`.
    package let operation: String
    /// The errno value.
    package let code: Int32

    /// Creates an error.
    package init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// errno's text (`strerror`), e.g. `Permission denied`.
    package var reason: String { String(cString: strerror(code)) }

    package var description: String { "\(path): \(operation): \(reason)" }
}
