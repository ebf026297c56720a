/// A small re-implementation of Go's `text/tabwriter` for the settings vegeta uses everywhere
/// (minwidth 0, tabwidth 8, padding 2, pad with spaces, no flags that change alignment).
///
/// Text is split into cells at `\t`; a cell terminated by a tab belongs to a column, the text after the last tab
/// of a line does not. Consecutive lines that share a column form a block whose width is the widest cell in it
/// plus the padding; widths are counted in Unicode scalars (Go counts runes). Lines without any tab end every
/// block, as in Go.
package struct TabWriter {
    private let minWidth: Int
    private let padding: Int
    private var text: [UInt8] = []

    /// Creates a writer with vegeta's settings unless told otherwise.
    package init(minWidth: Int = 0, padding: Int = 2) {
        self.minWidth = minWidth
        self.padding = padding
    }

    /// Appends text; alignment is computed by `finish()`.
    package mutating func write(_ string: String) {
        text.append(contentsOf: string.utf8)
    }

    /// Appends raw UTF-8 bytes.
    package mutating func write(bytes: [UInt8]) {
        text.append(contentsOf: bytes)
    }

    private struct Cell {
        var start: Int
        var end: Int
        var width: Int
    }

    /// The aligned text (Go's `Flush`): every buffered line, padded.
    package func finish() -> [UInt8] {
        var lines: [[Cell]] = [[]]
        var cellStart = 0
        var width = 0
        for (i, byte) in text.enumerated() {
            if byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") {
                lines[lines.count - 1].append(Cell(start: cellStart, end: i, width: width))
                cellStart = i + 1
                width = 0
                if byte == UInt8(ascii: "\n") { lines.append([]) }
            } else if byte & 0xC0 != 0x80 {
                width += 1
            }
        }
        // The unterminated tail is the last cell of the last (unfinished) line.
        if cellStart < text.count || !lines[lines.count - 1].isEmpty {
            lines[lines.count - 1].append(Cell(start: cellStart, end: text.count, width: width))
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 2)
        var widths: [Int] = []
        format(lines, 0, lines.count, &widths, &out, lastLineEndsWithNewline: text.last == UInt8(ascii: "\n"))
        return out
    }

    private func format(
        _ lines: [[Cell]], _ first: Int, _ end: Int, _ widths: inout [Int], _ out: inout [UInt8],
        lastLineEndsWithNewline: Bool
    ) {
        var line0 = first
        let column = widths.count
        var this = first
        while this < end {
            if column >= lines[this].count - 1 {
                this += 1
                continue
            }
            writeLines(lines, line0, this, widths, &out, lastLineEndsWithNewline)
            line0 = this
            var width = minWidth
            while this < end {
                let line = lines[this]
                if column >= line.count - 1 { break }
                width = max(width, line[column].width + padding)
                this += 1
            }
            widths.append(width)
            format(lines, line0, this, &widths, &out, lastLineEndsWithNewline: lastLineEndsWithNewline)
            widths.removeLast()
            line0 = this
        }
        writeLines(lines, line0, end, widths, &out, lastLineEndsWithNewline)
    }

    private func writeLines(
        _ lines: [[Cell]], _ first: Int, _ end: Int, _ widths: [Int], _ out: inout [UInt8],
        _ lastLineEndsWithNewline: Bool
    ) {
        guard first < end else { return }
        for index in first..<end {
            let line = lines[index]
            for (j, cell) in line.enumerated() {
                out.append(contentsOf: text[cell.start..<cell.end])
                if j < widths.count && j < line.count - 1 {
                    let pad = widths[j] - cell.width
                    if pad > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad)) }
                }
            }
            if index + 1 < lines.count || lastLineEndsWithNewline { out.append(UInt8(ascii: "\n")) }
        }
    }
}
