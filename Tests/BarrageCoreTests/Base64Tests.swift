import BarrageCore
import Testing

@Suite("Base64")
struct Base64Tests {
    @Test(
        "RFC 4648 vectors, both ways",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"), ("Punch!", "UHVuY2gh"),
        ])
    func vectors(plain: String, encoded: String) throws {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("every byte value survives a round trip, through the pointer API too")
    func roundTrip() throws {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var out = [UInt8](repeating: 0, count: Base64.encodedLength(bytes.count))
        let n = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in dst.baseAddress.map { Base64.encode(src, to: $0) } ?? 0 }
        }
        #expect(n == out.count)
        #expect(try out.withUnsafeBufferPointer { try Base64.decode($0) } == bytes)
    }

    @Test("newlines are skipped anywhere, as Go skips them")
    func newlines() throws {
        #expect(try Base64.decode("Zm9v\nYmFy\r\n") == Array("foobar".utf8))
        #expect(try Base64.decode("Zg=\n=") == Array("f".utf8))
    }

    /// Offsets as Go's `base64.StdEncoding.DecodeString` reports them (`encoding/base64` decodeQuantum).
    @Test(
        "errors carry Go's offset",
        arguments: [
            ("UHVuY2g", 4),  // input ends mid-quantum: the quantum's start
            ("U*==", 1),  // a byte outside the alphabet
            ("=", 0), ("Q===", 1),  // padding too early
            ("QQ=A", 2),  // "==" due: the first "=" is named
            ("QQ=", 3), ("QQ=\n", 4),  // not enough padding: the length
            ("QQ==QQ==", 4), ("QUI=\nx", 5),  // data after the padding
            ("QU\nJ*", 4),  // offsets count the newlines
        ])
    func errors(text: String, offset: Int) {
        #expect(throws: Base64.CorruptInputError(offset: offset)) { try Base64.decode(text) }
        #expect(Base64.CorruptInputError(offset: offset).description == "illegal base64 data at input byte \(offset)")
    }
}
