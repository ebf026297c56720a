public import BarrageCore
import Foundation

/// Writing the journal file (`json.dump(indent=2, ensure_ascii=False)`).
public enum JournalFile {
    /// Writes `journal` to `path` under `OutputDestination`'s rule: a regular file is replaced atomically, a
    /// device, FIFO or socket (`/dev/null`) is written into, a symlink's target is written.
    ///
    /// - Throws: `ChaosError.invalid` naming the path and the failed operation.
    public static func write(_ journal: JSON, to path: String) throws(ChaosError) {
        let text = journal.pythonDumps(indent: 2)
        do throws(OutputError) {
            try OutputDestination.replace(path, with: Array(text.utf8))
        } catch {
            throw .invalid("\(path): cannot write the journal: \(error.operation): \(error.reason)")
        }
    }
}
