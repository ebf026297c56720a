/// One result reduced to what the plot needs, while it waits for its turn in seq order.
package struct HeldPoint: Equatable {
    /// Wall-clock start of the hit, Unix nanoseconds.
    package var timestamp: Int64
    /// Latency in nanoseconds.
    package var latency: Int64
    /// HTTP status code (0 when no response).
    package var code: UInt16
    /// True when the result carries an error text (the ERROR series).
    package var isError: Bool
    /// Which of the attack's series groups the point belongs to (its input file with `-by=file`; else 0). Sits in
    /// what was padding, so a held point takes no more room.
    package var group: UInt16

    package init(timestamp: Int64, latency: Int64, code: UInt16, isError: Bool, group: UInt16 = 0) {
        self.timestamp = timestamp
        self.latency = latency
        self.code = code
        self.isError = isError
        self.group = group
    }
}

/// Where a reorder buffer releases points (a protocol rather than a closure so the release path is specialised
/// and the series it updates can be a plain struct next to the buffer).
package protocol HeldPointSink {
    /// Takes the next point in seq order.
    mutating func take(_ point: HeldPoint)
}

/// Puts one attack's results back in seq order, as vegeta's plot does, with memory bounded by a window.
///
/// Results complete out of order; vegeta holds a point until every lower seq has arrived. Here the held points
/// live in a ring indexed by `seq & mask`, so the in-order case costs one comparison and the out-of-order case
/// one slot write, with no hashing. The ring grows by doubling up to `window` slots. A seq `window` or more
/// ahead of the oldest missing one means that gap will not be filled in any useful time (vegeta would hold every
/// later point forever and never plot them); the missing seqs are given up on and the held points are released
/// in order. A seq lower than the next expected one (a duplicate of one already plotted, or one given up on) is
/// dropped. Points still held at the end of input are not plotted, as in vegeta.
package struct ReorderBuffer {
    /// The lowest seq not yet released.
    package private(set) var next: UInt64 = 0
    /// How many points are waiting.
    package private(set) var held = 0
    /// Points dropped because their seq was already released or given up on.
    package private(set) var dropped = 0
    private var slots: [HeldPoint?] = []
    private let window: Int

    /// - Parameter window: the most seqs held ahead of the oldest missing one; a power of two is used.
    package init(window: Int = 1 << 18) {
        var w = 2
        while w < window { w <<= 1 }
        self.window = w
    }

    /// Takes one point and releases, in seq order, every point that no longer waits for a lower seq.
    package mutating func insert<Sink: HeldPointSink>(seq: UInt64, _ point: HeldPoint, into sink: inout Sink) {
        if seq < next {
            dropped += 1
            return
        }
        if seq == next && held == 0 {
            next &+= 1
            sink.take(point)
            return
        }
        if seq - next >= UInt64(window) {
            skip(to: seq - UInt64(window) + 1, into: &sink)
        }
        let distance = Int(seq - next)
        if distance >= slots.count { grow(toHold: distance + 1) }
        let mask = UInt64(slots.count - 1)
        let i = Int(seq & mask)
        if slots[i] == nil { held += 1 }
        slots[i] = point  // a duplicate seq overwrites, as in vegeta's map
        drain(into: &sink)
    }

    private mutating func drain<Sink: HeldPointSink>(into sink: inout Sink) {
        guard held > 0 else { return }
        let mask = UInt64(slots.count - 1)
        while held > 0, let p = slots[Int(next & mask)] {
            slots[Int(next & mask)] = nil
            held -= 1
            next &+= 1
            sink.take(p)
        }
    }

    /// Gives up on every missing seq below `target`, releasing the held points below it in order.
    private mutating func skip<Sink: HeldPointSink>(to target: UInt64, into sink: inout Sink) {
        let mask = UInt64(max(slots.count, 1) - 1)
        while held > 0 && next < target {
            if let p = slots[Int(next & mask)] {
                slots[Int(next & mask)] = nil
                held -= 1
                sink.take(p)
            }
            next &+= 1
        }
        if next < target { next = target }
        drain(into: &sink)
    }

    private mutating func grow(toHold count: Int) {
        var size = max(slots.count, 64)
        while size < count { size <<= 1 }
        let old = slots
        let oldMask = UInt64(max(old.count, 1) - 1)
        let newMask = UInt64(size - 1)
        slots = [HeldPoint?](repeating: nil, count: size)
        guard held > 0 else { return }
        var seq = next
        var found = 0
        while found < held {
            if let p = old[Int(seq & oldMask)] {
                slots[Int(seq & newMask)] = p
                found += 1
            }
            seq &+= 1
        }
    }
}
