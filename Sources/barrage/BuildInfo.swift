/// Version facts printed by `-version`. `make` rewrites nothing here: the commit and date come from the
/// environment of the build only when set (BARRAGE_COMMIT / BARRAGE_DATE are not read at run time).
enum BuildInfo {
    static let version = "0.1.0"
    static let commit = "unknown"
    static let date = "unknown"
    /// The vegeta release whose flags and file formats barrage follows.
    static let vegetaVersion = "v12.13.0"
    /// Go prints `runtime.Version() GOOS/GOARCH`; this is the Swift equivalent.
    static var runtime: String {
        #if arch(x86_64)
            let arch = "amd64"
        #elseif arch(arm64)
            let arch = "arm64"
        #else
            let arch = "unknown"
        #endif
        #if compiler(>=6.3)
            let swift = "swift6.3"
        #else
            let swift = "swift6"
        #endif
        return swift + " linux/" + arch
    }
}
