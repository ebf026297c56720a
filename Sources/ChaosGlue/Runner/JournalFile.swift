public import BarrageCore
import Foundation

/// Writing the journal file (`json.dump(indent=2, ensure_ascii=False)`).
public enum JournalFile {
    /// Writes `journal` to `path` as chaostoolkit does.
    ///
    /// - Throws: `ChaosError.invalid` when the file cannot be written.
    public static func write(_ journal: JSON, to path: String) throws(ChaosError) {
        let text = journal.pythonDumps(indent: 2)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw .invalid("\(path): cannot write the journal")
        }
    }
}
