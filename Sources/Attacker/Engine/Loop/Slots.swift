/// What an event loop needs from a transport (libcurl or the native HTTP/1.1 one): free transfer slots, sending
/// a hit on one, and waiting for I/O. The pacing, sequence numbers and result hand-off live in `LoopDriver`,
/// shared by both.
///
/// A transport appends finished results to `core.batch`.
protocol EngineTransport: AnyObject {
    /// The transport's own request type, built from the targets only when this transport runs.
    associatedtype Request: EngineRequest
    var core: LoopCore { get }
    /// Transfers started and not yet finished.
    var inFlight: Int { get }
    /// Reserves an idle slot for the next `send`; false when none is idle.
    func takeIdleSlot() -> Bool
    /// Adds a slot (when under the loop's cap) and reserves it.
    func growSlot() -> Bool
    /// Gives back the slot reserved by `takeIdleSlot`/`growSlot` without sending.
    func returnSlot()
    /// Starts hit `seq` to `target` on the reserved slot; `now` is its start time.
    func send(seq: UInt64, target: Request, now: Int64)
    /// Waits up to `wait` ns (-1: no limit of the caller's), handles what is ready and finishes transfers.
    /// Returns the clock read that finished transfers got as their end time.
    func poll(wait: Int64, now: Int64) -> Int64
}

/// A transfer slot a transport keeps in a `SlotPool`.
protocol PooledSlot: AnyObject {
    /// Its place in the pool.
    var index: Int { get }
}

/// A transport's slots: created up front, grown up to a cap, handed out from a free list. One slot at a time is
/// reserved for the next `send`.
struct SlotPool<S: PooledSlot> {
    private(set) var all: [S] = []
    private var idle: [Int] = []
    private var reserved: S?
    let cap: Int

    init(cap: Int) { self.cap = max(1, cap) }

    var canGrow: Bool { all.count < cap }
    var count: Int { all.count }
    subscript(i: Int) -> S { all[i] }

    mutating func add(_ slot: S) {
        all.append(slot)
        idle.append(slot.index)
    }

    /// Reserves an idle slot; false when none is idle.
    mutating func reserve() -> Bool {
        guard let i = idle.popLast() else { return false }
        reserved = all[i]
        return true
    }

    /// The reserved slot, now taken for a send.
    mutating func claim() -> S? {
        defer { reserved = nil }
        return reserved
    }

    /// Gives the reserved slot back unused.
    mutating func unreserve() {
        if let slot = reserved { idle.append(slot.index) }
        reserved = nil
    }

    /// A finished slot becomes idle.
    mutating func free(_ slot: S) { idle.append(slot.index) }
}
