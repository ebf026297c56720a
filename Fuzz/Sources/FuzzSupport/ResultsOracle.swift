import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// Reads one fuzz input as a results file with every field selection the commands use, and traps when they
/// disagree: one validity rule for a record means the same valid prefix and the same error whatever is kept.
public enum ResultsOracle {
    /// encode (all), report (metrics), plot.
    static let selections: [ResultFields] = [.all, .metrics, [.attack, .seq, .code, .timestamp, .latency, .error]]

    /// The scratch file the input is written to (the readers open paths).
    nonisolated(unsafe) private static var path = ""
    nonisolated(unsafe) private static var fd: Int32 = -1

    /// Writes `bytes` to the scratch file and reads it back with each selection; traps on a disagreement.
    public static func check(_ bytes: [UInt8]) {
        if fd < 0 {
            path = "/tmp/barrage-fuzz-\(getpid())"
            fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { fatalError("cannot create \(path)") }
        }
        guard ftruncate(fd, 0) == 0, bytes.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) == bytes.count
        else { fatalError("cannot write \(path)") }
        var first: (count: Int, errors: [String])?
        for fields in selections {
            var verdict: (count: Int, errors: [String])
            do {
                var reader = try ResultReader(paths: [path], fields: fields)
                var count = 0
                while reader.next() != nil { count += 1 }
                verdict = (count, reader.failures.map(\.description))
            } catch {
                verdict = (0, [error.description])
            }
            if let first {
                if first.count != verdict.count || first.errors != verdict.errors {
                    fatalError("readers disagree: \(first) with all fields, \(verdict) with \(fields.rawValue)")
                }
            } else {
                first = verdict
            }
        }
    }
}
