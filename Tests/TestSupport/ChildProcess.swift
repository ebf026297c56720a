import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A child process with piped stdin/stdout/stderr (tests only: real processes, no mocks).
final class ChildProcess {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
    private var reaped: Int32?

    init?(_ argv: [String], environment: [String]? = nil) {
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return nil }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cargs = argv.map { strdup($0) } + [nil]
        let env = (environment ?? ChildProcess.currentEnvironment()).map { strdup($0) } + [nil]
        var child: pid_t = 0
        let rc = posix_spawnp(&child, argv[0], &actions, &attr, cargs, env)
        for p in cargs { free(p) }
        for p in env { free(p) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attr)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            return nil
        }
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
    }

    static func currentEnvironment() -> [String] {
        var out: [String] = []
        var p = environ
        while let entry = p.pointee {
            out.append(String(cString: entry))
            p += 1
        }
        return out
    }

    func writeStdin(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            off += n
        }
    }

    func closeStdin() { close(stdinFD) }

    /// Reads one line from stdout (for a server's port).
    func readLine() -> String {
        var line: [UInt8] = []
        var c: UInt8 = 0
        while read(stdoutFD, &c, 1) == 1 {
            if c == 0x0a { break }
            line.append(c)
        }
        return String(decoding: line, as: UTF8.self)
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Reads stdout and stderr to the end (both, with poll, so neither pipe fills), then waits for exit.
    func finish() -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        var out: [UInt8] = []
        var err: [UInt8] = []
        var open = [true, true]
        var buf = [UInt8](repeating: 0, count: 65536)
        while open[0] || open[1] {
            var fds = [
                pollfd(fd: open[0] ? stdoutFD : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? stderrFD : -1, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
            for i in 0..<2 where open[i] && fds[i].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, 65536) }
                if n <= 0 {
                    open[i] = false
                } else if i == 0 {
                    out.append(contentsOf: buf[0..<n])
                } else {
                    err.append(contentsOf: buf[0..<n])
                }
            }
        }
        return (wait(), out, err)
    }

    @discardableResult
    func wait() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        reaped = code
        return code
    }

    deinit {
        if reaped == nil {
            kill(pid, SIGKILL)
            wait()
        }
        close(stdoutFD)
        close(stderrFD)
    }
}

/// The Python fixture server on a free loopback port.
final class TestServer {
    let process: ChildProcess
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init?(unixSocket: String? = nil, extra: [String] = []) {
        let script = Paths.directory(of: #filePath) + "/../Fixtures/server.py"
        var argv = ["python3", script] + extra
        if let unixSocket { argv += ["--unix", unixSocket] }
        guard let p = ChildProcess(argv) else { return nil }
        process = p
        guard let port = Int(p.readLine()) else { return nil }
        self.port = port
    }

    /// GET `path` with a raw HTTP/1.0 request; returns the body.
    func get(_ path: String) -> String { TestServer.rawGet(port: port, path: path) }

    /// Repeats a raw GET until `until` accepts the body (a readiness wait, bounded to about 10 s).
    static func rawGet(port: Int, path: String, until: (String) -> Bool) -> String {
        var last = ""
        for _ in 0..<500 {
            last = rawGet(port: port, path: path)
            if until(last) { return last }
            usleep(20_000)
        }
        return last
    }

    /// One raw HTTP/1.0 GET; the body, or "" when nothing answers.
    static func rawGet(port: Int, path: String) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { return "" }
        let req = Array("GET \(path) HTTP/1.0\r\nHost: x\r\n\r\n".utf8)
        _ = req.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var all: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            all.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: all, as: UTF8.self)
        guard let range = text.firstRange(of: "\r\n\r\n") else { return "" }
        return String(text[range.upperBound...])
    }

    /// Hits the server counted (every path but /count).
    var hits: Int { Int(get("/count")) ?? -1 }
}

/// A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI.
struct TestCertificates {
    let dir: String
    var ca: String { dir + "/ca.pem" }
    var serverCert: String { dir + "/srv.pem" }
    var serverKey: String { dir + "/srv.key" }
    var clientCert: String { dir + "/cli.pem" }
    var clientKey: String { dir + "/cli.key" }
    /// Client certificate and key in one file (vegeta's -cert without -key).
    var clientCombined: String { dir + "/cli-both.pem" }

    init?() {
        dir = makeTempDirectory()
        let script = """
            set -e
            cd '\(dir)'
            KEY="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
            openssl req -x509 $KEY -keyout ca.key -out ca.pem -days 1 -subj /CN=barrage-test-ca 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
            openssl req $KEY -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 2>/dev/null
            openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 1 -extfile san.ext 2>/dev/null
            openssl req $KEY -keyout cli.key -out cli.csr -subj /CN=client 2>/dev/null
            openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cli.pem -days 1 2>/dev/null
            cat cli.pem cli.key > cli-both.pem
            """
        guard let p = ChildProcess(["sh", "-c", script]) else { return nil }
        p.closeStdin()
        guard p.finish().status == 0 else { return nil }
    }
}

/// A free-standing temp directory for a test.
func makeTempDirectory() -> String {
    var template = Array("/tmp/barrage-attack-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buf in
        guard let base = buf.baseAddress, let p = mkdtemp(base) else { return "/tmp" }
        return String(cString: p)
    }
}

func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { close(fd) }
    var t = text
    t.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}
