import BarrageCore

#if canImport(Glibc)
    import Glibc
#endif

/// Which field a cached string belongs to.
enum StringSlot: Int {
    case attack, error, method, url
}

/// Remembers the last string decoded for each field and returns it again when the next record's bytes are equal.
///
/// Results in one file repeat their attack, method, URL and error texts; reusing the `String` costs a compare and
/// a retain instead of an allocation, which is most of a decoder's time on long files.
struct StringCache {
    private var last: [String] = ["", "", "", ""]

    @inline(__always)
    mutating func string(_ slot: StringSlot, _ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        if n == 0 { return "" }
        let i = slot.rawValue
        if last[i].utf8.count == n && withUTF8(last[i], { bytesEqual($0, p) }) {
            return last[i]
        }
        let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        last[i] = s
        return s
    }
}

/// Reuses decoded gob header maps: the whole map when its bytes repeat, else each entry whose bytes repeat.
struct GobHeaderCache {
    private var lastRaw: [UInt8] = []
    private var lastHeaders: [Header] = []
    private var entryRaw: [[UInt8]] = []
    private var entries: [Header] = []

    /// Decodes a `map[string][]string` value at the cursor.
    mutating func decode(_ c: inout ByteCursor) -> [Header]? {
        let start = c.position
        guard let count = c.gobUInt(), count <= UInt64(c.remaining) else { return nil }
        // Find the end of the map without building strings; a map equal to the last one is reused whole.
        var probe = c
        for _ in 0..<count {
            guard let kn = probe.gobUInt(), probe.skip(Int(clamping: kn)), let vn = probe.gobUInt(),
                vn <= UInt64(probe.remaining)
            else { return nil }
            for _ in 0..<vn {
                guard let sn = probe.gobUInt(), probe.skip(Int(clamping: sn)) else { return nil }
            }
        }
        let end = probe.position
        let length = end - start
        if length == lastRaw.count && lastRaw.withUnsafeBufferPointer({ bytesEqual($0, c.base + start) }) {
            c.position = end
            return lastHeaders
        }
        var headers: [Header] = []
        headers.reserveCapacity(Int(count))
        for i in 0..<Int(count) {
            let s = c.position
            var entry = c
            guard let kn = entry.gobUInt(), entry.skip(Int(clamping: kn)), let vn = entry.gobUInt() else { return nil }
            for _ in 0..<vn {
                guard let sn = entry.gobUInt(), entry.skip(Int(clamping: sn)) else { return nil }
            }
            let n = entry.position - s
            if i < entryRaw.count && entryRaw[i].count == n
                && entryRaw[i].withUnsafeBufferPointer({ bytesEqual($0, c.base + s) })
            {
                c.position = entry.position
                headers.append(entries[i])
                continue
            }
            guard let kn2 = c.gobUInt(), let key = c.string(Int(clamping: kn2)), let vn2 = c.gobUInt() else {
                return nil
            }
            var values: [String] = []
            values.reserveCapacity(Int(vn2))
            for _ in 0..<vn2 {
                guard let sn = c.gobUInt(), let v = c.string(Int(clamping: sn)) else { return nil }
                values.append(v)
            }
            let h = Header(name: key, values: values)
            let raw = Array(UnsafeBufferPointer(start: c.base + s, count: n))
            if i < entryRaw.count {
                entryRaw[i] = raw
                entries[i] = h
            } else if i == entryRaw.count {
                entryRaw.append(raw)
                entries.append(h)
            }
            headers.append(h)
        }
        lastRaw = Array(UnsafeBufferPointer(start: c.base + start, count: length))
        lastHeaders = headers
        return headers
    }
}

/// True when `n` bytes at `p` equal `a`.
@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ p: UnsafePointer<UInt8>) -> Bool {
    guard let base = a.baseAddress else { return true }
    return memcmp(base, p, a.count) == 0
}
