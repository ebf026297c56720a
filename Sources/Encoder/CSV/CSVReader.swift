import BarrageCore

/// Reads vegeta's CSV: Go `encoding/csv` rules (quoted fields may span lines, `""` is a quote, leading spaces
/// trimmed, blank lines skipped, CRLF accepted) with exactly 12 fields per record.
final class CSVReader {
    let source: InputSource
    /// 1-based line number of the next record.
    private(set) var line = 1
    private var fields: [[UInt8]] = Array(repeating: [], count: 12)

    init(source: InputSource) {
        self.source = source
    }

    /// Where splitting a record that is not whole yet stopped, so more bytes resume it instead of starting over
    /// (a long record is then scanned once, not once per read).
    private struct SplitState {
        enum Phase { case fieldStart, quoted, plain }
        /// Bytes of the record already scanned.
        var offset = 0
        /// Fields completed.
        var count = 0
        /// Line ends inside quoted fields so far.
        var lines = 0
        var phase = Phase.fieldStart
    }

    private var state = SplitState()

    /// Decodes the next record.
    ///
    /// - Returns: nil at the end of input.
    /// - Throws: `DecodeError` naming the line.
    func next() throws(DecodeError) -> Result? {
        while true {
            if source.available == 0 {
                guard try source.fill(atLeast: 1) else { return nil }
            }
            let atEOF = source.atEOF
            let parse: RecordParse = source.bytes.withUnsafeBufferPointer { p in
                guard let b = p.baseAddress else { return .needMore }
                return splitRecord(b, source.position, source.limit, atEOF: atEOF)
            }
            if case .needMore = parse {
                if atEOF {
                    state = SplitState()
                    throw DecodeError(
                        file: source.name, location: "line \(line)", reason: "extraneous or missing \" in quoted field")
                }
                if source.available > ResultLimits.maxRecordBytes {
                    state = SplitState()
                    throw DecodeError(
                        file: source.name, location: "line \(line), byte \(source.offset)",
                        reason: "record longer than \(ResultLimits.maxRecordText) (the limit for one result)")
                }
                try source.fill(atLeast: source.available + 1)
                continue
            }
            state = SplitState()
            let recordLine = line
            switch parse {
            case .needMore:
                continue
            case .blank(let length, let lines):
                source.consume(length)
                line += lines
            case .record(let length, let count, let lines):
                if length > ResultLimits.maxRecordBytes {
                    throw DecodeError(
                        file: source.name, location: "line \(line), byte \(source.offset)",
                        reason: "record longer than \(ResultLimits.maxRecordText) (the limit for one result)")
                }
                source.consume(length)
                line += lines
                guard count == 12 else {
                    throw DecodeError(
                        file: source.name, location: "line \(recordLine)",
                        reason: "wrong number of fields: \(count) (vegeta CSV has 12)")
                }
                switch makeResult() {
                case .result(let r): return r
                case .failure(let reason):
                    throw DecodeError(file: source.name, location: "line \(recordLine)", reason: reason)
                case .blank: continue
                }
            case .failure(let reason):
                throw DecodeError(file: source.name, location: "line \(recordLine)", reason: reason)
            }
        }
    }

    private enum RecordParse {
        case needMore
        case blank(length: Int, lines: Int)
        case record(length: Int, fields: Int, lines: Int)
        case failure(String)
    }

    /// Splits one record starting at `start` into `fields`; `.needMore` if it does not end before `end` (then
    /// `state` says where to resume once more bytes are buffered).
    private func splitRecord(_ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int, atEOF: Bool) -> RecordParse {
        var i = start + state.offset
        // Blank line?
        if state.offset == 0 && i < end && (b[i] == 0x0a || (b[i] == 0x0d && i + 1 < end && b[i + 1] == 0x0a)) {
            return .blank(length: b[i] == 0x0a ? 1 : 2, lines: 1)
        }
        func pause(_ phase: SplitState.Phase) -> RecordParse {
            state.offset = i - start
            state.phase = phase
            return .needMore
        }
        while true {
            let count = state.count
            switch state.phase {
            case .fieldStart:
                // Trim leading spaces (vegeta sets TrimLeadingSpace).
                while i < end && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
                if i >= end && !atEOF { return pause(.fieldStart) }
                if count < 12 { fields[count].removeAll(keepingCapacity: true) }
                if i < end && b[i] == UInt8(ascii: "\"") {
                    i += 1
                    state.phase = .quoted
                } else {
                    state.phase = .plain
                }
                continue
            case .quoted:
                while true {
                    guard i < end else { return pause(.quoted) }
                    let ch = b[i]
                    if ch == UInt8(ascii: "\"") {
                        if i + 1 < end && b[i + 1] == UInt8(ascii: "\"") {
                            if count < 12 { fields[count].append(ch) }
                            i += 2
                            continue
                        }
                        if i + 1 >= end && !atEOF { return pause(.quoted) }
                        i += 1
                        break
                    }
                    if ch == 0x0a { state.lines += 1 }
                    if count < 12 { fields[count].append(ch) }
                    i += 1
                }
                guard i >= end || b[i] == UInt8(ascii: ",") || b[i] == 0x0a || b[i] == 0x0d else {
                    return .failure("extraneous \" in field \(count + 1)")
                }
            case .plain:
                let segmentStart = i
                while i < end && b[i] != UInt8(ascii: ",") && b[i] != 0x0a {
                    if b[i] == UInt8(ascii: "\"") { return .failure("bare \" in non-quoted field \(count + 1)") }
                    i += 1
                }
                if count < 12 {
                    fields[count].append(
                        contentsOf: UnsafeBufferPointer(start: b + segmentStart, count: i - segmentStart))
                    if i < end && b[i] == 0x0a && fields[count].last == 0x0d { fields[count].removeLast() }
                }
                if i >= end && !atEOF { return pause(.plain) }
            }
            state.count += 1
            state.phase = .fieldStart
            if i < end && b[i] == 0x0d && i + 1 < end && b[i + 1] == 0x0a { i += 1 }
            if i >= end {
                // vegeta ends every record with a newline; without it the record may have been cut anywhere
                // (a cut before the headers field still splits into 12 fields), so it is not trusted.
                return .failure("last record has no line end: the file was cut off")
            }
            if b[i] == 0x0a || b[i] == 0x0d {
                return .record(length: i + 1 - start, fields: state.count, lines: state.lines + 1)
            }
            i += 1  // the comma
        }
    }

