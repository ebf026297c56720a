import Encoder
import Foundation
import TestSupport

/// The 20 results of `small.bin`, read from vegeta's own JSON encoding of it (`small.json`).
enum SampleResults {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name)))
    }

    static func fixtureText(_ name: String) throws -> String {
        String(decoding: try fixture(name), as: UTF8.self)
    }

    static func load() throws -> [Result] {
        try fixtureText("small.json").split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let fields = object as? [String: Any] else { throw SampleError.bad(String(line)) }
            return Result(
                attack: fields["attack"] as? String ?? "",
                seq: (fields["seq"] as? NSNumber)?.uint64Value ?? 0,
                code: (fields["code"] as? NSNumber)?.uint16Value ?? 0,
                timestamp: try timestamp(fields["timestamp"] as? String ?? ""),
                latency: (fields["latency"] as? NSNumber)?.int64Value ?? 0,
                bytesOut: (fields["bytes_out"] as? NSNumber)?.uint64Value ?? 0,
                bytesIn: (fields["bytes_in"] as? NSNumber)?.uint64Value ?? 0,
                error: fields["error"] as? String ?? "",
                method: fields["method"] as? String ?? "",
                url: fields["url"] as? String ?? "")
        }
    }

    /// Parses `2026-11-22T01:52:59.98155083Z` (UTC only, which is all the fixtures hold).
    static func timestamp(_ text: String) throws -> Timestamp {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) throws -> Int64 {
            guard let v = Int64(String(decoding: bytes[range], as: UTF8.self)) else { throw SampleError.bad(text) }
            return v
        }
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { throw SampleError.bad(text) }
        var y = try number(0..<4)
        let m = try number(5..<7)
        let d = try number(8..<10)
        y -= m <= 2 ? 1 : 0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + (try number(11..<13)) * 3600 + (try number(14..<16)) * 60 + (try number(17..<19))
        var nanos: Int64 = 0
        if bytes[19] == UInt8(ascii: ".") {
            let digits = bytes[20..<(bytes.count - 1)]
            nanos = try number(20..<(bytes.count - 1))
            for _ in digits.count..<9 { nanos *= 10 }
        }
        return Timestamp(seconds: seconds, nanoseconds: Int32(nanos), utcOffset: nil)
    }

    enum SampleError: Error { case bad(String) }
}
