import BarrageCore
import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// A buffered, rewindable byte stream over one input file, inflating gzip transparently.
///
/// Decoders look at `bytes[position..<limit]`, ask for more with `fill(atLeast:)`, and `consume` what they parsed.
/// While `retainStart` is set (format sniffing), nothing from that offset on is dropped, so `rewind()` can replay
/// the bytes for the next candidate decoder. Not thread-safe: one reader owns it.
///
/// It keeps its own buffer rather than `FDReader`'s: plain input is read straight into `bytes`, which is also
/// where gzip input is inflated to, and which the gob pipeline and the decoders parse in place (with retention
/// for rewinds and a stream offset for messages); going through the shared reader would copy every byte once
/// more. The reads themselves are `FDReader`'s (`FDReader.read` for plain input; a chunked reader for the
/// compressed bytes).
final class InputSource {
    /// The name used in messages (`stdin` for standard input).
    let name: String
    private let fd: Int32
    private let ownsFD: Bool
    /// Decoded bytes; valid in `position..<limit`.
    private(set) var bytes: [UInt8]
    /// Next unread index into `bytes`.
    private(set) var position = 0
    /// End of valid data in `bytes`.
    private(set) var limit = 0
    /// Stream offset of `bytes[0]` (decompressed stream for gzip input).
    private(set) var base: Int64 = 0
    /// No more bytes will come.
    private(set) var atEOF = false
    /// True when the input turned out to be gzip.
    private(set) var isGzip = false
    /// True for a regular file: reading never waits for a writer (a pipe, a terminal or a socket may).
    private(set) lazy var isRegularFile: Bool = {
        var st = stat()
        return fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }()
    private var retainStart: Int?
    /// Called before every `read(2)` of raw input.
    var beforeRead: (() -> Void)?
    private let inflater = Inflater()
    private var rawEOF = false
    /// The compressed bytes of gzip input, read in 128 KiB chunks.
    private lazy var compressed = FDReader(fd: fd, capacity: 1 << 17)

    /// How far ahead of the bytes already buffered the buffer is grown for one read.
    static let growthStep = 1 << 20

