import BarrageCore
import Encoder

/// Go's net/http checks of a response's framing, with its error texts, shared by both transports: the status line
/// (`http.ReadResponse`), the Content-Length headers (`fixLength`) and a chunk-size line (`chunkedReader`).
///
/// These run on the rare path (a response that looks wrong) or once per response over the header block; none
/// allocates unless it returns an error text.
enum GoResponseRules {
    /// What Go's transport puts before an error in reading the response head.
    static let broken = "net/http: HTTP/1.x transport connection broken: "

    /// The status line's problem as `http.ReadResponse` words it, or nil when Go accepts it.
    static func statusLineProblem(_ line: UnsafeRawBufferPointer) -> String? {
        var bytes = line[...]
        if bytes.last == 0x0d { bytes = bytes.dropLast() }
        guard let space = bytes.firstIndex(of: 0x20) else {
            return "malformed HTTP response " + goQuote(text(bytes))
        }
        let proto = bytes[..<space]
        var status = bytes[(space + 1)...]
        while status.first == 0x20 { status = status.dropFirst() }
        let code = status.prefix { $0 != 0x20 }
        guard code.count == 3, code.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return "malformed HTTP status code " + goQuote(text(code))
        }
        guard validVersion(proto) else { return "malformed HTTP version " + goQuote(text(proto)) }
        return nil
    }

    /// Go's `ParseHTTPVersion`: `HTTP/M.N` with one digit each.
    private static func validVersion(_ p: Slice<UnsafeRawBufferPointer>) -> Bool {
        let v = Array(p)
        guard v.count == 8, Array(v[0..<5]) == Array("HTTP/".utf8), v[6] == 0x2e else { return false }
        return v[5] >= 0x30 && v[5] <= 0x39 && v[7] >= 0x30 && v[7] <= 0x39
    }

    /// The Content-Length headers' problem in a header block (status line first, `\r\n` lines) as `fixLength`
    /// words it: differing values, an empty one, or one that is not a number below 2^63; nil when none.
    static func contentLengthProblem(_ block: UnsafeRawBufferPointer) -> String? {
        var values: [Slice<UnsafeRawBufferPointer>] = []
        var i = 0
        let n = block.count
        var first = true
        while i < n {
            var end = i
            while end < n && block[end] != 0x0a { end += 1 }
            defer { i = end + 1 }
            if first {
                first = false
                continue
            }
            guard end - i >= 15, let colon = block[i..<end].firstIndex(of: 0x3a), colon - i == 14 else { continue }
            var matches = true
            for (k, ch) in "content-length".utf8.enumerated() where block[i + k] | 0x20 != ch {
                matches = false
                break
            }
            guard matches else { continue }
            var vs = colon + 1
            var ve = end
            while vs < ve && isSpace(block[vs]) { vs += 1 }
            while ve > vs && isSpace(block[ve - 1]) { ve -= 1 }
            values.append(block[vs..<ve])
        }
        guard let head = values.first else { return nil }
        if values.contains(where: { !$0.elementsEqual(head) }) {
            let list = values.map { goQuote(text($0)) }.joined(separator: " ")
            return "http: message cannot contain multiple Content-Length headers; got [\(list)]"
        }
        if head.isEmpty { return #"invalid empty Content-Length """# }
        var v: UInt64 = 0
        for d in head {
            guard d >= 0x30 && d <= 0x39 else { return "bad Content-Length " + goQuote(text(head)) }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d - 0x30))
            guard !o1, !o2, a <= UInt64(Int64.max) else { return "bad Content-Length " + goQuote(text(head)) }
            v = a
        }
        return nil
    }

    /// A chunk-size line (without its `\n`) as Go's chunked reader reads it: trailing white space trimmed, the
    /// extension after `;` dropped, then hex digits.
    ///
    /// - Returns: the size, or -1 and Go's error text.
    static func chunkSize(_ line: UnsafeRawBufferPointer) -> (size: Int, error: String) {
        var bytes = line[...]
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        if let semi = bytes.firstIndex(of: 0x3b) { bytes = bytes[..<semi] }
        guard !bytes.isEmpty else { return (-1, "empty hex number for chunk length") }
        var size = 0
        for (i, b) in bytes.enumerated() {
            let v: Int
            switch b {
            case 0x30...0x39: v = Int(b - 0x30)
            case 0x61...0x66: v = Int(b - 0x61 + 10)
            case 0x41...0x46: v = Int(b - 0x41 + 10)
            default: return (-1, "invalid byte in chunk length")
            }
            if i == 16 { return (-1, "http chunk length too large") }
            size = size &<< 4 | v
        }
        // Go's limit is 16 hex digits; a size past Int.max cannot be a real body.
        return size < 0 ? (-1, "http chunk length too large") : (size, "")
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d }

    private static func text(_ s: Slice<UnsafeRawBufferPointer>) -> String { String(decoding: s, as: UTF8.self) }
}
