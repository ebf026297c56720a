/// A bounds-checked reader over bytes already in memory (one gob message, one JSON line, one CSV record).
///
/// Every read checks the end, so damaged input yields `nil`/an error instead of reading past the buffer.
struct ByteCursor {
    let base: UnsafePointer<UInt8>
    var position: Int
    let end: Int

    init(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        self.base = base
        self.position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }

    @inline(__always)
    func peek() -> UInt8? { position < end ? base[position] : nil }

    @inline(__always)
    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return base[position]
    }

    /// A string of `count` bytes (invalid UTF-8 is repaired with U+FFFD, as Swift strings require).
    mutating func string(_ count: Int) -> String? {
        guard count >= 0, count <= end - position else { return nil }
        defer { position += count }
        return String(decoding: UnsafeBufferPointer(start: base + position, count: count), as: UTF8.self)
    }

    /// `count` raw bytes.
    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= end - position else { return nil }
        defer { position += count }
        return Array(UnsafeBufferPointer(start: base + position, count: count))
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= end - position else { return false }
        position += count
        return true
    }
}
