import BarrageCore
import Foundation
import Synchronization

/// Background activities (`"background": true`): each on its own thread, as chaoslib's thread pool runs them.
extension ActivityExecutor {
    func startBackground(_ activity: Activity, into section: JournalBuilder.Section) {
        backgroundPending.withLock { $0 += 1 }
        // The loop goes on once the thread has logged its first line (its pause or its "[in background]" line), so
        // the console order is the one chaostoolkit's thread pool gives.
        let started = OSSemaphore()
        let body: @Sendable () -> Void = { [self] in
            defer {
                var byte: UInt8 = 1
                _ = write(backgroundDone.write, &byte, 1)
            }
            do {
                _ = try execute(
                    activity, into: section, interruptible: false, abortFD: abortPipe.read,
                    onStarted: { started.signal() })
            } catch {
                log.debug("background activity stopped: " + log.masked("\(error)"))
            }
        }
        if let thread = OSThread.spawn(name: "chaos-activity", body) {
            thread.detach()
        } else {
            body()  // no thread to be had: the activity runs in the foreground instead
        }
        started.wait()
    }

    /// Waits for every background activity started so far (`pool.shutdown(wait=True)`).
    func waitBackground(interruptible: Bool) throws {
        while backgroundPending.withLock({ $0 }) > 0 {
            let watch = interruptible ? signals : SignalWatch.none
            if try watch.wait(fd: backgroundDone.read, events: Int16(POLLIN), timeout: nil) {
                var byte: UInt8 = 0
                if read(backgroundDone.read, &byte, 1) == 1 { backgroundPending.withLock { $0 -= 1 } }
            }
        }
    }

    func awaitBackground() {
        do {
            try waitBackground(interruptible: false)
        } catch {}
    }

    /// SIGUSR2: background activities are stopped and recorded as failed.
    func abortBackground() {
        var byte: UInt8 = 1
        _ = write(abortPipe.write, &byte, 1)
    }
}
