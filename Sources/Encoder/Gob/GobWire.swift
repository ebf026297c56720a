/// Gob's predefined type ids.
enum GobTypeID {
    static let bool = 1, int = 2, uint = 3, float = 4, bytes = 5, string = 6, complex = 7, interface = 8
}

/// One field of a wire struct type: its Go name and the type id of its values.
struct GobField {
    let name: String
    let type: Int
}

/// A user-defined type as received in a type-definition message (gob's `wireType`).
enum GobWireType {
    case structType(name: String, fields: [GobField])
    case sliceType(name: String, elem: Int)
    case arrayType(name: String, elem: Int)
    case mapType(name: String, key: Int, elem: Int)
    /// GobEncoder, BinaryMarshaler or TextMarshaler: opaque bytes.
    case encoder(name: String)

    var name: String {
        switch self {
        case .structType(let n, _), .sliceType(let n, _), .arrayType(let n, _), .mapType(let n, _, _),
            .encoder(let n):
            return n
        }
    }

    /// Decodes a `wireType` struct value: exactly one of its seven fields is set.
    static func decode(_ c: inout ByteCursor) -> GobWireType? {
        var field = -1
        var found: GobWireType?
        while true {
            guard let delta = c.gobUInt() else { return nil }
            if delta == 0 { break }
            guard let next = nextField(field, delta) else { return nil }
            field = next
            switch field {
            case 0:  // ArrayT: {CommonType, Elem int, Len int}
                guard let s = decodeStruct(&c, fieldCount: 3), let common = s.common else { return nil }
                found = .arrayType(name: common.name, elem: Int(clamping: s.ints[1] ?? 0))
            case 1:  // SliceT: {CommonType, Elem int}
                guard let s = decodeStruct(&c, fieldCount: 2), let common = s.common else { return nil }
                found = .sliceType(name: common.name, elem: Int(clamping: s.ints[1] ?? 0))
            case 2:  // StructT: {CommonType, Field []fieldType}
                guard let s = decodeStructType(&c) else { return nil }
                found = s
            case 3:  // MapT: {CommonType, Key int, Elem int}
                guard let s = decodeStruct(&c, fieldCount: 3), let common = s.common else { return nil }
                found = .mapType(
                    name: common.name, key: Int(clamping: s.ints[1] ?? 0), elem: Int(clamping: s.ints[2] ?? 0))
            case 4, 5, 6:  // GobEncoderT, BinaryMarshalerT, TextMarshalerT: {CommonType}
                guard let s = decodeStruct(&c, fieldCount: 1), let common = s.common else { return nil }
                found = .encoder(name: common.name)
            default:
                return nil
            }
        }
        return found
    }

    private struct Common {
        var name = ""
        var id: Int64 = 0
    }

    private struct Parsed {
        var common: Common?
        var ints: [Int: Int64] = [:]
    }

    /// A struct whose field 0 is CommonType and whose other fields are ints.
    private static func decodeStruct(_ c: inout ByteCursor, fieldCount: Int) -> Parsed? {
        var parsed = Parsed()
        var field = -1
        while true {
            guard let delta = c.gobUInt() else { return nil }
            if delta == 0 { break }
            guard let next = nextField(field, delta) else { return nil }
            field = next
            guard field < fieldCount else { return nil }
            if field == 0 {
                guard let common = decodeCommon(&c) else { return nil }
                parsed.common = common
            } else {
                guard let v = c.gobInt() else { return nil }
                parsed.ints[field] = v
            }
        }
        if parsed.common == nil { parsed.common = Common() }
        return parsed
    }

    /// The field number `delta` after `field`, or nil when it is past any field these types have (a damaged
    /// stream, whose delta could otherwise overflow the count).
    @inline(__always)
    private static func nextField(_ field: Int, _ delta: UInt64) -> Int? {
        delta <= 16 ? field + Int(delta) : nil
    }

    private static func decodeCommon(_ c: inout ByteCursor) -> Common? {
        var common = Common()
        var field = -1
        while true {
            guard let delta = c.gobUInt() else { return nil }
            if delta == 0 { return common }
            guard let next = nextField(field, delta) else { return nil }
            field = next
            switch field {
            case 0:
                guard let n = c.gobUInt(), let s = c.string(Int(clamping: n)) else { return nil }
                common.name = s
            case 1:
                guard let v = c.gobInt() else { return nil }
                common.id = v
            default:
                return nil
            }
        }
    }

