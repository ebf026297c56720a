import BarrageCore
import Foundation
import Synchronization

/// The during-method hypothesis loop (§6.5), on its own thread.
final class ContinuousHypothesis: @unchecked Sendable {
    // @unchecked Sendable: the loop's thread reads only the `let`s; `started` and `stopped` are the runner
    // thread's alone (`start()` and `stop()` run there).
    private let runner: ActivityExecutor
    private let stopPipe = Spawn.makePipe()
    private let done = Spawn.makePipe()
    private var started = false
    private var stopped = false

    init(runner: ActivityExecutor) { self.runner = runner }

    func start() {
        started = true
        let freq = runner.options.hypothesisFrequency
        runner.log.info(
            "Executing the steady-state hypothesis continuously every \(JSON.pythonFloat(freq)) seconds",
            at: .init("run", 950))
        // The method starts once the first iteration's first probe has logged its line (chaostoolkit's order).
        let firstProbe = OSSemaphore()
        let signalled = Atomic<Bool>(false)
        let letMethodStart: @Sendable () -> Void = {
            if !signalled.exchange(true, ordering: .relaxed) { firstProbe.signal() }
        }
        let loop: @Sendable () -> Void = { [self] in
            defer {
                letMethodStart()
                var b: UInt8 = 1
                _ = write(done.write, &b, 1)
            }
            var total = 0
            var failedCount = 0
            while true {
                var p = pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)
                if poll(&p, 1, 0) > 0 { break }
                do {
                    let state = try runner.runHypothesis(interruptible: false, onFirstProbe: letMethodStart)
                    runner.appendDuring(state.json)
                    total += 1
                    if !state.met {
                        failedCount += 1
                        runner.log.warning(
                            "Continuous steady state probe '\(state.lastName)' is not in the given tolerance",
                            at: .init("run", 977))
                        if runner.options.failFast {
                            let pct = Double(failedCount) * 100 / Double(total)
                            runner.log.info(
                                "Terminating immediately the experiment after \(String(format: "%.1f", pct))% hypothesis deviated",
                                at: .init("run", 989))
                            runner.markFailed()
                            break
                        }
                    }
                } catch {
                    runner.markAborted()
                    break
                }
                if poll(&p, 1, Clock.pollMillis(freq)) > 0 { break }
            }
            runner.log.info("Continuous steady state hypothesis terminated", at: .init("run", 751))
        }
        guard let thread = OSThread.spawn(name: "barrage-steady", loop) else {
            runner.log.debug("no thread for the continuous hypothesis")
            started = false
            return
        }
        thread.detach()
        firstProbe.wait()
    }

    func stop() {
        guard started, !stopped else { return }
        stopped = true
        var b: UInt8 = 1
        _ = write(stopPipe.write, &b, 1)
        var p = pollfd(fd: done.read, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, -1) < 0 {}
        close(stopPipe.read)
        close(stopPipe.write)
        close(done.read)
        close(done.write)
    }
}

extension ActivityExecutor {
    func appendDuring(_ state: JSON) {
        var s = state
        if var probes = s["probes"]?.array {
            for k in probes.indices { probes[k]["__index"] = nil }
            s["probes"] = .array(probes)
        }
        lockedAppendDuring(s)
    }
}
