import Foundation

/// Writing the journal file (`json.dump(indent=2, ensure_ascii=False)`).
public enum Journal {
    public static func write(_ journal: JSON, to path: String) throws(ChaosError) {
        let text = JSONWriter.pretty(journal)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw .invalid("\(path): cannot write the journal")
        }
    }

    /// Pretty JSON text, for tests and tools.
    public static func text(_ value: JSON) -> String { JSONWriter.pretty(value) }
}
