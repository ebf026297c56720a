import Encoder
import Foundation
import TestSupport

/// Damaged results files built from the fixtures: one per way a record can be wrong, in every format.
///
/// Each keeps two good records before the damage, so every reader must deliver exactly those two, then stop with
/// the same message, whatever fields it keeps.
enum DamagedFiles {
    /// A file name, its bytes, and the records before the damage.
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        let validPrefix: Int
        var description: String { name }
    }

    /// The field selections of encode (all), report (metrics) and plot.
    static let selections: [ResultFields] = [
        .all, .metrics, [.attack, .seq, .code, .timestamp, .latency, .error],
    ]

    static func cases() throws -> [Case] {
        let fixtures = Fixtures()
        let json = try fixtures.bytes("small.json").split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
        func jsonCase(_ name: String, _ third: (String) -> String) -> Case {
            let text = json[0] + "\n" + json[1] + "\n" + third(json[2]) + "\n" + json[3] + "\n"
            return Case(name: name + ".json", bytes: Array(text.utf8), validPrefix: 2)
        }
        func replacing(_ key: String, with value: String) -> (String) -> String {
            { line in
                guard let range = line.range(of: "\"\(key)\":") else { return line }
                var rest = line[range.upperBound...]
                // Drop the old value up to the next top-level comma or the closing brace.
                var depth = 0
                var inString = false
                var escaped = false
                var end = rest.startIndex
                for i in rest.indices {
                    let c = rest[i]
                    if inString {
                        if escaped {
                            escaped = false
                        } else if c == "\\" {
                            escaped = true
                        } else if c == "\"" {
                            inString = false
                        }
                    } else if c == "\"" {
                        inString = true
                    } else if c == "{" || c == "[" {
                        depth += 1
                    } else if c == "}" || c == "]" {
                        if depth == 0 {
                            end = i
                            break
                        }
                        depth -= 1
                    } else if c == "," && depth == 0 {
                        end = i
                        break
                    }
                }
                rest = rest[end...]
                return String(line[..<range.upperBound]) + value + rest
            }
        }
        var cases = [
            jsonCase("body-not-base64", replacing("body", with: "\"%%%\"")),
            jsonCase("body-not-a-string", replacing("body", with: "5")),
            jsonCase("method-not-a-string", replacing("method", with: "[1]")),
            jsonCase("url-bad-escape", replacing("url", with: "\"\\q\"")),
            jsonCase("headers-not-an-object", replacing("headers", with: "\"x\"")),
            jsonCase("header-value-not-a-list", replacing("headers", with: "{\"A\":\"x\"}")),
            jsonCase("attack-control-byte", replacing("attack", with: "\"a\u{01}\"")),
            jsonCase("bytes-out-negative", replacing("bytes_out", with: "-1")),
            jsonCase("seq-fraction", replacing("seq", with: "1.5")),
            jsonCase("timestamp-not-rfc3339", replacing("timestamp", with: "\"yesterday\"")),
            jsonCase("cut-mid-line", { String($0.prefix(40)) }),
        ]
        // CSV: the third record's headers column is not base64; then one with 11 fields.
        let csv = try fixtures.bytes("small.csv").split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }
        func csvCase(_ name: String, _ third: (String) -> String) -> Case {
            let text = csv[0] + "\n" + csv[1] + "\n" + third(csv[2]) + "\n" + csv[3] + "\n"
            return Case(name: name + ".csv", bytes: Array(text.utf8), validPrefix: 2)
        }
        cases.append(
            csvCase("headers-not-base64") { line in
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[fields.count - 1] = "%%%"
                return fields.joined(separator: ",")
            })
        cases.append(
            csvCase("body-not-base64") { line in
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[6] = "%%%"
                return fields.joined(separator: ",")
            })
        cases.append(
            csvCase("eleven-fields") { line in
                line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
            })
        // Gob: the third message cut short, and a stream whose Body is declared a string (Go refuses the type
        // for every reader, at the first record).
        let gob = try fixtures.bytes("small.bin")
        let starts = messageStarts(gob)
        cases.append(
            Case(
                name: "cut-third-record.bin", bytes: Array(gob[..<(starts[valueIndex(gob, starts, 2)] + 6)]),
                validPrefix: 2))
        var wrongType = gob
        if let at = find(Array("Body".utf8) + [0x01, 0x0a], in: wrongType) { wrongType[at + 5] = 0x0c }
        cases.append(Case(name: "body-declared-string.bin", bytes: wrongType, validPrefix: 0))
        return cases
    }

    /// Offsets where each gob message starts.
    static func messageStarts(_ b: [UInt8]) -> [Int] {
        var i = 0
        var out: [Int] = []
        while i < b.count {
            out.append(i)
            let first = b[i]
            var n = 0
            var prefix = 1
            if first < 0x80 {
                n = Int(first)
            } else {
                let k = 256 - Int(first)
                for j in 0..<k { n = n << 8 | Int(b[i + 1 + j]) }
                prefix += k
            }
            i += prefix + n
        }
        return out
    }

    /// The index in `starts` of the value message numbered `n` (0-based); type definitions have a negative id.
    static func valueIndex(_ b: [UInt8], _ starts: [Int], _ n: Int) -> Int {
        var seen = 0
        for (index, s) in starts.enumerated() {
            var p = s
            p += b[p] < 0x80 ? 1 : 1 + 256 - Int(b[p])
            // The type id, a gob int: the low bit of its last byte is the sign (set for a definition).
            let signByte = b[p] < 0x80 ? b[p] : b[p + 256 - Int(b[p])]
            if signByte & 1 == 0 {  // a positive type id: a value
                if seen == n { return index }
                seen += 1
            }
        }
        return starts.count - 1
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
