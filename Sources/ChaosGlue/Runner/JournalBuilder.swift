import BarrageCore
import Foundation
import Synchronization

/// The journal of one run (reference §6.1): the status, `deviated`, the activity records, the continuous
/// hypothesis states and the tolerances probe tolerances were given, then the assembled document (`SecretMask`
/// masks it).
///
/// Shared with background-activity and continuous-hypothesis threads; everything mutable is inside `state`. A
/// record's own fields are written by the thread that runs its activity and read once every thread has been joined.
final class JournalBuilder: Sendable {
    /// Where an activity's record goes.
    enum Section { case run, rollbacks }

    private struct State {
        var status: RunStatus?
        var deviated = false
        var runRecords: [Record] = []
        var rollbackRecords: [Record] = []
        var during: [JSON] = []
        /// Probe tolerances as chaoslib leaves them (with the injected `value`), by hypothesis probe index.
        var injected: [Int: JSON] = [:]
    }

    private let state = Mutex(State())

    func setStatus(_ s: RunStatus) { state.withLock { $0.status = s } }
    var status: RunStatus? { state.withLock { $0.status } }
    func markDeviated() { state.withLock { $0.deviated = true } }
    var isDeviated: Bool { state.withLock { $0.deviated } }
    func appendDuring(_ s: JSON) { state.withLock { $0.during.append(s) } }
    func inject(_ tolerance: JSON, probe index: Int) { state.withLock { $0.injected[index] = tolerance } }

    func append(_ record: Record, to section: Section) {
        switch section {
        case .run: state.withLock { $0.runRecords.append(record) }
        case .rollbacks: state.withLock { $0.rollbackRecords.append(record) }
        }
    }

    /// A section's records as they stand (the `state` of the after-method and after-rollback controls).
    func records(_ section: Section) -> JSON {
        let records = state.withLock { section == .run ? $0.runRecords : $0.rollbackRecords }
        return .array(records.map { $0.json(injected: [:]) })
    }

    /// The journal document (before masking), once every activity thread has ended.
    func assemble(
        experiment: JSON, start: (seconds: Int, micros: Int), end: (seconds: Int, micros: Int), duration: Double,
        before: JSON, after: JSON
    ) -> JSON {
        let s = state.withLock { $0 }
        let injected = s.injected
        let finalStatus = s.status ?? .completed
        let isDeviated = s.deviated
        var experimentOut = experiment
        for (i, tolerance) in injected {
            if var probes = experimentOut["steady-state-hypothesis"]?["probes"]?.array, i < probes.count {
                probes[i]["tolerance"] = tolerance
                experimentOut["steady-state-hypothesis"]?["probes"] = .array(probes)
            }
        }
        let journal = JSON.object([
            .init("chaoslib-version", .string("1.44.0")),
            .init("platform", .string(Self.platform())),
            .init("node", .string(Self.node())),
            .init("experiment", experimentOut),
            .init("start", .string(Clock.isoUTC(start))),
            .init("status", .string(finalStatus.rawValue)),
            .init("deviated", .bool(isDeviated)),
            .init(
                "steady_states",
                .object([
                    .init("before", Self.withInjected(before, injected)),
                    .init("after", Self.withInjected(after, injected)),
                    .init("during", .array(s.during)),
                ])),
            .init("run", .array(s.runRecords.map { $0.json(injected: injected) })),
            .init("rollbacks", .array(s.rollbackRecords.map { $0.json(injected: injected) })),
            .init("end", .string(Clock.isoUTC(end))),
            .init("duration", .double(duration)),
        ])
        return journal
    }

    private static func withInjected(_ state: JSON, _ injected: [Int: JSON]) -> JSON {
        guard var probes = state["probes"]?.array else { return state }
        var out = state
        for (k, p) in probes.enumerated() {
            if case .int(let i)? = p["__index"], let tol = injected[i] { probes[k]["activity"]?["tolerance"] = tol }
            probes[k]["__index"] = nil
        }
        out["probes"] = .array(probes)
        return out
    }

    /// `platform.node()`: the kernel's node name.
    static func node() -> String {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: u.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func platform() -> String {
        var u = utsname()
        uname(&u)
        func field<T>(_ t: T) -> String {
            withUnsafeBytes(of: t) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var buf = [CChar](repeating: 0, count: 64)
        _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &buf, 64)
        let libc = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .replacingOccurrences("glibc ", "")
        return "\(field(u.sysname))-\(field(u.release))-\(field(u.machine))-with-glibc\(libc)"
    }
}
