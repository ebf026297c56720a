import BarrageCore
import Fetch

/// The chaos side's HTTP requests (http provider, Prometheus, experiment URLs) through `FetchClient`, with its
/// errors as the runner raises them: connection failures and timeouts as chaostoolkit's `ActivityFailed` texts,
/// requests' uncaught exceptions as `ActivityAborted`, a signal as its `Interruption`.
enum HTTPCall {
    /// Sends `request`; a signal on `watch` (when given) stops it within a second.
    ///
    /// - Throws: `ActivityFailed`, `ActivityAborted` or `Interruption` (see the type's summary).
    static func send(_ request: FetchRequest, watch: SignalWatch?) throws -> FetchResponse {
        do {
            // The one place the client meets the signal watch: it asks, the watch answers with its interruption.
            return try FetchClient.send(request, interrupt: { watch?.take() })
        } catch {
            switch error {
            case .invalidRequest(let line): throw ActivityAborted(message: line, traceback: [line + "\n"])
            case .connection: throw ActivityFailed(error.description)
            case .timeout: throw ActivityFailed("activity took too long to complete")
            case .interrupted(let interruption): throw interruption
            }
        }
    }
}
