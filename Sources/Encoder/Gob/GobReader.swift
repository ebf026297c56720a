/// Reads a Go `encoding/gob` stream of vegeta `Result` values, accepting everything vegeta's decoder accepts.
///
/// Type ids can be any values >= 64 in any order; struct fields are matched by name (missing ones stay zero,
/// unknown ones are skipped, whatever their type); `time.Time` may be version 1 or 2 of its binary form.
/// Each message is read whole into the source buffer and parsed in place.
final class GobReader {
    let source: InputSource
    private var types: [Int: GobWireType] = [:]
    /// The last value type decoded, its fields and plan (a stream has one value type, so this skips the lookups).
    private var lastTypeID = -1
    private var lastFields: [GobField] = []
    private var lastPlan: [ResultField?] = []
    /// The id of a `map[string][]string` type in this stream (vegeta's Headers), or -1: skipped without lookups.
    private var stringMapType = -1
    /// Recent strings and header maps, reused when the next record repeats them byte for byte.
    private var strings = StringCache()
    private var headerCache = GobHeaderCache()
    /// Type definitions seen so far (sniffing uses it to tell "damaged gob" from "not gob").
    private(set) var definitionsSeen = 0

    private let wanted: ResultFields

    init(source: InputSource, fields: ResultFields = .all) {
        self.source = source
        self.wanted = fields
    }

