/// Reads a Go `encoding/gob` stream of vegeta `Result` values, accepting everything vegeta's decoder accepts.
///
/// Type ids can be any values >= 64 in any order; struct fields are matched by name (missing ones stay zero,
/// unknown ones are skipped, whatever their type); `time.Time` may be version 1 or 2 of its binary form.
/// Each message is read whole into the source buffer and parsed in place.
struct GobReader {
    let source: InputSource
    private var types: [Int: GobWireType] = [:]
    /// Per struct type id, our field for each wire field index (nil = skip).
    private var plans: [Int: [ResultField?]] = [:]
    /// Type definitions seen so far (sniffing uses it to tell "damaged gob" from "not gob").
    private(set) var definitionsSeen = 0

    init(source: InputSource) {
        self.source = source
    }

    /// Decodes the next `Result`, reading type definitions on the way.
    ///
    /// - Returns: nil at a clean end of input (between messages).
    /// - Throws: `DecodeError` naming the byte offset of the damaged message.
    mutating func next(sniffing: Bool = false) throws(DecodeError) -> Result? {
        while true {
            let messageStart = source.offset
            // A message starts with its length as a gob uint (at most 9 bytes).
            try source.fill(atLeast: 9)
            if source.available == 0 { return nil }
            let (length, prefix) = source.bytes.withUnsafeBufferPointer { p -> (UInt64?, Int) in
                guard let b = p.baseAddress else { return (nil, 0) }
                var c = ByteCursor(b, source.position, source.limit)
                let v = c.gobUInt()
                return (v, c.position - source.position)
            }
            guard let length else {
                throw error(messageStart, "truncated message length (unexpected EOF)")
            }
            // While sniffing, the stream must open with a small type definition, so a file that is not gob
            // can never make us buffer a huge "message".
            if sniffing && definitionsSeen == 0 && (length > 1 << 16 || source.bytes[source.position + prefix] & 1 == 0) {
                throw error(messageStart, "not a gob stream")
            }
            guard length > 0, length < 1 << 31 else {
                throw error(messageStart, "gob: invalid message length \(length)")
            }
            let total = prefix + Int(length)
            guard try source.fill(atLeast: total) else {
                throw error(messageStart, "truncated record: \(source.available) of \(total) bytes (unexpected EOF)")
            }
            let start = source.position + prefix
            let end = source.position + total
            let outcome: Outcome = source.bytes.withUnsafeBufferPointer { p in
                guard let b = p.baseAddress else { return .failure("empty buffer") }
                var c = ByteCursor(b, start, end)
                return decodeMessage(&c)
            }
            source.consume(total)
            switch outcome {
            case .definition:
                definitionsSeen += 1
                continue
            case .value(let result):
                return result
            case .failure(let reason):
                throw error(messageStart, reason)
            }
        }
    }

    private func error(_ offset: Int64, _ reason: String) -> DecodeError {
        DecodeError(file: source.name, location: "byte \(offset)", reason: reason)
    }

    private enum Outcome {
        case definition
        case value(Result)
        case failure(String)
    }

    private mutating func decodeMessage(_ c: inout ByteCursor) -> Outcome {
        guard let id = c.gobInt() else { return .failure("gob: truncated type id") }
        if id < 0 {
            let typeID = Int(-id)
            guard typeID >= 64, types[typeID] == nil else { return .failure("gob: duplicate type received") }
            guard let wire = GobWireType.decode(&c) else { return .failure("gob: bad type definition") }
            types[typeID] = wire
            return .definition
        }
        guard id > 0, id < Int64(Int32.max) else { return .failure("gob: bad value type id \(id)") }
        let typeID = Int(id)
        guard case .structType(_, let fields)? = types[typeID] else {
            return .failure(types[typeID] == nil ? "gob: unknown type id \(typeID)" : "gob: value is not a struct")
        }
        let plan: [ResultField?]
        if let known = plans[typeID] {
            plan = known
        } else {
            switch makePlan(fields) {
            case .success(let p): plan = p
            case .failure(let reason): return .failure(reason)
            }
            plans[typeID] = plan
        }
        var result = Result()
        var field = -1
        while true {
            guard let delta = c.gobUInt() else { return .failure("gob: truncated record") }
            if delta == 0 { break }
            guard delta <= UInt64(fields.count) else { return .failure("gob: field number out of range") }
            field += Int(delta)
            guard field < fields.count else { return .failure("gob: field number out of range") }
            if let target = plan[field] {
                guard decodeField(target, &c, &result) else {
                    return .failure("gob: bad value for field \(fields[field].name)")
                }
            } else {
                guard skipValue(fields[field].type, &c, depth: 0) else {
                    return .failure("gob: bad value for field \(fields[field].name)")
                }
            }
        }
        return .value(result)
    }

