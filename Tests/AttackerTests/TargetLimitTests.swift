import Attacker
import Testing

/// Target lines are bounded and scanned once; messages quote at most 64 bytes of a line.
@Suite("Target line limits")
struct TargetLimitTests {
    @Test("a target line over 4 MiB is refused with its line and byte offset", arguments: [TargetFormat.http, .json])
    func longLine(_ format: TargetFormat) throws {
        let first =
            format == .http ? "GET http://127.0.0.1:9/\n\n" : #"{"method":"GET","url":"http://127.0.0.1:9/"}"# + "\n"
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: (4 << 20) + 1)
        var reader = TargetReader(bytes: Array(first.utf8) + long, name: "t", format: format)
        #expect(try reader.next() != nil)
        let lineNumber = format == .http ? 3 : 2
        #expect(
            throws: TargetError(
                "target line too long: over 4 MiB from byte \(first.utf8.count)", source: "t", line: lineNumber)
        ) {
            _ = try reader.next()
        }
    }

    @Test("a 4 MiB json target line is read (the limit is inclusive)")
    func atLimit() throws {
        let head = #"{"method":"GET","url":"http://127.0.0.1:9/","x":""#
        let tail = "\"}\n"
        let pad = String(repeating: "y", count: (4 << 20) - head.utf8.count - tail.utf8.count + 1)
        var reader = TargetReader(bytes: Array((head + pad + tail).utf8), name: "t", format: .json)
        #expect(try reader.next()?.url == "http://127.0.0.1:9/")
    }

    @Test("a bad target line is quoted to 64 bytes")
    func excerpt() throws {
        let junk = String(repeating: "z", count: 300)
        var reader = TargetReader(bytes: Array((junk + "\n").utf8), name: "t", format: .http)
        #expect(throws: TargetError("bad target: " + String(repeating: "z", count: 64) + "...", source: "t", line: 1)) {
            _ = try reader.next()
        }
    }
}
