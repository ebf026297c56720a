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
    private var buffer: [UInt8]
    private var start = 0
    private var atEOF = false
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
        buffer = []
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
    }

    /// Reads from memory (tests, small inputs).
    init(bytes: [UInt8], name: String = "targets") {
        self.name = name
        buffer = bytes
        fd = -1
        ownsFD = false
        atEOF = true
    }

    /// Closes the descriptor if this source opened it.
    mutating func close() {
        if ownsFD && fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    /// The next line without its `\n`, or nil at the end of input.
    mutating func next() -> [UInt8]? {
        if let p = peeked {
            peeked = nil
            lineNumber += 1
            return p
        }
        guard let line = readLine() else { return nil }
        lineNumber += 1
        return line
    }

    /// The line `next()` would return, without consuming it.
    mutating func peek() -> [UInt8]? {
        if let p = peeked { return p }
        peeked = readLine()
        return peeked
    }

    private mutating func readLine() -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                return line
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 65536))
            let n = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress.map { $0 + old }, 65536)
            }
            if n < 0 && errno == EINTR {
                buffer.removeLast(65536)
                continue
            }
            if n <= 0 {
                if n < 0 { readError = errno }
                buffer.removeLast(65536)
                atEOF = true
            } else {
                buffer.removeLast(65536 - n)
            }
        }
    }
}

/// Reads a whole file (targets bodies, `-body`, certificates: small cold inputs).
func readWholeFile(_ path: String) -> (bytes: [UInt8], errno: Int32) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return ([], errno) }
    defer { _ = close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        if n < 0 {
            if errno == EINTR { continue }
            return (out, errno)
        }
        if n == 0 { return (out, 0) }
        out.append(contentsOf: chunk[0..<n])
    }
}
