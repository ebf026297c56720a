/// Go's `base64.StdEncoding` decoding: standard alphabet, padding required.
enum Base64 {
    enum Outcome: Equatable {
        case success([UInt8])
        /// Go's CorruptInputError offset.
        case failure(Int)
    }

    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    static func decode(_ s: String) -> Outcome {
        // Go skips \r and \n anywhere in the input.
        let u = Array(s.utf8).filter { $0 != 0x0a && $0 != 0x0d }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 4 * 3)
        var i = 0
        while i < u.count {
            var quantum = [UInt8](repeating: 0, count: 4)
            var n = 0
            while n < 4 {
                guard i < u.count else {
                    // Input ended mid-quantum: Go reports the offset of the end (missing padding).
                    return .failure(u.count - n)
                }
                let c = u[i]
                if c == UInt8(ascii: "=") {
                    // Padding: allowed only in positions 2 and 3 of a quantum, and must finish the input.
                    guard n >= 2 else { return .failure(i) }
                    if n == 2 {
                        guard i + 1 < u.count, u[i + 1] == UInt8(ascii: "=") else {
                            return .failure(i + 1 < u.count ? i + 1 : u.count)
                        }
                        guard i + 2 == u.count else { return .failure(i + 2) }
                    } else {
                        guard i + 1 == u.count else { return .failure(i + 1) }
                    }
                    let v = quantum
                    out.append(v[0] << 2 | v[1] >> 4)
                    if n == 3 { out.append(v[1] << 4 | v[2] >> 2) }
                    return .success(out)
                }
                let v = table[Int(c)]
                guard v != 0xff else { return .failure(i) }
                quantum[n] = v
                n += 1
                i += 1
            }
            out.append(quantum[0] << 2 | quantum[1] >> 4)
            out.append(quantum[1] << 4 | quantum[2] >> 2)
            out.append(quantum[2] << 6 | quantum[3])
        }
        return .success(out)
    }
}
