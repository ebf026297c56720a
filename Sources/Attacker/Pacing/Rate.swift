import BarrageCore
import Encoder

/// vegeta's `-rate`: `freq` hits per `per` nanoseconds. `freq == 0` means unlimited (closed loop).
public struct Rate: Sendable, Equatable {
    /// Hits per period.
    public var freq: Int64
    /// Period in nanoseconds.
    public var per: Int64

    /// Creates a rate.
    public init(freq: Int64, per: Int64 = 1_000_000_000) {
        self.freq = freq
        self.per = per
    }

    /// Hits per second (for display and the ramp/plan arithmetic).
    public var perSecond: Double { per > 0 ? Double(freq) * 1e9 / Double(per) : 0 }

    /// Parses `N`, `N/d` (d a duration or a bare unit: `5/500ms`, `10/s`), or `infinity` (left at `current`,
    /// as vegeta does).
    ///
    /// - Returns: nil with vegeta's reason on a bad value.
    public static func parse(_ text: String, current: Rate) -> Swift.Result<Rate, RateError> {
        if text == "infinity" { return .success(current) }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let freq = Int64(parts[0]) else {
            return .failure(RateError(message: "strconv.Atoi: parsing \(quote(String(parts[0]))): invalid syntax"))
        }
        guard parts.count == 2 else { return .success(Rate(freq: freq)) }
        var unit = String(parts[1])
        switch unit {
        case "ns", "us", "µs", "μs", "ms", "s", "m", "h": unit = "1" + unit
        default: break
        }
        guard let per = GoDuration.parse(unit) else {
            return .failure(RateError(message: "time: invalid duration \(quote(String(parts[1])))"))
        }
        return .success(Rate(freq: freq, per: per))
    }

    private static func quote(_ s: String) -> String { "\"" + s + "\"" }
}

/// A `-rate` or `-plan` value that does not parse.
public struct RateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, as Go's strconv/time packages word it.
    public var message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    /// The reason.
    public var description: String { message }
}
