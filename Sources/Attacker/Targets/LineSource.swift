import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads lines from a file descriptor or a byte array with one line of look-ahead, counting line numbers.
///
/// Lines end at `\n`; a trailing `\r` stays (it is trimmed with the other whitespace, as Go's TrimSpace does).
struct LineSource: Sendable {
    private var fd: Int32
    private let ownsFD: Bool
    private var reader: FDReader
    private var peeked: [UInt8]?
    /// The 1-based number of the last line returned by `next()`.
    private(set) var lineNumber = 0
    /// The name used in error messages.
    let name: String
    /// errno of a failed read, if any.
    private(set) var readError: Int32 = 0

    /// Opens `path`; `stdin` means file descriptor 0.
    init(path: String) throws(TargetError) {
        name = path
        if path == "stdin" || path == "-" || path.isEmpty {
            fd = 0
            ownsFD = false
        } else {
            let f = open(path, O_RDONLY | O_CLOEXEC)
            guard f >= 0 else {
                throw TargetError("open \(path): \(errnoText(.go))", source: path, line: 0)
            }
            fd = f
            ownsFD = true
        }
        reader = FDReader(fd: fd)
    }

    /// Reads from memory (tests, small inputs).
    init(bytes: [UInt8], name: String = "targets") {
        self.name = name
        reader = FDReader(bytes: bytes)
        fd = -1
        ownsFD = false
    }

    /// Closes the descriptor if this source opened it.
    mutating func close() {
        if ownsFD && fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    /// The longest target line read (4 MiB: a json target with a body of about 3 MB inline fits). A longer line
    /// is an error naming the file, the line and its byte offset; it is never buffered whole.
    static let maxLineBytes = 4 << 20

    /// `maxLineBytes` as messages and usage text write it.
    static let maxLineText = "4 MiB"

    /// The next line without its `\n`, or nil at the end of input.
    ///
    /// - Throws: `TargetError` for a line longer than `maxLineBytes`.
    mutating func next() throws(TargetError) -> [UInt8]? {
        if let p = peeked {
            peeked = nil
            lineNumber += 1
            return p
        }
        guard let line = try readLine(number: lineNumber + 1) else { return nil }
        lineNumber += 1
        return line
    }

    /// The line `next()` would return, without consuming it.
    ///
    /// - Throws: `TargetError` for a line longer than `maxLineBytes`.
    mutating func peek() throws(TargetError) -> [UInt8]? {
        if let p = peeked { return p }
        peeked = try readLine(number: lineNumber + 1)
        return peeked
    }

    /// Stream offset of the first unread byte.
    private var offset = 0
    /// Unread bytes already searched for a line end (each byte is searched once, however long the line).
    private var scanned = 0

    private mutating func readLine(number: Int) throws(TargetError) -> [UInt8]? {
        while true {
            let from = scanned
            let end: Int? = reader.withUnreadBytes { bytes in
                guard from < bytes.count, let base = bytes.baseAddress,
                    let hit = memchr(base + from, 0x0a, bytes.count - from)
                else { return nil }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            }
            if let end {
                guard end <= Self.maxLineBytes else { throw tooLong(number) }
                return take(end, skipping: 1)
            }
            scanned = reader.unreadCount
            guard scanned <= Self.maxLineBytes else { throw tooLong(number) }
            if reader.atEOF || readError != 0 {
                guard reader.unreadCount > 0 else { return nil }
                return take(reader.unreadCount, skipping: 0)
            }
            do throws(FDReadError) {
                try reader.fill()
            } catch {
                readError = error.errno
            }
        }
    }

    /// The first `count` unread bytes, consuming them and `skipping` more (the line end).
    private mutating func take(_ count: Int, skipping: Int) -> [UInt8] {
        let line = reader.withUnreadBytes { Array($0[..<count]) }
        reader.consume(count + skipping)
        offset += count + skipping
        scanned = 0
        return line
    }

    private func tooLong(_ number: Int) -> TargetError {
        TargetError(
            "target line too long: over \(Self.maxLineText) from byte \(offset)", source: name, line: number)
    }
}

/// Reads a whole file (targets bodies, `-body`, certificates: small cold inputs).
func readWholeFile(_ path: String) -> (bytes: [UInt8], errno: Int32) {
    do throws(FDReadError) {
        return (try FDReader.readFile(path), 0)
    } catch {
        return ([], error.errno)
    }
}