    private static func decodeStructType(_ c: inout ByteCursor) -> GobWireType? {
        var name = ""
        var fields: [GobField] = []
        var field = -1
        while true {
            guard let delta = c.gobUInt() else { return nil }
            if delta == 0 { break }
            guard let next = nextField(field, delta) else { return nil }
            field = next
            switch field {
            case 0:
                guard let common = decodeCommon(&c) else { return nil }
                name = common.name
            case 1:
                guard let count = c.gobUInt(), count <= UInt64(c.remaining) else { return nil }
                for _ in 0..<count {
                    // A fieldType is {Name string; Id typeId}: CommonType's wire shape.
                    guard let f = decodeCommon(&c) else { return nil }
                    fields.append(GobField(name: f.name, type: Int(clamping: f.id)))
                }
            default:
                return nil
            }
        }
        return .structType(name: name, fields: fields)
    }
}

extension ByteCursor {
    /// A gob unsigned integer: one byte below 128, else a negated byte count and that many big-endian bytes.
    @inline(__always)
    mutating func gobUInt() -> UInt64? {
        guard let first = byte() else { return nil }
        if first < 0x80 { return UInt64(first) }
        let n = Int(256 - Int(first))
        guard n <= 8, n <= remaining else { return nil }
        var v: UInt64 = 0
        for i in 0..<n { v = v << 8 | UInt64(base[position + i]) }
        position += n
        return v
    }

    /// A gob signed integer: the uint's low bit is the sign, the rest the (complemented) magnitude.
    @inline(__always)
    mutating func gobInt() -> Int64? {
        guard let u = gobUInt() else { return nil }
        if u & 1 == 1 { return ~Int64(bitPattern: u >> 1) }
        return Int64(bitPattern: u >> 1)
    }
}

/// `time.Time`'s binary form (MarshalBinary versions 1 and 2).
enum GobTime {
    static func decode(_ c: inout ByteCursor) -> Timestamp? {
        guard let version = c.byte(), version == 1 || version == 2 else { return nil }
        guard c.remaining == (version == 1 ? 14 : 15) else { return nil }
        var sec: UInt64 = 0
        for _ in 0..<8 { sec = sec << 8 | UInt64(c.byte() ?? 0) }
        var nsec: UInt32 = 0
        for _ in 0..<4 { nsec = nsec << 8 | UInt32(c.byte() ?? 0) }
        let hi = UInt16(c.byte() ?? 0)
        let lo = UInt16(c.byte() ?? 0)
        let offsetMinutes = Int16(bitPattern: hi << 8 | lo)
        var offset: Int32? = Int32(offsetMinutes) * 60
        if version == 2 { offset = (offset ?? 0) + Int32(Int8(bitPattern: c.byte() ?? 0)) }
        if offsetMinutes == -1 { offset = nil }
        guard nsec < 1_000_000_000 else { return nil }
        let unix = Int64(bitPattern: sec) &- Timestamp.unixToInternal
        return Timestamp(seconds: unix, nanoseconds: Int32(nsec), utcOffset: offset)
    }

    /// Writes the length-prefixed binary form (at most 17 bytes).
    @inline(__always)
    static func put(_ t: Timestamp, _ w: inout RawBytes) {
        let sec = UInt64(bitPattern: t.seconds &+ Timestamp.unixToInternal)
        var minutes: Int16 = -1
        var extraSeconds: Int8 = 0
        if let offset = t.utcOffset {
            minutes = Int16(clamping: offset / 60)
            extraSeconds = Int8(clamping: offset % 60)
        }
        w.put(extraSeconds == 0 ? 15 : 16)
        w.put(extraSeconds == 0 ? 1 : 2)
        withUnsafeBytes(of: sec.bigEndian) { w.put($0.assumingMemoryBound(to: UInt8.self)) }
        withUnsafeBytes(of: UInt32(bitPattern: t.nanoseconds).bigEndian) {
            w.put($0.assumingMemoryBound(to: UInt8.self))
        }
        withUnsafeBytes(of: UInt16(bitPattern: minutes).bigEndian) { w.put($0.assumingMemoryBound(to: UInt8.self)) }
        if extraSeconds != 0 { w.put(UInt8(bitPattern: extraSeconds)) }
    }
}