    /// Decodes the next `Result`, reading type definitions on the way.
    ///
    /// - Returns: nil at a clean end of input (between messages).
    /// - Throws: `DecodeError` naming the byte offset of the damaged message.
    func next(sniffing: Bool = false) throws(DecodeError) -> Result? {
        while let (messageStart, start, end) = try frame(sniffing: sniffing) {
            let outcome: Outcome = source.bytes.withUnsafeBufferPointer { p in
                guard let b = p.baseAddress else { return .failure("empty buffer") }
                var c = ByteCursor(b, start, end)
                return decodeMessage(&c)
            }
            source.consume(end - source.position)
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
        return nil
    }

    /// The next record's statistics fields, decoded in place (only the error text becomes a string).
    func nextStats() throws(DecodeError) -> ResultStats? {
        var stats: ResultStats?
        do throws(GobViewError<Never>) {
            _ = try nextView { v in
                stats = ResultStats(
                    v, attack: strings.string(.attack, v.base + v.attack.start, v.attack.count),
                    error: strings.string(.error, v.base + v.error.start, v.error.count))
            }
        } catch {
            if case .decode(let e) = error { throw e }
        }
        return stats
    }

    /// Decodes the next record in place and calls `body` with a view of its bytes (valid only during the call).
    ///
    /// The conversion fast path: no strings or arrays are built, so a gob-to-JSON copy allocates nothing per record.
    /// - Returns: false at a clean end of input.
    /// - Throws: `DecodeError` for damaged data; whatever `body` throws is passed on as `GobViewError.body`.
    func nextView<E: Error>(_ body: (borrowing GobRecordView) throws(E) -> Void) throws(GobViewError<E>) -> Bool {
        while true {
            let framed: (Int64, Int, Int)?
            do {
                framed = try frame(sniffing: false)
            } catch {
                throw .decode(error)
            }
            guard let (messageStart, start, end) = framed else { return false }
            var failure: String?
            var bodyError: E?
            var isValue = false
            source.bytes.withUnsafeBufferPointer { p in
                guard let b = p.baseAddress else { return }
                var c = ByteCursor(b, start, end)
                switch decodeView(&c) {
                case .definition: break
                case .failure(let reason): failure = reason
                case .value(let view):
                    isValue = true
                    do throws(E) {
                        try body(view)
                    } catch {
                        bodyError = error
                    }
                }
            }
            source.consume(end - source.position)
            if let bodyError { throw .body(bodyError) }
            if let failure { throw .decode(error(messageStart, failure)) }
            if isValue { return true }
            definitionsSeen += 1
        }
    }

    /// Reads the next message into the buffer: its stream offset and its payload's range in `source.bytes`.
    private func frame(sniffing: Bool) throws(DecodeError) -> (Int64, Int, Int)? {
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
        if sniffing && definitionsSeen == 0
            && (length > 1 << 16 || source.available <= prefix || source.bytes[source.position + prefix] & 1 == 0)
        {
            throw error(messageStart, "not a gob stream")
        }
        guard length > 0, length < 1 << 31 else {
            throw error(messageStart, "gob: invalid message length \(length)")
        }
        let total = prefix + Int(length)
        guard try source.fill(atLeast: total) else {
            throw error(messageStart, "truncated record: \(source.available) of \(total) bytes (unexpected EOF)")
        }
        return (messageStart, source.position + prefix, source.position + total)
    }

    private func error(_ offset: Int64, _ reason: String) -> DecodeError {
        DecodeError(file: source.name, location: "byte \(offset)", reason: reason)
    }

    private enum Outcome {
        case definition
        case value(Result)
        case failure(String)
    }

    /// Reads the type id; stores a definition, or prepares the plan for a value.
    private enum Header {
        case definition
        case value(fields: [GobField], plan: [ResultField?])
        case failure(String)
    }

    private func messageHeader(_ c: inout ByteCursor) -> Header {
        guard let id = c.gobInt() else { return .failure("gob: truncated type id") }
        if id < 0 {
            let typeID = Int(-id)
            guard typeID >= 64, types[typeID] == nil else { return .failure("gob: duplicate type received") }
            guard let wire = GobWireType.decode(&c) else { return .failure("gob: bad type definition") }
            types[typeID] = wire
            lastTypeID = -1
            return .definition
        }
        guard id > 0, id < Int64(Int32.max) else { return .failure("gob: bad value type id \(id)") }
        let typeID = Int(id)
        if typeID != lastTypeID {
            guard case .structType(_, let fields)? = types[typeID] else {
                return .failure(types[typeID] == nil ? "gob: unknown type id \(typeID)" : "gob: value is not a struct")
            }
            switch makePlan(fields) {
            case .success(let p): lastPlan = p
            case .failure(let reason): return .failure(reason)
            }
            lastFields = fields
            lastTypeID = typeID
        }
        return .value(fields: lastFields, plan: lastPlan)
    }

    private func decodeMessage(_ c: inout ByteCursor) -> Outcome {
        switch decodeView(&c) {
        case .definition: return .definition
        case .failure(let reason): return .failure(reason)
        case .value(let v): return .value(materialize(v))
        }
    }

    /// Builds a `Result` from a view, reusing strings and header maps that repeat the previous record's bytes.
    private func materialize(_ v: borrowing GobRecordView) -> Result {
        var r = Result()
        r.attack = strings.string(.attack, v.base + v.attack.start, v.attack.count)
        r.error = strings.string(.error, v.base + v.error.start, v.error.count)
        r.method = strings.string(.method, v.base + v.method.start, v.method.count)
        r.url = strings.string(.url, v.base + v.url.start, v.url.count)
        if v.body.count > 0 { r.body = Array(v.buffer(v.body)) }
        if v.headerCount > 0 {
            var c = ByteCursor(v.base, v.headers.start, v.headers.start + v.headers.count)
            r.headers = headerCache.decode(&c)
        }
        r.seq = v.seq
        r.code = v.code
        r.timestamp = v.timestamp
        r.latency = v.latency
        r.bytesOut = v.bytesOut
        r.bytesIn = v.bytesIn
        return r
    }

    private enum ViewOutcome {
        case definition
        case value(GobRecordView)
        case failure(String)
    }

    /// Like `decodeMessage`, but records where each field's bytes are instead of building values.
    private func decodeView(_ c: inout ByteCursor) -> ViewOutcome {
        var v = GobRecordView(base: c.base)
        switch walk(&c, { field, c in decodeFieldView(field, &c, &v) }) {
        case .definition: return .definition
        case .failure(let reason): return .failure(reason)
        case .value: return .value(v)
        }
    }

    private enum Walk {
        case definition
        case value
        case failure(String)
    }

    /// Reads one message: a type definition, or a value whose wanted fields go to `decode` (others are skipped).
    @inline(__always)
    private func walk(_ c: inout ByteCursor, _ decode: (ResultField, inout ByteCursor) -> Bool) -> Walk {
        let fields: [GobField]
        let plan: [ResultField?]
        switch messageHeader(&c) {
        case .definition: return .definition
        case .failure(let reason): return .failure(reason)
        case .value(let f, let p):
            fields = f
            plan = p
        }
        var field = -1
        while true {
            guard let delta = c.gobUInt() else { return .failure("gob: truncated record") }
            if delta == 0 { return .value }
            guard delta <= UInt64(fields.count) else { return .failure("gob: field number out of range") }
            field += Int(delta)
            guard field < fields.count else { return .failure("gob: field number out of range") }
            let ok: Bool
            if let target = plan[field] {
                ok = decode(target, &c)
            } else {
                ok = skip(fields[field].type, &c)
            }
            guard ok else { return .failure("gob: bad value for field \(fields[field].name)") }
        }
    }

    private func decodeFieldView(_ field: ResultField, _ c: inout ByteCursor, _ v: inout GobRecordView) -> Bool {
        func bytes(_ c: inout ByteCursor) -> GobRecordView.Bytes? {
            guard let n = c.gobUInt(), n <= UInt64(c.remaining) else { return nil }
            defer { c.position += Int(n) }
            return GobRecordView.Bytes(start: c.position, count: Int(n))
        }
        switch field {
        case .attack, .error, .method, .url, .body:
            guard let b = bytes(&c) else { return false }
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
            guard let count = c.gobUInt(), count <= UInt64(c.remaining) else { return false }
            for _ in 0..<count {
                guard let kn = c.gobUInt(), c.skip(Int(clamping: kn)), let vn = c.gobUInt(), vn <= UInt64(c.remaining)
                else { return false }
                for _ in 0..<vn {
                    guard let sn = c.gobUInt(), c.skip(Int(clamping: sn)) else { return false }
                }
            }
            v.headers = GobRecordView.Bytes(start: start, count: c.position - start)
            v.headerCount = Int(count)
        }
        return true
    }

    private enum PlanOutcome {
        case success([ResultField?])
        case failure(String)
    }

    /// Matches wire fields to ours by name and checks that the kinds agree, as gob's compatibility check does.
    private func makePlan(_ fields: [GobField]) -> PlanOutcome {
        var plan: [ResultField?] = []
        for f in fields {
            if case .mapType(_, let key, let elem)? = types[f.type], key == GobTypeID.string,
                case .sliceType(_, let inner)? = types[elem], inner == GobTypeID.string
            {
                stringMapType = f.type
            }
            guard let ours = ResultField(rawValue: f.name), wanted.contains(ours.option) else {
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
            guard let count = c.gobUInt(), count <= UInt64(c.remaining) else { return false }
            for _ in 0..<count {
                guard let kn = c.gobUInt(), c.skip(Int(clamping: kn)), let vn = c.gobUInt(), vn <= UInt64(c.remaining)
                else { return false }
                for _ in 0..<vn {
                    guard let sn = c.gobUInt(), c.skip(Int(clamping: sn)) else { return false }
                }
            }
            return true
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

/// Why `nextView` stopped: damaged data, or the error the caller's body threw.
enum GobViewError<E: Error>: Error {
    case decode(DecodeError)
    case body(E)
}

/// The fields of `Result`, by their Go names (gob matches fields by name).
enum ResultField: String {
    case attack = "Attack", seq = "Seq", code = "Code", timestamp = "Timestamp", latency = "Latency"
    case bytesOut = "BytesOut", bytesIn = "BytesIn", error = "Error", body = "Body", method = "Method"
    case url = "URL", headers = "Headers"

    var option: ResultFields {
        switch self {
        case .attack: return .attack
        case .seq: return .seq
        case .code: return .code
        case .timestamp: return .timestamp
        case .latency: return .latency
        case .bytesOut: return .bytesOut
        case .bytesIn: return .bytesIn
        case .error: return .error
        case .body: return .body
        case .method: return .method
        case .url: return .url
        case .headers: return .headers
        }
    }
}
