#if canImport(Glibc)
    import Glibc
#endif

/// A failed `open(2)` or `read(2)`, with its errno (callers word it: Go's text for vegeta commands, Python's for
/// the chaos runner).
package struct FDReadError: Error, Sendable, Equatable {
    /// The call that failed.
    package enum Call: Sendable { case open, read }
    /// The call that failed.
    package let call: Call
    /// Its errno.
    package let errno: Int32

    /// A failure of `call` with `errno`.
    package init(_ call: Call, errno: Int32) {
        self.call = call
        self.errno = errno
    }
}

/// Buffered reading from a file descriptor: one reused buffer (64 KiB unless told), `EINTR` retried.
///
/// Three ways to use it:
/// - buffered: `fill()` appends one `read(2)` after the bytes not yet consumed; look at them with
///   `withUnreadBytes` and `consume(_:)` what was parsed (line readers). The buffer grows only when the unread
///   bytes fill it (a line longer than the buffer); consumed bytes are slid out, never reallocated.
/// - chunked: `readChunk(_:)` hands each `read(2)`'s bytes to a closure (pipes polled for readiness).
/// - to the end: `readToEnd()` returns everything until end of file (small files: bodies, certificates).
///
/// It does not own the descriptor: whoever opened it closes it. A value type confined to one thread at a time.
package struct FDReader: Sendable {
    /// The default buffer size.
    package static let defaultCapacity = 1 << 16

    /// The descriptor read from.
    package let fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// `read(2)` returned 0: no more bytes will come.
    package private(set) var atEOF = false

    /// A reader of `fd` with a buffer of `capacity` bytes (at least 64 KiB is usual; smaller only in tests).
    package init(fd: Int32, capacity: Int = FDReader.defaultCapacity) {
        self.fd = fd
        buffer = [UInt8](repeating: 0, count: max(1, capacity))
    }

    /// A reader over bytes already in memory (tests, small inputs): they are the unread bytes, and it is at end of
    /// file.
    package init(bytes: [UInt8]) {
        fd = -1
        buffer = bytes
        end = bytes.count
        atEOF = true
    }

    /// Bytes read and not yet consumed.
    package var unreadCount: Int { end - start }

    /// Calls `body` with the bytes read and not yet consumed.
    package func withUnreadBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try buffer.withUnsafeBufferPointer { (p) throws(E) -> R in
            try body(UnsafeBufferPointer(rebasing: p[start..<end]))
        }
    }

    /// Marks the first `count` unread bytes as consumed.
    package mutating func consume(_ count: Int) {
        start += min(max(0, count), end - start)
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Reads once more (one `read(2)`), after the unread bytes.
    ///
    /// - Returns: the number of bytes added; 0 at end of file (then `atEOF` is set, and later calls read no more).
    /// - Throws: `FDReadError` with the errno of a failed read (not `EINTR`, which is retried).
    @discardableResult
    package mutating func fill() throws(FDReadError) -> Int {
        if atEOF { return 0 }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    if let b = p.baseAddress { memmove(b, b + start, end - start) }
                }
                end -= start
                start = 0
            } else {
                buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, Self.defaultCapacity)))
            }
        }
        let outcome = buffer.withUnsafeMutableBytes { raw in
            Swift.Result { () throws(FDReadError) -> Int in
                try Self.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
        }
        let n = try outcome.get()
        if n == 0 { atEOF = true }
        end += n
        return n
    }

    /// Hands the next bytes to `body`: those already buffered and unread, else one `read(2)`'s. They are consumed
    /// after it.
    ///
    /// - Returns: false at end of file (`body` is not called).
    /// - Throws: `FDReadError` with the errno of a failed read (not `EINTR`, which is retried).
    package mutating func readChunk(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(FDReadError) -> Bool {
        if unreadCount == 0 {
            guard try fill() > 0 else { return false }
        }
        withUnreadBytes(body)
        consume(unreadCount)
        return true
    }

    /// Reads until end of file.
    ///
    /// - Returns: the unread bytes and everything after them.
    /// - Throws: `FDReadError` with the errno of a failed read; the bytes before it are lost.
    package mutating func readToEnd() throws(FDReadError) -> [UInt8] {
        var out: [UInt8] = []
        while try readChunk({ out.append(contentsOf: $0) }) {}
        return out
    }

    /// One `read(2)` of up to `destination.count` bytes, retrying `EINTR`.
    ///
    /// - Returns: the number of bytes read; 0 at end of file (or for an empty destination).
    /// - Throws: `FDReadError` with the errno of a failed read.
    package static func read(_ fd: Int32, into destination: UnsafeMutableRawBufferPointer) throws(FDReadError) -> Int {
        guard let base = destination.baseAddress, destination.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, destination.count)
            if n >= 0 { return n }
            if errno != EINTR { throw FDReadError(.read, errno: errno) }
        }
    }

    /// Reads a whole file (small cold inputs: request bodies, certificates).
    ///
    /// - Throws: `FDReadError` naming the call (open or read) that failed and its errno.
    package static func readFile(_ path: String) throws(FDReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FDReadError(.open, errno: errno) }
        defer { _ = close(fd) }
        var reader = FDReader(fd: fd)
        return try reader.readToEnd()
    }
}
