import CZlib
import Encoder

#if canImport(Glibc)
    import Glibc
#endif

/// Decodes a gzip response body as it arrives, as Go's transport does: output kept up to the body limit, the
/// rest decoded only to find errors (Go drains through its gzip reader), members one after another (Go's
/// multistream reader), errors in Go's words. One per slot, reused; zlib and the output buffer are made on first
/// use, so slots that never see gzip pay nothing.
final class GzipBody {
    private var stream: InflateStream?
    private var scratch: UnsafeMutablePointer<UInt8>?
    static let scratchSize = 8192
    /// Go's text for what zlib refused, or "".
    private(set) var error = ""
    private var memberBytes = 0
    private var memberEnded = false

    deinit {
        scratch?.deallocate()
    }

    /// Ready for the next response.
    func reset() {
        if memberBytes > 0 || !error.isEmpty || memberEnded { stream?.reset() }
        error = ""
        memberBytes = 0
        memberEnded = false
    }

    /// The error a complete body leaves: zlib's, or a stream that stopped inside a member (`unexpected EOF`).
    /// An empty body is none (Go's reader sees EOF at once).
    var outcome: String {
        if !error.isEmpty { return error }
        if memberBytes > 0 && !memberEnded { return "unexpected EOF" }
        return ""
    }

    /// Inflates `count` compressed bytes at `p` into `body`, keeping it within `limit` (negative: no limit).
    /// Input goes to zlib in pieces of at most `UInt32.max` bytes.
    func feed(_ p: UnsafeRawPointer, _ count: Int, into body: inout [UInt8], limit: Int) {
        guard error.isEmpty, count > 0, let (z, out) = ready() else { return }
        var input = p.assumingMemoryBound(to: UInt8.self)
        var left = count
        while left > 0 {
            if memberEnded {
                // Another member starts: Go reads its header (trailing garbage is an invalid header).
                guard z.reset() else {
                    error = "gzip: invalid header"
                    return
                }
                memberEnded = false
                memberBytes = 0
            }
            // zlib (windowBits 15+32) would also take a zlib header; Go wants the gzip magic 1f 8b.
            var m = memberBytes
            var j = 0
            while m < 2 && j < left {
                guard input[j] == (m == 0 ? 0x1f : 0x8b) else {
                    error = "gzip: invalid header"
                    return
                }
                m += 1
                j += 1
            }
            let chunk = min(left, Int(UInt32.max))
            var used = 0
            var rc = Z_OK
            while true {
                let step = z.inflate(input + used, chunk - used, into: out, room: GzipBody.scratchSize)
                used += step.consumed
                rc = step.code
                let produced = step.produced
                var k = produced
                if limit >= 0 { k = max(0, min(produced, limit - body.count)) }
                if k > 0 { body.append(contentsOf: UnsafeBufferPointer(start: out, count: k)) }
                if rc != Z_OK || (used == chunk && produced < GzipBody.scratchSize) { break }
            }
            memberBytes += used
            input += used
            left -= used
            switch rc {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK, Z_BUF_ERROR:
                if used == 0 && left > 0 {
                    error = "unexpected EOF"
                    return
                }
            default:
                error = GzipBody.errorText(z.message ?? "", memberBytes: memberBytes)
                return
            }
        }
    }

    private func ready() -> (InflateStream, UnsafeMutablePointer<UInt8>)? {
        if let stream, let scratch { return (stream, scratch) }
        let made = InflateStream()
        guard made.isReady else {
            error = "gzip: invalid header"
            return nil
        }
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: GzipBody.scratchSize)
        stream = made
        scratch = out
        return (made, out)
    }

    /// Go's text for a stream zlib refused: a bad header, a checksum, or corrupt deflate data (the offset is
    /// approximate: bytes of the member read, less a plain gzip header).
    static func errorText(_ msg: String, memberBytes: Int) -> String {
        switch msg {
        case "incorrect header check", "unknown compression method", "unknown header flags set",
            "header crc mismatch":
            return "gzip: invalid header"
        case "incorrect data check", "incorrect length check":
            return "gzip: invalid checksum"
        default:
            return "flate: corrupt input before offset \(max(0, memberBytes - 10))"
        }
    }

    /// Whether a header block's first `Content-Encoding` value is `gzip` in any case (Go's
    /// `EqualFold(Header.Get("Content-Encoding"), "gzip")`).
    static func isGzip(headerBlock raw: [UInt8]) -> Bool {
        let name = Array("content-encoding".utf8)
        var i = 0
        let n = raw.count
        while i < n {
            let (lineEnd, next) = ResponseParsing.line(in: raw, from: i)
            if lineEnd - i > name.count && raw[i + name.count] == 0x3a {
                var same = true
                for k in 0..<name.count where raw[i + k] | 0x20 != name[k] {
                    same = false
                    break
                }
                if same {
                    let value = ResponseParsing.trimmed(raw, i + name.count + 1, lineEnd)
                    let gzip: [UInt8] = [0x67, 0x7a, 0x69, 0x70]
                    return value.count == 4 && (0..<4).allSatisfy { raw[value.lowerBound + $0] | 0x20 == gzip[$0] }
                }
            }
            i = next
        }
        return false
    }
}
