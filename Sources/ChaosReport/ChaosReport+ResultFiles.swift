import Encoder

extension ChaosReport {
    /// Draws every result of one file (gob, JSON or CSV; gzip undone) and lists the file on the page.
    ///
    /// With a non-empty `bodyErrors.key` the bodies are read too, and a successful response whose body carries an
    /// error counts as one. A file that cannot be opened is noted on the page; damage part-way is noted too, and
    /// the records before it are drawn.
    /// - Parameters:
    ///   - file: the file, as the command names it.
    ///   - bodyErrors: the body member that carries an error.
    /// - Returns: the problems met, first first, for the caller to print (each already noted on the page).
    public mutating func addResults(from file: String, bodyErrors: BodyErrors) -> [String] {
        var failures: [DecodeError] = []
        do {
            if bodyErrors.key.isEmpty {
                var reader = try ResultReader(paths: [file], fields: Self.fields)
                while let result = reader.nextStats() { add(result, file: file) }
                failures = reader.failures
            } else {
                var reader = try ResultReader(paths: [file], fields: Self.fields.union(.body))
                while let result = reader.next() {
                    add(ResultStats(result), file: file, bodyError: bodyErrors.error(in: result.body))
                }
                failures = reader.failures
            }
            resultFiles.append(file)
            for failure in failures {
                fileNotes.append(failure.description + " (the records before it are drawn)")
            }
            return failures.map(\.description)
        } catch {
            fileNotes.append(error.description)
            return [error.description]
        }
    }
}
