import BarrageCore
import Encoder

/// When each hit is due: an absolute schedule, so nothing drifts and a late loop catches up.
///
/// Hit n (from 0) of a constant rate is due `(n+1) * interval` after the start, as vegeta's ConstantPacer.
public enum Pacer: Sendable, Equatable {
    /// `-rate=0`: no schedule; the engine keeps `-max-workers` requests in flight.
    case unlimited
    /// A constant rate; `interval` in nanoseconds (vegeta's `Per/Freq`, integer division).
    case constant(interval: Int64)
    /// `-ramp`: linear from 0 to `perSecond` over `over` nanoseconds, then constant.
    case ramp(perSecond: Double, over: Int64)
    /// `-plan`: steps of constant rate, each until its end offset (nanoseconds since the start).
    case plan([PlanStep])
    /// A negative rate: vegeta's pacer stops at once and nothing is sent.
    case stopped

    /// Builds the pacer for a `-rate` value (and optional `-ramp`).
    public static func make(rate: Rate, ramp: Int64 = 0) -> Pacer {
        if rate.freq < 0 || rate.per < 0 { return .stopped }
        if rate.freq == 0 || rate.per == 0 { return .unlimited }
        if ramp > 0 { return .ramp(perSecond: rate.perSecond, over: ramp) }
        return .constant(interval: max(1, rate.per / rate.freq))
    }

    /// Offset from the start (ns) at which hit `n` is due, or nil when the schedule has ended.
    @inline(__always)
    public func due(_ n: UInt64) -> Int64? {
        switch self {
        case .unlimited: return 0
        case .stopped: return nil
        case .constant(let interval):
            let (v, o) = Int64(n + 1).multipliedReportingOverflow(by: interval)
            return o ? nil : v
        case .ramp(let r, let over):
            let T = Double(over) / 1e9
            let k = Double(n + 1)
            let rampHits = r * T / 2
            let t = k <= rampHits ? (2 * T * k / r).squareRoot() : T + (k - rampHits) / r
            let ns = t * 1e9
            return ns < 9e18 ? Int64(ns) : nil  // beyond ~285 years: the schedule has ended
        case .plan(let steps):
            var start: Int64 = 0
            var before = 0.0
            let k = Double(n + 1)
            for step in steps {
                let length = Double(step.end - start) / 1e9
                let hits = step.perSecond * length
                if step.perSecond > 0 && k <= before + hits {
                    return start + Int64((k - before) / step.perSecond * 1e9)
                }
                before += hits
                start = step.end
            }
            return nil
        }
    }
}

/// One step of a `-plan`: `perSecond` hits per second until `end` ns after the start.
public struct PlanStep: Sendable, Equatable {
    /// The step's rate.
    public var perSecond: Double
    /// When the step ends, in nanoseconds since the start.
    public var end: Int64

    /// Creates a step.
    public init(perSecond: Double, end: Int64) {
        self.perSecond = perSecond
        self.end = end
    }

    /// Parses `RATE@END,RATE@END,...` (RATE as `-rate`: `50` or `100/2s`; END a duration since the start,
    /// increasing).
    public static func parsePlan(_ text: String) -> Swift.Result<[PlanStep], RateError> {
        var steps: [PlanStep] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "@")
            guard parts.count == 2 else {
                return .failure(RateError(message: "bad plan step \"\(item)\": want RATE@END, e.g. 50@10s"))
            }
            let rate: Rate
            switch Rate.parse(String(parts[0]), current: Rate(freq: 0)) {
            case .success(let r): rate = r
            case .failure(let e): return .failure(RateError(message: "bad plan step \"\(item)\": \(e.message)"))
            }
            guard rate.freq >= 0, rate.per > 0 || rate.freq == 0 else {
                return .failure(RateError(message: "bad plan step \"\(item)\": rate must be positive"))
            }
            guard let end = GoDuration.parse(String(parts[1])), end > (steps.last?.end ?? 0) else {
                return .failure(
                    RateError(message: "bad plan step \"\(item)\": END must be a duration after the previous step's"))
            }
            steps.append(PlanStep(perSecond: rate.perSecond, end: end))
        }
        guard !steps.isEmpty else { return .failure(RateError(message: "empty plan")) }
        return .success(steps)
    }
}
