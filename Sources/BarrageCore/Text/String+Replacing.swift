extension String {
    /// `self` with every occurrence of `target` replaced by `replacement` (plain text, no Foundation).
    ///
    /// - Parameters:
    ///   - target: the text to find; an empty target leaves `self` as it is.
    ///   - replacement: what each occurrence becomes.
    /// - Returns: the new text.
    package func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
