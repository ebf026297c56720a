import FuzzSupport
import GoFlags

/// Go's flag rules: the input split at NUL bytes is a command line for a set with every kind of flag; it parses
/// or fails with one usage message, never traps.
@_cdecl("FuzzGoFlags_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        let arguments = FuzzDriver.bytes(data, size).split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let flags = GoFlagSet(name: "fuzz", header: "Usage: fuzz [flags]")
        _ = flags.bool("lazy", false, "a bool")
        _ = flags.string("to", "json", "a string")
        _ = flags.int("cpus", 2, "an int")
        _ = flags.uint("max-workers", UInt64.max, "a uint")
        _ = flags.duration("duration", 0, "a duration")
        _ = flags.list("header", "a list")
        do throws(FlagError) {
            _ = try flags.parse(arguments)
        } catch {
            _ = error.description
        }
        _ = flags.usageText
        return 0
    }
}
