import BarrageCore

/// How to decode the values of one wire struct type: which of our fields each wire field is, and the stream's
/// type table for skipping the rest.
///
/// Immutable once built, so decoders on several threads can share one (the parallel statistics path does).
final class GobValuePlan: Sendable {
    let typeID: Int
    let fields: [GobField]
    /// Our field for each wire field, or nil to skip it.
    let targets: [ResultField?]
    /// The id of a `map[string][]string` type in this stream (vegeta's Headers), or -1: skipped without lookups.
    let stringMapType: Int
    let types: [Int: GobWireType]

    init(typeID: Int, fields: [GobField], targets: [ResultField?], stringMapType: Int, types: [Int: GobWireType]) {
        self.typeID = typeID
        self.fields = fields
        self.targets = targets
        self.stringMapType = stringMapType
        self.types = types
    }

    /// Decodes a value's fields (after its type id) into `v`: numbers decoded, byte fields as ranges.
    ///
    /// - Returns: nil on success, else why the value is damaged.
    @inline(__always)
    func decodeView(_ c: inout ByteCursor, into v: inout GobRecordView) -> String? {
        var field = -1
        let count = fields.count
        while true {
            guard let delta = c.gobUInt() else { return "gob: truncated record" }
            if delta == 0 { return nil }
            guard delta <= UInt64(count) else { return "gob: field number out of range" }
            field += Int(delta)
            guard field < count else { return "gob: field number out of range" }
            let ok: Bool
            if let target = targets[field] {
                ok = Self.decodeField(target, &c, &v)
            } else {
                ok = skip(fields[field].type, &c)
            }
            guard ok else { return "gob: bad value for field \(InputExcerpt.text(fields[field].name))" }
        }
    }

    @inline(__always)
    private static func decodeField(_ field: ResultField, _ c: inout ByteCursor, _ v: inout GobRecordView) -> Bool {
        switch field {
        case .attack, .error, .method, .url, .body:
            guard let n = c.gobUInt(), n <= UInt64(c.remaining) else { return false }
            let b = GobRecordView.Bytes(start: c.position, count: Int(n))
            c.position += Int(n)
            switch field {
            case .attack: v.attack = b
            case .error: v.error = b
            case .method: v.method = b
            case .url: v.url = b
            default: v.body = b
            }
        case .seq:
            guard let x = c.gobUInt() else { return false }
            v.seq = x
        case .code:
            guard let x = c.gobUInt(), x <= UInt64(UInt16.max) else { return false }
            v.code = UInt16(x)
        case .bytesOut:
            guard let x = c.gobUInt() else { return false }
            v.bytesOut = x
        case .bytesIn:
            guard let x = c.gobUInt() else { return false }
            v.bytesIn = x
        case .latency:
            guard let x = c.gobInt() else { return false }
            v.latency = x
        case .timestamp:
            guard let n = c.gobUInt(), n <= UInt64(c.remaining) else { return false }
            let end = c.position + Int(n)
            var sub = ByteCursor(c.base, c.position, end)
            guard let t = GobTime.decode(&sub) else { return false }
            c.position = end
            v.timestamp = t
        case .headers:
            // Check the map's shape now, so writers can walk it without checks.
            let start = c.position
            guard let count = Self.skipStringMap(&c) else { return false }
            v.headers = GobRecordView.Bytes(start: start, count: c.position - start)
            v.headerCount = count
        }
        return true
    }

    /// Skips a `map[string][]string` value, returning its entry count (nil when damaged).
    @inline(__always)
    static func skipStringMap(_ c: inout ByteCursor) -> Int? {
        guard let count = c.gobUInt(), count <= UInt64(c.remaining) else { return nil }
        for _ in 0..<count {
            guard let kn = c.gobUInt(), c.skip(Int(clamping: kn)), let vn = c.gobUInt(), vn <= UInt64(c.remaining)
            else { return nil }
            for _ in 0..<vn {
                guard let sn = c.gobUInt(), c.skip(Int(clamping: sn)) else { return nil }
            }
        }
        return Int(count)
    }

    /// Skips a field we do not want: builtin kinds and vegeta's header map without a type lookup.
    @inline(__always)
    private func skip(_ type: Int, _ c: inout ByteCursor) -> Bool {
        switch type {
        case GobTypeID.bool, GobTypeID.int, GobTypeID.uint, GobTypeID.float:
            return c.gobUInt() != nil
        case GobTypeID.bytes, GobTypeID.string:
            guard let n = c.gobUInt() else { return false }
            return c.skip(Int(clamping: n))
        case stringMapType:
            return Self.skipStringMap(&c) != nil
        default:
            return skipValue(type, &c, depth: 0)
        }
    }

    /// Skips one value of wire type `type` (for fields we do not know).
    private func skipValue(_ type: Int, _ c: inout ByteCursor, depth: Int) -> Bool {
        guard depth < 64 else { return false }
        switch type {
        case GobTypeID.bool, GobTypeID.int, GobTypeID.uint, GobTypeID.float:
            return c.gobUInt() != nil
        case GobTypeID.complex:
            return c.gobUInt() != nil && c.gobUInt() != nil
        case GobTypeID.bytes, GobTypeID.string:
            guard let n = c.gobUInt() else { return false }
            return c.skip(Int(clamping: n))
        case GobTypeID.interface:
            guard let n = c.gobUInt(), c.skip(Int(clamping: n)) else { return false }
            if n == 0 { return true }
            guard c.gobInt() != nil, let len = c.gobUInt() else { return false }
            return c.skip(Int(clamping: len))
        default:
            switch types[type] {
            case .structType(_, let fields)?:
                var field = -1
                while true {
                    guard let delta = c.gobUInt() else { return false }
                    if delta == 0 { return true }
                    guard delta <= UInt64(fields.count) else { return false }
                    field += Int(delta)
                    guard field < fields.count, skipValue(fields[field].type, &c, depth: depth + 1) else {
                        return false
                    }
                }
            case .sliceType(_, let elem)?, .arrayType(_, let elem)?:
                guard let n = c.gobUInt(), n <= UInt64(c.remaining) else { return false }
                for _ in 0..<n where !skipValue(elem, &c, depth: depth + 1) { return false }
                return true
            case .mapType(_, let key, let elem)?:
                guard let n = c.gobUInt(), n <= UInt64(c.remaining) else { return false }
                for _ in 0..<n {
                    guard skipValue(key, &c, depth: depth + 1), skipValue(elem, &c, depth: depth + 1) else {
                        return false
                    }
                }
                return true
            case .encoder?:
                guard let n = c.gobUInt() else { return false }
                return c.skip(Int(clamping: n))
            case nil:
                return false
            }
        }
    }
}
