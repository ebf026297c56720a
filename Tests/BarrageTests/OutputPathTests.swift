import BarrageCore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every output file barrage writes, through the built binary, onto each kind of path: a device stays a device, a
/// FIFO is written into, a symlink stays a link, a regular file keeps its mode, an unwritable directory is an error.
@Suite("output paths are written into, never replaced unless regular", .timeLimit(.minutes(3)))
struct OutputPathTests {
    /// The flags that name an output file.
    enum Output: String, CaseIterable, CustomTestStringConvertible {
        case attack, encode, report, plot, journal, logFile, chaosReport
        var testDescription: String { rawValue }

        /// What the written bytes must contain.
        var marker: [UInt8] {
            switch self {
            case .attack: return Array("GET".utf8)  // gob records carry the method
            case .encode: return Array(#""attack":"sample""#.utf8)
            case .report: return Array("Requests".utf8)
            case .plot, .chaosReport: return Array("<html".utf8)
            case .journal: return Array(#""status": "completed""#.utf8)
            case .logFile: return Array("Running experiment: t".utf8)
            }
        }

        /// A new file's mode before the umask.
        var permissions: mode_t { self == .logFile ? 0o644 : 0o666 }

        /// The arguments that write to `path`, run in `dir` (which holds the inputs `prepare` made).
        func arguments(_ path: String, in dir: String) -> [String] {
            let small = Paths.directory(of: #filePath) + "/../EncoderTests/Fixtures/small.json"
            switch self {
            case .attack:
                return ["attack", "-targets=" + dir + "/targets.txt", "-rate=100", "-duration=50ms", "-output=" + path]
            case .encode: return ["encode", "-to=json", "-output=" + path, small]
            case .report: return ["report", "-output", path, small]
            case .plot: return ["plot", "--output=" + path, small]
            case .journal: return ["chaos", "--no-log-file", "run", "--journal-path", path, dir + "/e.json"]
            case .logFile:
                return ["chaos", "--log-file", path, "run", "--journal-path", dir + "/journal.json", dir + "/e.json"]
            case .chaosReport:
                return ["chaos", "report", dir + "/journal.json", dir + "/small.json", "-o", path]
            }
        }

        /// Inputs in `dir`: targets, an experiment, a journal to report on.
        func prepare(_ dir: String) throws {
            // Port 9 on loopback: refused at once, so results arrive without a server.
            try Run.write(Array("GET http://127.0.0.1:9/\n".utf8), to: dir + "/targets.txt")
            let experiment =
                #"{"title":"t","description":"d","method":[{"type":"action","name":"a","#
                + #""provider":{"type":"process","path":"true"}}]}"#
            try Run.write(Array(experiment.utf8), to: dir + "/e.json")
            if self == .chaosReport {
                let small = Paths.directory(of: #filePath) + "/../EncoderTests/Fixtures/small.json"
                try Run.write(try Run.read(small), to: dir + "/small.json")
                let run = try Run.barrage(
                    ["chaos", "--no-log-file", "run", "--journal-path", dir + "/journal.json", dir + "/e.json"])
                #expect(run.status == 0, "\(run.stderr)")
            }
        }
    }

    /// The kinds of path an output may name.
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case regular, missing, devNull, fifo, symlink, unwritableDirectory
        var testDescription: String { rawValue }
    }

    @Test("each output flag on each kind of path", arguments: Output.allCases, Kind.allCases)
    func output(_ output: Output, _ kind: Kind) throws {
        let dir = try Run.temporaryDirectory()
        try output.prepare(dir)
        let path: String
        switch kind {
        case .regular:
            path = dir + "/out"
            try Run.write(Array("old".utf8), to: path)
            chmod(path, 0o600)
        case .missing:
            path = dir + "/out"
        case .devNull:
            path = "/dev/null"
        case .fifo:
            path = dir + "/out"
            #expect(mkfifo(path, 0o644) == 0)
        case .symlink:
            path = dir + "/link"
            try Run.write(Array("old".utf8), to: dir + "/real")
            #expect(symlink("real", path) == 0)
        case .unwritableDirectory:
            // Open to all, so an unprivileged run can read the inputs; the output's own directory is read-only.
            chmod(dir, 0o777)
            #expect(mkdir(dir + "/locked", 0o555) == 0)
            chmod(dir + "/locked", 0o555)
            path = dir + "/locked/out"
        }
        let run = try OutputRun(
            output.arguments(path, in: dir), fifo: kind == .fifo ? path : nil,
            unprivileged: kind == .unwritableDirectory)

        switch kind {
        case .regular:
            #expect(run.status == 0, "\(run.stderr)")
            #expect(fileType(path, follow: false) == S_IFREG)
            #expect(mode(path) == 0o600)
            #expect(try Run.read(path).contains(output.marker))
        case .missing:
            #expect(run.status == 0, "\(run.stderr)")
            #expect(mode(path) == output.permissions & ~currentUmask())
            #expect(try Run.read(path).contains(output.marker))
        case .devNull:
            #expect(run.status == 0, "\(run.stderr)")
            #expect(fileType("/dev/null", follow: false) == S_IFCHR)
        case .fifo:
            #expect(run.status == 0, "\(run.stderr)")
            #expect(fileType(path, follow: false) == S_IFIFO)
            #expect(run.fifoBytes.contains(output.marker))
        case .symlink:
            #expect(run.status == 0, "\(run.stderr)")
            #expect(fileType(path, follow: false) == S_IFLNK)
            #expect(try Run.read(dir + "/real").contains(output.marker))
        case .unwritableDirectory:
            #expect(run.status == 1)
            let lines = run.stderr.split(separator: "\n").filter { $0.contains("Permission denied") }
            #expect(lines.count == 1, "\(run.stderr)")
            #expect(lines.first?.contains(path + ": ") == true)
            #expect(fileType(path, follow: false) == nil)
        }
        // No temporary file is left beside the output.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("a file in a directory that refuses new files is rewritten in place")
    func inPlaceFallback() throws {
        let dir = try Run.temporaryDirectory()
        chmod(dir, 0o777)
        let locked = dir + "/locked"
        #expect(mkdir(locked, 0o755) == 0)
        try Run.write(Array("old".utf8), to: locked + "/out.json")
        chmod(locked + "/out.json", 0o666)
        chmod(locked, 0o555)
        let small = Paths.directory(of: #filePath) + "/../EncoderTests/Fixtures/small.json"
        try Run.write(try Run.read(small), to: dir + "/small.json")
        chmod(dir + "/small.json", 0o644)
        let run = try OutputRun(["encode", "-output=" + locked + "/out.json", dir + "/small.json"], unprivileged: true)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Run.read(locked + "/out.json").contains(Output.encode.marker))
    }
}

/// The built binary run once: unprivileged (as `nobody`, when the tests run as root) if asked, and with a reader
/// on `fifo` that collects what arrives there.
struct OutputRun {
    let status: Int32
    let stderr: String
    let fifoBytes: [UInt8]

    init(_ arguments: [String], fifo: String? = nil, unprivileged: Bool = false) throws {
        var argv = [Paths.barrage] + arguments
        if unprivileged && geteuid() == 0 {
            argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + argv
        }
        let directory = NSTemporaryDirectory()
        guard let fifo else {
            let run = try Run.process(argv[0], Array(argv.dropFirst()), currentDirectory: directory)
            (status, stderr, fifoBytes) = (run.status, run.stderr, [])
            return
        }
        // Our own reader end, then a spare writer end so reads block (not end of file) until the child has opened
        // the FIFO; the spare closes once the child's stderr ends (it has exited), and the reads end at its last byte.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        var spare = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        _ = fcntl(reader, F_SETFL, 0)
        defer { close(reader) }
        let started = ChildProcess(
            argv, currentDirectory: directory, stdin: .file("/dev/null"), stdout: .file("/dev/null"))
        if started == nil { close(spare) }
        let child = try #require(started, "could not start \(argv[0])")
        var collected: [UInt8] = []
        var errors: [UInt8] = []
        var reading = (fifo: reader >= 0, stderr: true)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while reading.fifo || reading.stderr {
            var fds = [
                pollfd(fd: reading.fifo ? reader : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: reading.stderr ? child.stderrFD : -1, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
            for (i, fd) in fds.enumerated() where fd.fd >= 0 && fd.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fd.fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n > 0 {
                    if i == 0 { collected += buffer[0..<n] } else { errors += buffer[0..<n] }
                } else if i == 0 {
                    reading.fifo = false
                } else {
                    reading.stderr = false
                    close(spare)
                    spare = -1
                }
            }
        }
        if spare >= 0 { close(spare) }
        status = child.wait()
        stderr = String(decoding: errors, as: UTF8.self)
        fifoBytes = collected
    }
}

/// The type bits of `path` (`S_IFREG`, `S_IFLNK`, ...), or nil when it does not exist.
func fileType(_ path: String, follow: Bool) -> mode_t? {
    var st = stat()
    let rc = follow ? stat(path, &st) : lstat(path, &st)
    return rc == 0 ? st.st_mode & S_IFMT : nil
}

/// The permission bits of `path`.
func mode(_ path: String) -> mode_t {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
}

/// This process's umask, read without changing it.
func currentUmask() -> mode_t {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("Umask:") {
        return mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0o022
    }
    return 0o022
}

/// Gob on a terminal is refused with a hint (as gzip refuses compressed data there); a pipe gets it as always.
@Suite("gob is not written to a terminal", .timeLimit(.minutes(3)))
struct TerminalOutputTests {
    /// Runs `command` (a shell line) with its standard output on a pseudo-terminal (`script`), and returns what
    /// the terminal showed and the command's exit status, which the line prints last.
    static func onTerminal(_ command: String) throws -> (shown: String, status: String) {
        let out = try Run.process("/usr/bin/script", ["-qec", command + "; echo \"rc=$?\"", "/dev/null"])
        let shown = String(decoding: out.stdout, as: UTF8.self)
        let status = shown.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return (shown, status)
    }

    @Test("attack and encode -to=gob refuse a terminal, name the way out, and send nothing")
    func refused() throws {
        let server = try #require(TestServer())
        let attack = try TerminalOutputTests.onTerminal(
            "echo 'GET \(server.base)/' | '\(Paths.barrage)' attack -rate=10 -duration=200ms")
        #expect(attack.status == "rc=1")
        #expect(
            attack.shown.contains("attack: gob results are not written to a terminal: pipe them (| barrage report)"))
        #expect(server.hits == 0)
        let file = try Run.temporaryFile("r.json")
        try Run.write(Array(#"{"code":200,"timestamp":"2026-01-01T00:00:00Z","latency":1}"#.utf8) + [0x0a], to: file)
        let encode = try TerminalOutputTests.onTerminal("'\(Paths.barrage)' encode -to=gob '\(file)'")
        #expect(encode.status == "rc=1" && encode.shown.contains("encode: gob results are not written to a terminal"))
        // JSON to a terminal is fine; gob into a pipe too.
        let json = try TerminalOutputTests.onTerminal("'\(Paths.barrage)' encode -to=json '\(file)'")
        #expect(json.status == "rc=0" && json.shown.contains("\"code\":200"))
        let piped = try TerminalOutputTests.onTerminal(
            "echo 'GET \(server.base)/' | '\(Paths.barrage)' attack -rate=10 -duration=200ms | wc -c")
        #expect(piped.status == "rc=0" && server.hits == 2)
    }
}
