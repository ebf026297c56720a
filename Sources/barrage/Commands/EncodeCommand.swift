import Encoder

/// `barrage encode`: converts result streams between gob, JSON and CSV.
enum EncodeCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "encode", header: "Usage: barrage encode [flags] [<file>...]")
        _ = flags.string("to", "json", "Output encoding [csv, gob, json]")
        _ = flags.string("output", "stdout", "Output file")
        do {
            _ = try flags.parse(arguments)
        } catch {
            return ExitStatus.flagFailure(error, flags)
        }
        return ExitStatus.fatal("encode: not built yet")
    }
}
