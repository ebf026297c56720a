import Encoder
import TestSupport

/// Reads every result of the given files, returning them and the failures.
func readAll(_ paths: [String]) throws -> (results: [Result], failures: [DecodeError]) {
    var reader = try ResultReader(paths: paths)
    var out: [Result] = []
    while let r = reader.next() { out.append(r) }
    return (out, reader.failures)
}

/// Writes results to `path` in `format`.
func writeAll(_ results: [Result], _ format: ResultFormat, to path: String) throws {
    let out = try OutputFile.open(path)
    switch format {
    case .gob:
        var w = GobWriter(out)
        for r in results { try w.write(r) }
    case .json:
        var w = JSONWriter(out)
        for r in results { try w.write(r) }
    case .csv:
        var w = CSVWriter(out)
        for r in results { try w.write(r) }
    }
    try out.close()
}

/// Headers sorted by name, for comparisons where one side went through a Go map or CSV.
func sortedHeaders(_ r: Result) -> Result {
    var r = r
    r.headers = r.headers?.sorted { $0.name < $1.name }
    return r
}

/// A deterministic pseudo-random generator (SplitMix64), so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random results exercising the encodings' corners: unicode and escapes, nil and non-empty bodies, many
/// headers, negative and zero times, huge latencies. Headers use canonical unique names and trimmed values, and
/// zones are the local one, so every format carries them without loss.
func randomResults(_ count: Int, seed: UInt64) -> [Result] {
    var g = SeededGenerator(state: seed)
    let pieces = [
        "a", "Z", "0", " ", ",", "\"", "\\", "<", ">", "&", "é", "日本", "🚀", "\t", "\n", "\r", "\u{1}",
        "\u{2028}", "\u{2029}", "'", "=", "/", "%", "+",
    ]
    func text(_ max: Int) -> String {
        let n = Int.random(in: 0...max, using: &g)
        return (0..<n).map { _ in pieces.randomElement(using: &g) ?? "" }.joined()
    }
    func headerValue() -> String {
        let safe = ["v", "1", "text/html", "é", "a b", "x,y", "\"q\"", "<>&"]
        return (0..<Int.random(in: 1...3, using: &g)).map { _ in safe.randomElement(using: &g) ?? "" }.joined()
    }
    let names = [
        "Content-Type", "Content-Length", "Date", "Server", "X-Request-Id", "Etag", "Set-Cookie", "Vary",
        "X-A", "X-B", "X-C", "Cache-Control",
    ]
    var out: [Result] = []
    for i in 0..<count {
        var r = Result()
        r.attack = text(3)
        r.seq = i % 5 == 0 ? UInt64.random(in: 0...UInt64.max, using: &g) : UInt64(i)
        r.code = [0, 200, 204, 301, 404, 418, 500, 503, 65535].randomElement(using: &g) ?? 0
        let seconds: Int64
        switch i % 4 {
        case 0: seconds = Int64.random(in: 1_600_000_000...1_900_000_000, using: &g)
        case 1: seconds = -Int64.random(in: 0...9_000_000_000, using: &g)
        case 2: seconds = 0
        default: seconds = Int64.random(in: 0...9_000_000_000, using: &g)  // CSV's Unix ns reach ±292 years
        }
        r.timestamp = Timestamp(
            seconds: seconds, nanoseconds: Int32.random(in: 0..<1_000_000_000, using: &g),
            utcOffset: Timestamp.localOffset(at: seconds))
        if i % 9 == 0 {
            r.timestamp = Timestamp(seconds: seconds, nanoseconds: 0, utcOffset: Timestamp.localOffset(at: seconds))
        }
        r.latency =
            [0, 1, -1, Int64.max, Int64.min, 999_999_999, Int64.random(in: 0...Int64.max, using: &g)]
            .randomElement(using: &g) ?? 0
        r.bytesOut = UInt64.random(in: 0...UInt64.max, using: &g) >> UInt64.random(in: 0...63, using: &g)
        r.bytesIn = UInt64.random(in: 0...1 << 40, using: &g)
        r.error = text(6)
        if Bool.random(using: &g) {
            r.body = (0..<Int.random(in: 1...300, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
        }
        r.method = ["GET", "POST", "DELETE", "PATCH"].randomElement(using: &g) ?? "GET"
        r.url = "http://127.0.0.1:8080/" + text(5)
        if Bool.random(using: &g) {
            var chosen = names.shuffled(using: &g).prefix(Int.random(in: 1...names.count, using: &g))
            chosen.sort()
            r.headers = chosen.map {
                Header(name: $0, values: (0..<Int.random(in: 1...3, using: &g)).map { _ in headerValue() })
            }
        }
        out.append(r)
    }
    return out
}
