/// One gob record decoded in place: numbers decoded, byte fields as ranges of the message buffer.
///
/// Valid only inside `GobReader.nextView`'s body. Absent fields are empty ranges (gob leaves zero values out,
/// so an absent body is vegeta's nil body and absent headers are nil headers).
struct GobRecordView {
    struct Bytes {
        var start = 0
        var count = 0
    }

    let base: UnsafePointer<UInt8>
    var attack = Bytes(), error = Bytes(), method = Bytes(), url = Bytes(), body = Bytes()
    /// The map value: its entry count, then key and string slice per entry. `count == 0` means nil headers.
    var headers = Bytes()
    var headerCount = 0
    var seq: UInt64 = 0
    var code: UInt16 = 0
    var latency: Int64 = 0
    var bytesOut: UInt64 = 0
    var bytesIn: UInt64 = 0
    var timestamp = Timestamp.zero

    init(base: UnsafePointer<UInt8>) {
        self.base = base
    }

    func buffer(_ b: Bytes) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + b.start, count: b.count)
    }

    /// Calls `body` for each header entry with its key and a cursor at its values (count, then strings).
    func forEachHeader(_ body: (UnsafeBufferPointer<UInt8>, inout ByteCursor) -> Void) {
        guard headers.count > 0 else { return }
        var c = ByteCursor(base, headers.start, headers.start + headers.count)
        guard let n = c.gobUInt() else { return }
        for _ in 0..<n {
            guard let kn = c.gobUInt() else { return }
            let key = UnsafeBufferPointer(start: base + c.position, count: Int(kn))
            c.position += Int(kn)
            let before = c.position
            var values = c
            body(key, &values)
            // Skip the values whatever the body read.
            c.position = before
            guard let vn = c.gobUInt() else { return }
            for _ in 0..<vn {
                guard let sn = c.gobUInt() else { return }
                c.position += Int(sn)
            }
        }
    }
}
