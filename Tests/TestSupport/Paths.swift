#if canImport(Glibc)
    import Glibc
#endif

/// Where tests find the built binary and fixture files, without Foundation's Bundle.
public enum Paths {
    /// The directory holding the test executable, which is also where SwiftPM puts the `barrage` binary.
    public static var buildDirectory: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return ".build/debug" }
        let exe = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The test bundle is .build/<triple>/debug/barragePackageTests.xctest (a file on Linux).
        var parts = exe.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/")
    }

    /// The built `barrage` executable.
    public static var barrage: String { buildDirectory + "/barrage" }

    /// The fixtures every test target shares (`Tests/TestSupport/Fixtures`): the loopback server, python modules.
    public static var fixtures: String { directory(of: #filePath) + "/Fixtures" }

    /// The directory of the source file that calls this (pass `#filePath`).
    public static func directory(of file: String) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/")
    }
}
