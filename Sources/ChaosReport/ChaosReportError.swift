import BarrageCore

/// Why a journal cannot be drawn.
public enum ChaosReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document parsed but is not a Chaos Toolkit journal (what is missing or wrong is the text).
    case notAJournal(String)

    /// What is wrong, without the file name (the command puts the file in front).
    public var description: String {
        switch self {
        case .notAJournal(let what): "not a Chaos Toolkit journal: \(what)"
        }
    }
}
