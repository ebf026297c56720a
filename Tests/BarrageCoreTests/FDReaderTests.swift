import BarrageCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A pipe whose write end a thread feeds piece by piece: each piece only after the reader asks for it, so every
/// read sees exactly one partial write.
final class PipeFeeder: Sendable {
    let readFD: Int32
    private let writeFD: Int32
    private let next: OSSemaphore
    private let thread: OSThread?

    init(pieces: [[UInt8]], stepwise: Bool = true) {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        let (writeFD, next) = (fds[1], OSSemaphore())
        readFD = fds[0]
        self.writeFD = writeFD
        self.next = next
        thread = OSThread.spawn(name: "barrage-feeder") {
            for piece in pieces {
                if stepwise { next.wait() }
                var off = 0
                while off < piece.count {
                    let n = piece.withUnsafeBytes { write(writeFD, $0.baseAddress.map { $0 + off }, piece.count - off) }
                    if n <= 0 { break }
                    off += n
                }
            }
            close(writeFD)
        }
    }

    /// Lets the feeder write its next piece.
    func allowNext() { next.signal() }

    deinit {
        thread?.join()
        close(readFD)
    }
}

@Suite("FDReader", .timeLimit(.minutes(3)))
struct FDReaderTests {
    static func lines(_ reader: inout FDReader, feeder: PipeFeeder) throws -> [String] {
        var lines: [String] = []
        while true {
            let line = reader.withUnreadBytes { bytes in bytes.firstIndex(of: 0x0A).map { Array(bytes[..<$0]) } }
            if let line {
                reader.consume(line.count + 1)
                lines.append(String(decoding: line, as: UTF8.self))
                continue
            }
            if reader.atEOF {
                if reader.unreadCount > 0 {
                    lines.append(reader.withUnreadBytes { String(decoding: $0, as: UTF8.self) })
                    reader.consume(reader.unreadCount)
                }
                return lines
            }
            feeder.allowNext()
            try reader.fill()
        }
    }

    @Test("buffered: lines split across partial writes come out whole, the last one without a newline")
    func partialWrites() throws {
        let pieces = ["ab", "c\nde", "f\n", "\n", "g"].map { Array($0.utf8) }
        let feeder = PipeFeeder(pieces: pieces)
        var reader = FDReader(fd: feeder.readFD)
        #expect(try Self.lines(&reader, feeder: feeder) == ["abc", "def", "", "g"])
        #expect(reader.atEOF)
        #expect(try reader.fill() == 0)
    }

    @Test("buffered: a line longer than the buffer grows it")
    func longLine() throws {
        let long = String(repeating: "x", count: 37)
        let feeder = PipeFeeder(pieces: [Array((long + "\nshort\n").utf8)], stepwise: false)
        var reader = FDReader(fd: feeder.readFD, capacity: 4)
        #expect(try Self.lines(&reader, feeder: feeder) == [long, "short"])
    }

    @Test("chunked: every write's bytes in order, then false at end of file")
    func chunks() throws {
        let pieces = (0..<20).map { i in [UInt8](repeating: UInt8(i), count: 1000 + i) }
        let feeder = PipeFeeder(pieces: pieces)
        var reader = FDReader(fd: feeder.readFD)
        var got: [UInt8] = []
        var calls = 0
        feeder.allowNext()
        while try reader.readChunk({ got.append(contentsOf: $0) }) {
            calls += 1
            feeder.allowNext()
        }
        #expect(calls == pieces.count)
        #expect(got == pieces.flatMap { $0 })
        #expect(try !reader.readChunk { _ in Issue.record("called at end of file") })
    }

    @Test("to the end: more than the buffer holds, across many reads")
    func toTheEnd() throws {
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let pieces = stride(from: 0, to: bytes.count, by: 7000).map { Array(bytes[$0..<min($0 + 7000, bytes.count)]) }
        let feeder = PipeFeeder(pieces: pieces, stepwise: false)
        var reader = FDReader(fd: feeder.readFD)
        #expect(try reader.readToEnd() == bytes)
    }

    @Test("bytes in memory are the unread bytes, already at end of file")
    func inMemory() throws {
        var reader = FDReader(bytes: Array("a\nb".utf8))
        #expect(reader.atEOF)
        #expect(reader.unreadCount == 3)
        #expect(try reader.fill() == 0)
        #expect(try reader.readToEnd() == Array("a\nb".utf8))
    }

    @Test("files: contents, a missing file's open error, a read error's errno")
    func files() throws {
        let path = "/tmp/barrage-fdreader-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { unlink(path) }
        let text = Array("hello\n".utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        #expect(try FDReader.readFile(path) == text)
        #expect(throws: FDReadError(.open, errno: ENOENT)) { try FDReader.readFile(path + ".missing") }
        var writeOnly = FDReader(fd: fd)
        #expect(throws: FDReadError(.read, errno: EBADF)) { try writeOnly.fill() }
        close(fd)
    }
}
