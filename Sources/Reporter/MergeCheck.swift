public import Encoder

/// Checks that several result files read as one attack look like one: the files of one attack name (say one per
/// shard of `attack -shard`) should overlap in time and never repeat a seq.
///
/// Memory is constant per file: its time span, its seq range and the step its seqs advance by (the greatest common
/// divisor of their distances from the first one; a shard's seqs K, K+N, ... have step N). Two files share a seq
/// when their progressions meet inside both ranges, which is exact for files whose seqs are whole progressions (a
/// shard's, an unsharded attack's) and errs towards a warning otherwise.
public struct MergeCheck: Sendable {
    /// What one file's records showed.
    struct Span: Sendable {
        var attack = ""
        var count: UInt64 = 0
        var firstSeq: UInt64 = 0
        var minSeq: UInt64 = .max
        var maxSeq: UInt64 = 0
        /// Every seq is `firstSeq` plus a multiple of it (0 while all seqs are equal).
        var step: UInt64 = 0
        var earliest: Int64 = .max
        var end: Int64 = .min
    }

    /// The files' names, as the warnings print them.
    public let names: [String]
    var spans: [Span]
    /// The most file pairs one warning line names.
    static let pairsShown = 8

    /// Prepares the check of the files `names` (in the order the reader was given them).
    public init(names: [String]) {
        self.names = names
        spans = Array(repeating: Span(), count: names.count)
    }

    /// Takes one record of file `input` (its place in `names`).
    public mutating func add(_ r: ResultStats, input: Int) {
        guard spans.indices.contains(input) else { return }
        spans[input].add(r)
    }

    /// One line per problem found (without a trailing newline): the pairs of files of one attack name whose time
    /// ranges do not overlap, and the pairs whose seqs collide. Empty when the files look like one attack.
    public func warnings() -> [String] {
        var apart: [String] = []
        var colliding: [String] = []
        for i in spans.indices where spans[i].count > 0 {
            for j in spans.indices where j > i && spans[j].count > 0 && spans[j].attack == spans[i].attack {
                let (a, b) = (spans[i], spans[j])
                if a.end < b.earliest || b.end < a.earliest { apart.append("\(names[i]) and \(names[j])") }
                if a.sharesSeq(with: b) { colliding.append("\(names[i]) and \(names[j])") }
            }
        }
        var lines: [String] = []
        if !apart.isEmpty {
            lines.append(
                "report: warning: time ranges do not overlap: \(MergeCheck.list(apart)) "
                    + "(not one attack started together; see -start-at)")
        }
        if !colliding.isEmpty {
            lines.append(
                "report: warning: seqs collide: \(MergeCheck.list(colliding)) "
                    + "(the same shard run twice, or unsharded attacks merged)")
        }
        return lines
    }

    private static func list(_ pairs: [String]) -> String {
        let shown = pairs.prefix(pairsShown).joined(separator: "; ")
        return pairs.count > pairsShown ? shown + "; and \(pairs.count - pairsShown) more pairs" : shown
    }
}

extension MergeCheck.Span {
    mutating func add(_ r: ResultStats) {
        if count == 0 {
            attack = r.attack
            firstSeq = r.seq
        } else {
            let distance = r.seq >= firstSeq ? r.seq - firstSeq : firstSeq - r.seq
            if step == 0 {
                step = distance
            } else if distance % step != 0 {
                step = MergeCheck.gcd(step, distance)
            }
        }
        count += 1
        minSeq = min(minSeq, r.seq)
        maxSeq = max(maxSeq, r.seq)
        let start = r.timestamp.unixNanoseconds
        earliest = min(earliest, start)
        end = max(end, start &+ max(0, r.latency))
    }

    /// Whether some seq lies on both files' progressions and inside both files' seq ranges.
    func sharesSeq(with other: MergeCheck.Span) -> Bool {
        let lo = max(minSeq, other.minSeq)
        let hi = min(maxSeq, other.maxSeq)
        guard lo <= hi else { return false }
        if step == 0 { return (lo...hi).contains(firstSeq) && other.holds(firstSeq) }
        if other.step == 0 { return (lo...hi).contains(other.firstSeq) && holds(other.firstSeq) }
        // x ≡ firstSeq (mod step) and x ≡ other.firstSeq (mod other.step): solvable iff the gcd divides the
        // difference; the solutions then repeat every lcm. Computed in 128 bits, where no product of two seqs
        // overflows.
        let (a, ga) = (UInt128(firstSeq), UInt128(step))
        let (b, gb) = (UInt128(other.firstSeq), UInt128(other.step))
        let d = UInt128(MergeCheck.gcd(step, other.step))
        let difference = (b + gb * (a / gb + 1) - a) % gb  // (b - a) mod gb, kept positive
        guard difference % d == 0 else { return false }
        let m = gb / d
        let t = m == 1 ? 0 : (difference / d % m) * MergeCheck.inverse(ga / d % m, modulo: m) % m
        let lcm = ga * m
        let x0 = (a + ga * t) % lcm
        let base = UInt128(lo) % lcm
        let fromLo = x0 >= base ? x0 - base : x0 + (lcm - base)  // from lo up to the first solution
        return fromLo <= UInt128(hi - lo)
    }

    /// Whether `seq` is on this file's progression (not checking the range).
    func holds(_ seq: UInt64) -> Bool {
        let distance = seq >= firstSeq ? seq - firstSeq : firstSeq - seq
        return step == 0 ? distance == 0 : distance % step == 0
    }
}

extension MergeCheck {
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// The inverse of `a` modulo `m` (`a` and `m` coprime, m > 1), by the extended Euclidean algorithm.
    static func inverse(_ a: UInt128, modulo m: UInt128) -> UInt128 {
        var (r0, r1) = (Int128(m), Int128(a))
        var (t0, t1): (Int128, Int128) = (0, 1)
        while r1 != 0 {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (t0, t1) = (t1, t0 - q * t1)
        }
        let mm = Int128(m)
        return UInt128(((t0 % mm) + mm) % mm)
    }
}
