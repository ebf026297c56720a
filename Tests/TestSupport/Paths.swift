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

    /// The package's root directory.
    public static var packageRoot: String { directory(of: directory(of: directory(of: #filePath))) }

    /// A Python interpreter with the real chaostoolkit 1.19, chaostoolkit-lib 1.44 and jsonpath2 installed
    /// (`scripts/ensure-chaostoolkit`, run by `make deps-test`, puts them in `.build/chaostoolkit`), or the one
    /// `BARRAGE_CHAOSTOOLKIT_PYTHON` names; nil when there is none.
    public static var chaostoolkitPython: String? {
        let candidates = [
            getenv("BARRAGE_CHAOSTOOLKIT_PYTHON").map { String(cString: $0) },
            packageRoot + "/.build/chaostoolkit/bin/python",
        ]
        return candidates.compactMap { $0 }.first { access($0, X_OK) == 0 }
    }

    /// The directory of the source file that calls this (pass `#filePath`).
    public static func directory(of file: String) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/")
    }
}
