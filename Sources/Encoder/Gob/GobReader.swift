import BarrageCore

/// Reads a Go `encoding/gob` stream of vegeta `Result` values, accepting everything vegeta's decoder accepts.
///
/// Type ids can be any values >= 64 in any order; struct fields are matched by name (missing ones stay zero,
/// unknown ones are skipped, whatever their type); `time.Time` may be version 1 or 2 of its binary form.
/// Each message is read whole into the source buffer and parsed in place.
final class GobReader {
    let source: InputSource
    private var types: [Int: GobWireType] = [:]
    /// The plan of the last value type decoded (a stream has one value type, so this skips the lookups).
    private var plan: GobValuePlan?
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
                throw decodeError(at: messageStart, reason)
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
            if let failure { throw .decode(decodeError(at: messageStart, failure)) }
            if isValue { return true }
            definitionsSeen += 1
        }
    }

    /// Frames the next block of value messages for the parallel statistics path: consecutive values of one type
    /// that are already buffered (waiting only for the first), at most `maxMessages` of them and about `maxBytes`.
    /// Type definitions on the way are read here, in stream order.
    ///
    /// - Returns: nil at a clean end of input. The block's bytes stay in `source.bytes[start..<end]` until the next
    ///   call; every message in it is complete and of the block's plan's type.
    /// - Throws: `DecodeError` for damage found while framing (after the messages before it were returned).
    func nextBlock(maxMessages: Int, maxBytes: Int) throws(DecodeError) -> GobBlock? {
        // The first value message, reading as much as it takes (and the type definitions before it).
        var first: (offset: Int64, start: Int, plan: GobValuePlan)?
        while first == nil {
            guard let (messageStart, payloadStart, payloadEnd) = try frame(sniffing: false) else { return nil }
            let header: Header = source.bytes.withUnsafeBufferPointer { p in
                guard let b = p.baseAddress else { return .failure("empty buffer") }
                var c = ByteCursor(b, payloadStart, payloadEnd)
                return messageHeader(&c)
            }
            switch header {
            case .definition:
                definitionsSeen += 1
            case .failure(let reason):
                throw decodeError(at: messageStart, reason)
            case .value(let plan):
                first = (messageStart, source.position, plan)
            }
            source.consume(payloadEnd - source.position)
        }
        guard let first else { return nil }
        // Then every following message of the same type that is already whole in the buffer. One that is cut,
        // of another type, a definition or of a doubtful length ends the block; the next call deals with it.
        let typeID = Int64(first.plan.typeID)
        var count = 1
        let end: Int = source.bytes.withUnsafeBufferPointer { p in
            guard let b = p.baseAddress else { return source.position }
            var position = source.position
            let limit = source.limit
            while count < maxMessages && position - first.start < maxBytes {
                var c = ByteCursor(b, position, limit)
                guard let length = c.gobUInt(), length > 0, length <= UInt64(ResultLimits.maxRecordBytes),
                    c.remaining >= Int(length)
                else { break }
                let next = c.position + Int(length)
                var t = ByteCursor(b, c.position, next)
                guard t.gobInt() == typeID else { break }
                position = next
                count += 1
            }
            return position
        }
        source.consume(end - source.position)
        return GobBlock(plan: first.plan, offset: first.offset, start: first.start, end: end, count: count)
    }

    /// Whether a whole message (or the end of input) is already buffered, so framing the next block reads nothing.
    var nextMessageBuffered: Bool {
        if source.atEOF { return true }
        return source.bytes.withUnsafeBufferPointer { p in
            guard let b = p.baseAddress else { return false }
            var c = ByteCursor(b, source.position, source.limit)
            guard let length = c.gobUInt() else { return false }
            return c.remaining >= Int(clamping: length)
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
            throw decodeError(at: messageStart, "truncated message length (unexpected EOF)")
        }
        // While sniffing, the stream must open with a small type definition, so a file that is not gob
        // can never make us buffer a huge "message".
        if sniffing && definitionsSeen == 0
            && (length > 1 << 16 || source.available <= prefix || source.bytes[source.position + prefix] & 1 == 0)
        {
            throw decodeError(at: messageStart, "not a gob stream")
        }
        guard length > 0, length < 1 << 31 else {
            throw decodeError(at: messageStart, "gob: invalid message length \(length)")
        }
        guard length <= UInt64(ResultLimits.maxRecordBytes) else {
            throw decodeError(
                at: messageStart,
                "gob: message of \(length) bytes is over the \(ResultLimits.maxRecordText) limit for one result")
        }
        let total = prefix + Int(length)
        guard try source.fill(atLeast: total) else {
            throw decodeError(
                at: messageStart, "truncated record: \(source.available) of \(total) bytes (unexpected EOF)")
        }
        return (messageStart, source.position + prefix, source.position + total)
    }

    func decodeError(at offset: Int64, _ reason: String) -> DecodeError {
        DecodeError(file: source.name, location: "byte \(offset)", reason: reason)
    }

    private enum Outcome {
        case definition
        case value(Result)
        case failure(String)
    }

    /// Reads the type id; stores a definition, or returns the plan for a value.
    private enum Header {
        case definition
        case value(GobValuePlan)
        case failure(String)
    }

    private func messageHeader(_ c: inout ByteCursor) -> Header {
        guard let id = c.gobInt() else { return .failure("gob: truncated type id") }
        if id < 0 {
            let typeID = Int(-id)
            guard typeID >= 64, types[typeID] == nil else { return .failure("gob: duplicate type received") }
            guard let wire = GobWireType.decode(&c) else { return .failure("gob: bad type definition") }
            types[typeID] = wire
            plan = nil
            return .definition
        }
        guard id > 0, id < Int64(Int32.max) else { return .failure("gob: bad value type id \(id)") }
        let typeID = Int(id)
        if let plan, plan.typeID == typeID { return .value(plan) }
        guard case .structType(_, let fields)? = types[typeID] else {
            return .failure(types[typeID] == nil ? "gob: unknown type id \(typeID)" : "gob: value is not a struct")
        }
        switch makePlan(typeID, fields) {
        case .success(let p):
            plan = p
            return .value(p)
        case .failure(let reason):
            return .failure(reason)
        }
    }

    private func decodeMessage(_ c: inout ByteCursor) -> Outcome {
        switch decodeView(&c) {
        case .definition: return .definition
        case .failure(let reason): return .failure(reason)
        case .value(let v): return .value(materialize(v))
        }
    }

    /// Builds a `Result` from a view (the wanted fields), reusing strings and header maps that repeat the previous
    /// record's bytes.
    private func materialize(_ v: borrowing GobRecordView) -> Result {
        var r = Result()
        if wanted.contains(.attack) { r.attack = strings.string(.attack, v.base + v.attack.start, v.attack.count) }
        if wanted.contains(.error) { r.error = strings.string(.error, v.base + v.error.start, v.error.count) }
        if wanted.contains(.method) { r.method = strings.string(.method, v.base + v.method.start, v.method.count) }
        if wanted.contains(.url) { r.url = strings.string(.url, v.base + v.url.start, v.url.count) }
        if v.body.count > 0 && wanted.contains(.body) { r.body = Array(v.buffer(v.body)) }
        if v.headerCount > 0 && wanted.contains(.headers) {
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

    /// Reads one message: a type definition, or a value decoded in place (fields we do not want are skipped).
    private func decodeView(_ c: inout ByteCursor) -> ViewOutcome {
        switch messageHeader(&c) {
        case .definition: return .definition
        case .failure(let reason): return .failure(reason)
        case .value(let plan):
            var v = GobRecordView(base: c.base)
            if let reason = plan.decodeView(&c, into: &v) { return .failure(reason) }
            return .value(v)
        }
    }

    private enum PlanOutcome {
        case success(GobValuePlan)
        case failure(String)
    }

    /// Matches wire fields to ours by name and checks that the kinds agree, as gob's compatibility check does.
    private func makePlan(_ typeID: Int, _ fields: [GobField]) -> PlanOutcome {
        var targets: [ResultField?] = []
        var stringMapType = -1
        for f in fields {
            if case .mapType(_, let key, let elem)? = types[f.type], key == GobTypeID.string,
                case .sliceType(_, let inner)? = types[elem], inner == GobTypeID.string
            {
                stringMapType = f.type
            }
            // Every field vegeta knows is checked and decoded whatever the caller keeps (one rule for a valid
            // record); `materialize` builds only the wanted ones.
            guard let ours = ResultField(rawValue: f.name) else {
                targets.append(nil)
                continue
            }
            guard compatible(ours, f.type) else {
                return .failure(
                    "gob: wrong type (\(InputExcerpt.text(typeName(f.type)))) for received field Result.\(f.name)")
            }
            targets.append(ours)
        }
        return .success(
            GobValuePlan(typeID: typeID, fields: fields, targets: targets, stringMapType: stringMapType, types: types))
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
}

/// Why `nextView` stopped: damaged data, or the error the caller's body threw.
enum GobViewError<E: Error>: Error {
    case decode(DecodeError)
    case body(E)
}

/// The fields of `Result`, by their Go names (gob matches fields by name).
enum ResultField: String {
    case attack = "Attack"
    case seq = "Seq"
    case code = "Code"
    case timestamp = "Timestamp"
    case latency = "Latency"
    case bytesOut = "BytesOut"
    case bytesIn = "BytesIn"
    case error = "Error"
    case body = "Body"
    case method = "Method"
    case url = "URL"
    case headers = "Headers"

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