    private func makeResult() -> Parsed {
        var r = Result()
        guard let ts = int64(fields[0]) else { return .failure("timestamp: not an integer (Unix nanoseconds)") }
        r.timestamp = Timestamp(unixNanoseconds: ts)
        guard let code = uint64(fields[1]), code <= UInt64(UInt16.max) else {
            return .failure("code: not a status code")
        }
        r.code = UInt16(code)
        guard let latency = int64(fields[2]) else { return .failure("latency: not an integer") }
        r.latency = latency
        guard let out = uint64(fields[3]) else { return .failure("bytes_out: not an unsigned integer") }
        r.bytesOut = out
        guard let inBytes = uint64(fields[4]) else { return .failure("bytes_in: not an unsigned integer") }
        r.bytesIn = inBytes
        r.error = String(decoding: fields[5], as: UTF8.self)
        let body = fields[6].withUnsafeBufferPointer { try? Base64.decode($0) }
        guard let body else { return .failure("body: illegal base64 data") }
        r.body = body
        r.attack = String(decoding: fields[7], as: UTF8.self)
        guard let seq = uint64(fields[8]) else { return .failure("seq: not an unsigned integer") }
        r.seq = seq
        r.method = String(decoding: fields[9], as: UTF8.self)
        r.url = String(decoding: fields[10], as: UTF8.self)
        if !fields[11].isEmpty {
            let block = fields[11].withUnsafeBufferPointer { try? Base64.decode($0) }
            guard let block else { return .failure("headers: illegal base64 data") }
            guard let headers = CSVReader.parseHeaderBlock(block) else {
                return .failure("headers: malformed MIME header")
            }
            r.headers = headers
        }
        return .result(r)
    }

    /// Parses an HTTP/1 header block as `textproto.ReadMIMEHeader` does: canonical keys, trimmed values,
    /// repeated keys merged in order, up to the empty line that ends it (required: a block without it was cut).
    static func parseHeaderBlock(_ block: [UInt8]) -> [Header]? {
        var headers: [Header] = []
        var index: [String: Int] = [:]
        var lines = block.split(separator: 0x0a, omittingEmptySubsequences: false)[...]
        var ended = false
        while let raw = lines.first {
            lines = lines.dropFirst()
            var line = raw
            if line.last == 0x0d { line = line.dropLast() }
            if line.isEmpty {
                ended = true
                break
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let key = canonicalKey(Array(line[line.startIndex..<colon]))
            guard !key.isEmpty else { return nil }
            var value = line[(colon + 1)...]
            while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
            while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
            let v = String(decoding: value, as: UTF8.self)
            if let i = index[key] {
                headers[i].values.append(v)
            } else {
                index[key] = headers.count
                headers.append(Header(name: key, values: [v]))
            }
        }
        return ended ? headers : nil
    }

    /// `textproto.CanonicalMIMEHeaderKey`: `content-type` becomes `Content-Type`; keys with invalid bytes stay as they are.
    static func canonicalKey(_ key: [UInt8]) -> String {
        for c in key where !isTokenByte(c) { return String(decoding: key, as: UTF8.self) }
        var out = key
        var upper = true
        for i in out.indices {
            let c = out[i]
            if upper && c >= 97 && c <= 122 {
                out[i] = c - 32
            } else if !upper && c >= 65 && c <= 90 {
                out[i] = c + 32
            }
            upper = c == UInt8(ascii: "-")
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isTokenByte(_ c: UInt8) -> Bool {
        switch c {
        case 48...57, 65...90, 97...122: return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(c)
        }
    }

    private func int64(_ f: [UInt8]) -> Int64? {
        var f = f[...]
        var negative = false
        if let first = f.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            f = f.dropFirst()
        }
        guard let m = uint64(Array(f)) else { return nil }
        if negative {
            guard m <= UInt64(Int64.max) + 1 else { return nil }
            return m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m)
        }
        guard m <= UInt64(Int64.max) else { return nil }
        return Int64(m)
    }

    private func uint64(_ f: [UInt8]) -> UInt64? {
        guard !f.isEmpty else { return nil }
        var v: UInt64 = 0
        for c in f {
            guard c >= 48, c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - 48))
            guard !o1, !o2 else { return nil }
            v = a
        }
        return v
    }
}
