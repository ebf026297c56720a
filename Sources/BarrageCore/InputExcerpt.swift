/// How much of a bad input an error message quotes: the first 64 bytes, then `...`.
///
/// Messages name the file, line and byte offset; the excerpt only helps a reader recognise the line, so a
/// 64 MiB line never becomes a 64 MiB message.
package enum InputExcerpt {
    /// The most bytes of input a message quotes.
    package static let limit = 64

    /// `bytes` as text, cut after `limit` bytes (at a UTF-8 character boundary) with `...` appended when longer.
    ///
    /// - Parameter bytes: the input being quoted (invalid UTF-8 is shown as U+FFFD).
    /// - Returns: at most `limit` bytes of it, plus `...` when it was cut.
    package static func text<C: Collection<UInt8>>(_ bytes: C) -> String {
        let head = Array(bytes.prefix(limit + 1))
        guard head.count > limit else { return String(decoding: head, as: UTF8.self) }
        // Back off over continuation bytes so the last character stays whole.
        var cut = limit
        while cut > limit - 3, head[cut] & 0xc0 == 0x80 { cut -= 1 }
        return String(decoding: head[..<cut], as: UTF8.self) + "..."
    }

    /// `text` cut like `text(_:)` for bytes.
    package static func text(_ string: String) -> String {
        string.utf8.count > limit ? text(string.utf8) : string
    }
}
