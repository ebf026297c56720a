internal import CCurl

/// What one `curl_easy_perform` collects through its callbacks, and the checks its progress callback makes.
///
/// Confined to the thread that runs the transfer; libcurl calls the callbacks on that thread, inside
/// `curl_easy_perform`, with this object passed unretained as their user data (it outlives the call).
final class TransferState {
    var body: [UInt8] = []
    /// The header lines of the last response head received (a new status line starts over, dropping 1xx heads).
    var headers: [(String, String)] = []
    /// The error the interrupt check returned, when it stopped the transfer.
    var interruption: (any Error)?
    /// Whether the read timeout stopped the transfer.
    var timedOut = false

    private let easy: UnsafeMutableRawPointer
    private let interrupt: () -> (any Error)?
    private let readTimeout: Duration?
    private let clock = ContinuousClock()
    private var lastActivity: ContinuousClock.Instant
    private var moved: (received: curl_off_t, sent: curl_off_t) = (0, 0)
    private var connected = false

    init(easy: UnsafeMutableRawPointer, readTimeout: Double?, interrupt: @escaping () -> (any Error)?) {
        self.easy = easy
        self.interrupt = interrupt
        self.readTimeout = readTimeout.flatMap {
            $0.isFinite && $0 >= 0 ? Duration.milliseconds(Int64($0 * 1000)) : nil
        }
        lastActivity = clock.now
    }

    /// Called by libcurl at least once a second: false stops the transfer (interrupted, or idle too long).
    func progress(received: curl_off_t, sent: curl_off_t) -> Bool {
        if let error = interrupt() {
            interruption = error
            return false
        }
        guard let readTimeout else { return true }
        if !connected {
            // The read timeout starts once the connection (and its TLS handshake) is up: before, the connect
            // timeout rules, as in requests.
            var seconds: curl_off_t = 0
            _ = ccurl_easy_getinfo_off(easy, CURLINFO_APPCONNECT_TIME_T, &seconds)
            if seconds == 0 { _ = ccurl_easy_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &seconds) }
            guard seconds > 0 else { return true }
            connected = true
            lastActivity = clock.now
        }
        if (received, sent) != moved {
            moved = (received, sent)
            lastActivity = clock.now
        } else if clock.now - lastActivity > readTimeout {
            timedOut = true
            return false
        }
        return true
    }

    /// Notes bytes arriving outside the body counters (header lines).
    func touched() { lastActivity = clock.now }

    /// One header line as libcurl hands it over (`Name: value\r\n`, or a status line).
    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        touched()
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = []
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingPrefix { $0 == " " || $0 == "\t" }
        headers.append((name, String(value.reversed().drop { $0.isWhitespace }.reversed())))
    }
}

/// WRITEFUNCTION: appends body bytes to the transfer's state.
let fetchWriteBody: ccurl_data_cb = { ptr, size, count, user in
    let n = size * count
    guard let user else { return n }
    let state = Unmanaged<TransferState>.fromOpaque(user).takeUnretainedValue()
    state.touched()
    state.body.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: n))
    return n
}

/// HEADERFUNCTION: one header line per call.
let fetchWriteHeader: ccurl_data_cb = { ptr, size, count, user in
    let n = size * count
    guard let user else { return n }
    Unmanaged<TransferState>.fromOpaque(user).takeUnretainedValue().headerLine(
        UnsafeRawBufferPointer(start: ptr, count: n))
    return n
}

/// XFERINFOFUNCTION: non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
let fetchProgress: ccurl_xferinfo_cb = { user, _, received, _, sent in
    guard let user else { return 0 }
    return Unmanaged<TransferState>.fromOpaque(user).takeUnretainedValue().progress(received: received, sent: sent)
        ? 0 : 1
}
