#if canImport(Glibc)
    import Glibc
#endif

/// A free-standing temp directory for a test.
public func makeTempDirectory() -> String {
    var template = Array("/tmp/barrage-attack-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buf in
        guard let base = buf.baseAddress, let p = mkdtemp(base) else { return "/tmp" }
        return String(cString: p)
    }
}

/// Writes `text` to the file at `path`, replacing it.
public func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    defer { close(fd) }
    var t = text
    t.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}
