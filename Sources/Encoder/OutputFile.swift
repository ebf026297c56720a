import BarrageCore
import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// A buffered output file: large `write(2)`s, gzip when the name ends in `.gz`.
///
/// `stdout` and `-` mean standard output. Paths follow `OutputDestination`'s rule: a device, FIFO or socket is
/// written into as it is, a link's target is written, and a regular file is replaced atomically on `close()`
/// (or rewritten in place with `inPlace`). Not thread-safe: one writer owns it.
public final class OutputFile {
    /// The name used in messages.
    public let name: String
    private let fd: Int32
    /// The opened path (nil for standard output and borrowed descriptors); committed by `close()`.
    private var destination: OutputDestination?
    /// Bytes not yet written (or compressed): `storage[0..<count]`.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// On the heap: zlib keeps a pointer back to its stream, so it must never move.
    private var deflater: UnsafeMutablePointer<z_stream>?
    private var compressed: [UInt8] = []
    private var closed = false
    /// Flush to the descriptor once the buffer holds this much.
    let threshold = 1 << 17

    /// Opens `path` for writing.
    ///
    /// - Parameters:
    ///   - path: a file path, or `stdout`/`-` for standard output.
    ///   - inPlace: rewrite a regular file where it is, so readers can follow it while it grows (attack results),
    ///     instead of replacing it atomically when the file is closed.
    /// - Throws: `EncodeError` when the file cannot be opened or created.
    public static func open(_ path: String, inPlace: Bool = false) throws(EncodeError) -> OutputFile {
        if path == "stdout" || path == "-" { return OutputFile(name: "stdout", fd: 1, gzip: false) }
        let destination: OutputDestination
        do throws(OutputError) {
            destination = try OutputDestination.open(path, mode: inPlace ? .inPlace : .replace)
        } catch {
            throw EncodeError(file: path, reason: "\(error.operation): \(error.reason)")
        }
        let file = OutputFile(name: path, fd: destination.fd, gzip: path.hasSuffix(".gz"))
        file.destination = destination
        return file
    }

    /// Wraps an open descriptor (not closed by `close()`).
    public static func descriptor(_ fd: Int32, name: String) -> OutputFile {
        OutputFile(name: name, fd: fd, gzip: false)
    }

    /// Writes all of `text` to `fd` at once, unbuffered, retrying on EINTR (cold paths: usage, log lines).
    public static func writeNow(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress.map { $0 + off }, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                off += n
            }
        }
    }

    private init(name: String, fd: Int32, gzip: Bool) {
        self.name = name
        self.fd = fd
        capacity = 1 << 18
        storage = .allocate(capacity: capacity)
        if gzip {
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            if czlib_deflate_init_gzip(s, Z_DEFAULT_COMPRESSION) == Z_OK {
                deflater = s
                compressed = [UInt8](repeating: 0, count: 1 << 17)
            } else {
                s.deallocate()
            }
        }
    }

    deinit {
        if !closed {
            try? close()
        }
        storage.deallocate()
    }

    /// Appends bytes, writing out when the buffer is full.
    public func write(_ bytes: [UInt8]) throws(EncodeError) {
        let dst = try reserve(bytes.count)
        bytes.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { dst.update(from: b, count: src.count) }
        }
        try commit(bytes.count)
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) throws(EncodeError) {
        var text = text
        let n = text.utf8.count
        let dst = try reserve(n)
        text.withUTF8 { src in
            if let b = src.baseAddress { dst.update(from: b, count: src.count) }
        }
        try commit(n)
    }

    /// Room for at least `n` more bytes at the end of the buffer (writing out or growing first if needed).
    ///
    /// Write at most `n` bytes at the returned pointer, then call `commit` with the count written.
    @inline(__always)
    func reserve(_ n: Int) throws(EncodeError) -> UnsafeMutablePointer<UInt8> {
        if capacity - count < n {
            if count > 0 { try drain(finish: false) }
            if capacity < n {
                storage.deallocate()
                capacity = max(n, capacity * 2)
                storage = .allocate(capacity: capacity)
            }
        }
        return storage + count
    }

    /// Marks `n` reserved bytes as written; writes out once the buffer passes the threshold.
    @inline(__always)
    func commit(_ n: Int) throws(EncodeError) {
        count += n
        if count >= threshold { try drain(finish: false) }
    }

    /// Writes everything buffered to the descriptor (a gzip stream gets a sync flush so readers can follow).
    public func flush() throws(EncodeError) {
        try drain(finish: false, sync: true)
    }

    /// Flushes, ends the gzip stream, and closes the file if we opened it (putting a replaced file in place;
    /// when writing fails, the file that was there stays as it was).
    public func close() throws(EncodeError) {
        guard !closed else { return }
        closed = true
        defer {
            if let d = deflater {
                deflateEnd(d)
                d.deallocate()
                deflater = nil
            }
        }
        let destination = self.destination
        self.destination = nil
        do throws(EncodeError) {
            try drain(finish: true)
        } catch {
            destination?.discard()
            throw error
        }
        do throws(OutputError) {
            try destination?.commit()
        } catch {
            throw EncodeError(file: name, reason: "\(error.operation): \(error.reason)")
        }
    }

    private func drain(finish: Bool, sync: Bool = false) throws(EncodeError) {
        if deflater == nil {
            try writeAll(storage, count: count)
            count = 0
            return
        }
        guard let d = deflater else { return }
        let flush = finish ? Z_FINISH : (sync ? Z_SYNC_FLUSH : Z_NO_FLUSH)
        var code: Int32 = Z_OK
        d.pointee.next_in = storage
        d.pointee.avail_in = UInt32(count)
        do {
            repeat {
                var produced = 0
                compressed.withUnsafeMutableBufferPointer { out in
                    d.pointee.next_out = out.baseAddress
                    d.pointee.avail_out = UInt32(out.count)
                    code = deflate(d, flush)
                    produced = out.count - Int(d.pointee.avail_out)
                }
                if produced > 0 {
                    try compressed.withUnsafeBufferPointer { (c) throws(EncodeError) in
                        if let b = c.baseAddress { try writeAll(b, count: produced) }
                    }
                }
                if code == Z_STREAM_ERROR { throw EncodeError(file: name, reason: "gzip: deflate failed") }
            } while d.pointee.avail_out == 0 || (finish && code != Z_STREAM_END)
        }
        count = 0
    }

    private func writeAll(_ bytes: UnsafePointer<UInt8>, count: Int) throws(EncodeError) {
        var off = 0
        while off < count {
            let n = Glibc.write(fd, bytes + off, count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw EncodeError(file: name, reason: "write: \(errnoText(.libc))")
            }
            off += n
        }
    }
}