    /// Opens `path` for reading; `stdin` and `-` mean standard input.
    static func open(_ path: String) throws(DecodeError) -> InputSource {
        if path == "stdin" || path == "-" { return InputSource(name: "stdin", fd: 0, ownsFD: false) }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw DecodeError(file: path, location: "", reason: "open: \(errnoText(.libc))") }
        return InputSource(name: path, fd: fd, ownsFD: true)
    }

    private init(name: String, fd: Int32, ownsFD: Bool) {
        self.name = name
        self.fd = fd
        self.ownsFD = ownsFD
        // Uninitialised: the buffer is only ever read below `limit`, which reads fill first.
        self.bytes = [UInt8](unsafeUninitializedCapacity: 1 << 18) { _, count in count = 1 << 18 }
    }

    deinit {
        if ownsFD { Glibc.close(fd) }
    }

    /// Stream offset of the next unread byte.
    var offset: Int64 { base + Int64(position) }

    /// Bytes available without reading.
    var available: Int { limit - position }

    /// Makes at least `count` bytes available from `position`, reading as needed.
    ///
    /// - Returns: false when the input ends first (the bytes that exist stay available).
    /// - Throws: `DecodeError` on a read error or corrupt gzip data.
    @discardableResult
    func fill(atLeast count: Int) throws(DecodeError) -> Bool {
        while limit - position < count {
            if atEOF { return false }
            // Room for what may come next, not for all of `count`: a length a file claims is not trusted, so
            // the buffer grows with the bytes that actually arrive.
            makeRoom(for: min(count, limit - position + InputSource.growthStep))
            try readMore()
        }
        return true
    }

    /// Marks `n` bytes as parsed.
    func consume(_ n: Int) {
        position += n
    }

    /// Starts keeping every byte from the current position so it can be replayed by `rewind()`.
    func beginRetaining() {
        retainStart = position
    }

    /// Goes back to where `beginRetaining()` was called.
    func rewind() {
        if let start = retainStart { position = start }
    }

    /// Stops retaining: bytes before the current position may be dropped again.
    func endRetaining() {
        retainStart = nil
    }

    private func makeRoom(for count: Int) {
        let keepFrom = min(position, retainStart ?? position)
        if keepFrom > 0 && (bytes.count - limit < 65536 || limit - keepFrom + count > bytes.count - keepFrom) {
            // Slide the live bytes to the front.
            let live = limit - keepFrom
            bytes.withUnsafeMutableBufferPointer { p in
                if let b = p.baseAddress, live > 0 { memmove(b, b + keepFrom, live) }
            }
            base += Int64(keepFrom)
            position -= keepFrom
            limit -= keepFrom
            if let r = retainStart { retainStart = r - keepFrom }
        }
        let need = position + count
        if need > bytes.count || bytes.count - limit < 65536 {
            var newSize = bytes.count
            while newSize < need || newSize - limit < 65536 { newSize *= 2 }
            if newSize != bytes.count { grow(to: newSize) }
        }
    }

    /// Moves the buffer to a larger one, copying only the bytes below `limit` (the rest is never read before a
    /// read or inflate writes it, so it stays uninitialised, as in `init`).
    private func grow(to newSize: Int) {
        let live = limit
        bytes = bytes.withUnsafeBufferPointer { old in
            [UInt8](unsafeUninitializedCapacity: newSize) { new, count in
                if let from = old.baseAddress, let to = new.baseAddress, live > 0 { memcpy(to, from, live) }
                count = newSize
            }
        }
    }

    private func readMore() throws(DecodeError) {
        if limit == 0 && base == 0 && !isGzip {
            // First read: look for the gzip magic.
            let n = try rawRead(into: 0)
            if n == 0 {
                atEOF = true
                return
            }
            limit = n
            if n >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
                isGzip = true
                inflater.pending = Array(bytes[0..<n])
                limit = 0
                try inflateMore()
            }
            return
        }
        if isGzip {
            try inflateMore()
        } else {
            let n = try rawRead(into: limit)
            if n == 0 { atEOF = true }
            limit += n
        }
    }

    private func rawRead(into index: Int) throws(DecodeError) -> Int {
        beforeRead?()
        let outcome = bytes.withUnsafeMutableBytes { raw in
            Swift.Result { () throws(FDReadError) -> Int in
                try FDReader.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[index...]))
            }
        }
        switch outcome {
        case .success(let n): return n
        case .failure(let failure):
            throw DecodeError(
                file: name, location: "byte \(base + Int64(index))",
                reason: "read: \(errnoText(.libc, code: failure.errno))")
        }
    }

    private func inflateMore() throws(DecodeError) {
        let inf = inflater
        while true {
            if inf.pending.isEmpty && !rawEOF {  // all fed: read the next compressed chunk
                beforeRead?()
                do throws(FDReadError) {
                    // `pending` was emptied keeping its capacity: the copy allocates nothing.
                    if !(try compressed.readChunk { inf.pending.append(contentsOf: $0) }) { rawEOF = true }
                    inf.pendingStart = 0
                } catch {
                    throw DecodeError(file: name, location: "", reason: "read: \(errnoText(.libc, code: error.errno))")
                }
            }
            let before = limit
            let result = inf.inflate(into: &bytes, from: &limit, finishing: rawEOF)
            switch result {
            case .ok:
                if limit > before { return }
                if rawEOF && inf.pending.isEmpty {
                    atEOF = true
                    if inf.midStream {
                        throw DecodeError(
                            file: name, location: "byte \(base + Int64(limit))",
                            reason: "gzip stream truncated (unexpected EOF)")
                    }
                    return
                }
            case .failed(let message):
                atEOF = true
                throw DecodeError(file: name, location: "byte \(base + Int64(limit))", reason: "gzip: \(message)")
            }
        }
    }
}

/// A zlib inflate stream for gzip input (several concatenated members are read as one stream).
///
/// The compressed side of a `.gz` input: bytes read but not yet inflated, over the one `InflateStream`.
private final class Inflater {
    enum Outcome {
        case ok
        case failed(String)
    }

    /// Made on first use, so plain inputs never start zlib.
    private var stream: InflateStream?
    /// Compressed bytes; those from `pendingStart` on are not yet fed to zlib.
    var pending: [UInt8] = []
    var pendingStart = 0
    /// Inside a member (its end not seen yet).
    var midStream = false

    /// Inflates from `pending` into `out[limit...]`, advancing `limit`.
    func inflate(into out: inout [UInt8], from limit: inout Int, finishing: Bool) -> Outcome {
        if stream == nil {
            let made = InflateStream()
            guard made.isReady else { return .failed("cannot initialise zlib") }
            stream = made
        }
        guard let stream else { return .failed("cannot initialise zlib") }
        if pendingStart == pending.count { return .ok }
        let room = out.count - limit
        if room == 0 { return .ok }
        var step: (consumed: Int, produced: Int, code: Int32) = (0, 0, Z_OK)
        pending.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                guard let source = input.baseAddress, let target = output.baseAddress else { return }
                step = stream.inflate(
                    source + pendingStart, input.count - pendingStart, into: target + limit, room: room)
            }
        }
        let (consumed, produced, code) = step
        limit += produced
        pendingStart += consumed
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        midStream = true
        switch code {
        case Z_OK, Z_BUF_ERROR:
            if consumed == 0 && produced == 0 && !pending.isEmpty { return .failed("corrupt data") }
            return .ok
        case Z_STREAM_END:
            midStream = false
            // Another gzip member may follow (`cat a.gz b.gz`).
            stream.reset()
            return .ok
        default:
            return .failed(stream.message ?? "corrupt data (code \(code))")
        }
    }
}
