import BarrageCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Python controls (reference §7) run through one dedicated bridge, so a control module keeps its state (threads,
/// counters) for the whole run. Exceptions are logged at DEBUG and ignored, except InterruptExecution (the run is
/// interrupted) and SystemExit (like the SIGUSR1/SIGUSR2 exits).
final class Controls: Sendable {
    struct Control {
        var name: String
        var module: String
        var arguments: JSON
        var scope: String?
        var automatic: Bool
    }

    private let log: ChaosLog
    private let bridges: BridgePool
    /// The control bridge (used with the mutex held by whichever thread runs a hook) and whether the log pump
    /// should go on.
    private let state = Mutex<(bridge: PythonBridge?, pumping: Bool)>((nil, true))
    /// Settings and `--control-file` controls, then the experiment's top-level ones.
    let global: [Control]

    init(global: [Control], log: ChaosLog, bridges: BridgePool) {
        self.global = global
        self.log = log
        self.bridges = bridges
    }

    /// Parses a `controls` list (experiment, hypothesis, activity); refs point at top-level controls.
    static func parse(list: JSON?, topLevel: [Control] = []) -> [Control] {
        (list?.array ?? []).compactMap { c in
            if let ref = c["ref"]?.string { return topLevel.first { $0.name == ref } }
            return parse(name: c["name"]?.pythonString ?? "", c)
        }
    }

    /// Parses a settings/control-file mapping `name -> control`.
    static func parse(mapping: JSON?) -> [Control] {
        (mapping?.members ?? []).compactMap { parse(name: $0.key, $0.value) }
    }

    private static func parse(name: String, _ c: JSON) -> Control? {
        guard let provider = c["provider"], provider["type"]?.string == "python",
            let module = provider["module"]?.string
        else { return nil }
        return Control(
            name: name, module: module, arguments: provider["arguments"] ?? .object([]), scope: c["scope"]?.string,
            automatic: c["automatic"] != .bool(false))
    }

    var isEmpty: Bool { global.isEmpty }

    /// Calls `hook` on every control; `payload` holds the keyword arguments on offer (context, state, ...).
    func call(_ controls: [Control], hook: String, payload: [String: JSON], substitution: Substitution) throws {
        let when = hook.hasPrefix("before") ? "before" : hook.hasPrefix("after") ? "after" : nil
        for control in controls {
            if let when, let scope = control.scope, scope != when { continue }
            var request = JSON.object([])
            request["op"] = .string("control")
            request["module"] = .string(control.module)
            request["hook"] = .string(hook)
            // chaoslib calls cleanup_control() with no arguments at all.
            let bare = hook == "cleanup_control"
            let arguments = substitution.isEmpty ? control.arguments : substitution.apply(control.arguments)
            request["arguments"] = bare ? .object([]) : arguments
            request["given"] = .array(bare ? [] : payload.keys.sorted().map { .string($0) })
            for (k, v) in payload { request[k] = v }
            let answer: JSON
            do {
                answer = try state.withLock { (state) throws -> JSON in
                    if state.bridge == nil {
                        state.bridge = try bridges.acquire()
                        startLogPump()
                    }
                    guard let bridge = state.bridge else { return .null }
                    return try bridge.request(request, watch: nil, abortFD: -1) { self.log.python($0) }
                }
            } catch {
                log.debug("control '\(control.name)' \(hook) failed: " + log.masked("\(error)"))
                continue
            }
            if let message = answer["interrupt"]?.string { throw Interruption.control(message) }
            if case .int(let code)? = answer["exit"] { throw Interruption.exit(Int32(truncatingIfNeeded: code)) }
            if let error = answer["error"]?.string {
                log.debug("control '\(control.name)' \(hook) raised: " + log.masked(error))
            }
            if answer["missing"] != nil { log.debug("control module '\(control.module)' cannot be imported") }
        }
    }

    /// Shows what the control module logged on its own threads (a safeguard's CRITICAL line before it exits the run).
    func drainLogs() {
        state.withLock { $0.bridge?.drainLogs { self.log.python($0) } }
    }

    /// Between hooks, a control module's own threads may log (safeguards do): show those lines within ~20 ms.
    private func startLogPump() {
        let pump = OSThread.spawn(name: "barrage-ctl-log") { [self] in
            while state.withLock({ $0.pumping }) {
                drainLogs()
                usleep(20_000)
            }
        }
        pump?.detach()
    }

    func shutdown() {
        state.withLock {
            $0.pumping = false
            if let bridge = $0.bridge { bridges.release(bridge) }
            $0.bridge = nil
        }
    }
}
