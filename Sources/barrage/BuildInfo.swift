/// Version facts printed by `-version`. `make` rewrites nothing here: the commit and date come from the
/// environment of the build only when set (BARRAGE_COMMIT / BARRAGE_DATE are not read at run time).
enum BuildInfo {
    static let version = "0.1.0"
    static let commit = "unknown"
    static let date = "unknown"
}