    private enum PlanOutcome {
        case success([ResultField?])
        case failure(String)
    }

    /// Matches wire fields to ours by name and checks that the kinds agree, as gob's compatibility check does.
    private func makePlan(_ fields: [GobField]) -> PlanOutcome {
        var plan: [ResultField?] = []
        for f in fields {
            guard let ours = ResultField(rawValue: f.name) else {
                plan.append(nil)
                continue
            }
            guard compatible(ours, f.type) else {
                return .failure("gob: wrong type (\(typeName(f.type))) for received field Result.\(f.name)")
            }
            plan.append(ours)
        }
        return .success(plan)
    }

    private func compatible(_ field: ResultField, _ type: Int) -> Bool {
        switch field {
        case .attack, .error, .method, .url: return type == GobTypeID.string
        case .seq, .code, .bytesOut, .bytesIn: return type == GobTypeID.uint
        case .latency: return type == GobTypeID.int
        case .body: return type == GobTypeID.bytes
        case .timestamp:
            if case .encoder? = types[type] { return true }
            return false
        case .headers:
            guard case .mapType(_, let key, let elem)? = types[type], key == GobTypeID.string,
                case .sliceType(_, let inner)? = types[elem], inner == GobTypeID.string
            else { return false }
            return true
        }
    }

    private func typeName(_ id: Int) -> String {
        switch id {
        case GobTypeID.bool: return "bool"
        case GobTypeID.int: return "int"
        case GobTypeID.uint: return "uint"
        case GobTypeID.float: return "float"
        case GobTypeID.bytes: return "[]byte"
        case GobTypeID.string: return "string"
        default: return types[id]?.name ?? "type \(id)"
        }
    }

    private func decodeField(_ field: ResultField, _ c: inout ByteCursor, _ r: inout Result) -> Bool {
        switch field {
        case .attack: return decodeString(&c, &r.attack)
        case .error: return decodeString(&c, &r.error)
        case .method: return decodeString(&c, &r.method)
        case .url: return decodeString(&c, &r.url)
        case .seq:
            guard let v = c.gobUInt() else { return false }
            r.seq = v
        case .code:
            guard let v = c.gobUInt(), v <= UInt64(UInt16.max) else { return false }
            r.code = UInt16(v)
        case .bytesOut:
            guard let v = c.gobUInt() else { return false }
            r.bytesOut = v
        case .bytesIn:
            guard let v = c.gobUInt() else { return false }
            r.bytesIn = v
        case .latency:
            guard let v = c.gobInt() else { return false }
            r.latency = v
        case .body:
            guard let n = c.gobUInt(), n <= UInt64(c.remaining), let b = c.bytes(Int(n)) else { return false }
            r.body = b
        case .timestamp:
            guard let n = c.gobUInt(), n <= UInt64(c.remaining) else { return false }
            let end = c.position + Int(n)
            var sub = ByteCursor(c.base, c.position, end)
            guard let t = GobTime.decode(&sub) else { return false }
            c.position = end
            r.timestamp = t
        case .headers:
            guard let count = c.gobUInt(), count <= UInt64(c.remaining) else { return false }
            var headers: [Header] = []
            headers.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let kn = c.gobUInt(), let key = c.string(Int(clamping: kn)),
                    let vn = c.gobUInt(), vn <= UInt64(c.remaining)
                else { return false }
                var values: [String] = []
                values.reserveCapacity(Int(vn))
                for _ in 0..<vn {
                    guard let sn = c.gobUInt(), let s = c.string(Int(clamping: sn)) else { return false }
                    values.append(s)
                }
                headers.append(Header(name: key, values: values))
            }
            r.headers = headers
        }
        return true
    }

    private func decodeString(_ c: inout ByteCursor, _ into: inout String) -> Bool {
        guard let n = c.gobUInt(), let s = c.string(Int(clamping: n)) else { return false }
        into = s
        return true
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
                    guard field < fields.count, skipValue(fields[field].type, &c, depth: depth + 1) else { return false }
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

/// The fields of `Result`, by their Go names (gob matches fields by name).
enum ResultField: String {
    case attack = "Attack", seq = "Seq", code = "Code", timestamp = "Timestamp", latency = "Latency"
    case bytesOut = "BytesOut", bytesIn = "BytesIn", error = "Error", body = "Body", method = "Method"
    case url = "URL", headers = "Headers"
}
