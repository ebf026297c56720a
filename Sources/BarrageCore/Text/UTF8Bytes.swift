/// The length of the valid UTF-8 sequence starting at `p` (whose first byte is >= 0x80), or 0 when it is invalid
/// (Go's `utf8.DecodeRune` width-1 error case: overlong forms, surrogates, truncation, values past U+10FFFF).
///
/// - Parameters:
///   - p: the first byte.
///   - available: how many bytes may be read from `p` (at least 1).
/// - Returns: 2, 3 or 4, or 0.
@inlinable
public func utf8Width(_ p: UnsafePointer<UInt8>, _ available: Int) -> Int {
    let c = p[0]
    func cont(_ k: Int) -> Bool { k < available && p[k] & 0xC0 == 0x80 }
    switch c {
    case 0xC2...0xDF:
        return cont(1) ? 2 : 0
    case 0xE0:
        return available > 2 && p[1] >= 0xA0 && p[1] <= 0xBF && cont(2) ? 3 : 0
    case 0xED:
        return available > 2 && p[1] >= 0x80 && p[1] <= 0x9F && cont(2) ? 3 : 0
    case 0xE1...0xEF:
        return cont(1) && cont(2) ? 3 : 0
    case 0xF0:
        return available > 3 && p[1] >= 0x90 && p[1] <= 0xBF && cont(2) && cont(3) ? 4 : 0
    case 0xF1...0xF3:
        return cont(1) && cont(2) && cont(3) ? 4 : 0
    case 0xF4:
        return available > 3 && p[1] >= 0x80 && p[1] <= 0x8F && cont(2) && cont(3) ? 4 : 0
    default:
        return 0
    }
}

/// Calls `body` with the UTF-8 bytes of `s` without copying the string (native strings are contiguous; a bridged
/// or lazy one is copied once).
///
/// - Parameters:
///   - s: the string.
///   - body: reads the bytes; the pointer is valid only during the call.
/// - Returns: what `body` returns.
@inlinable
public func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return copy.withUTF8(body)
}
