import BarrageCore
import CNghttp2

/// One HTTP/2 connection's nghttp2 client session: framing, HPACK and flow control are nghttp2's; what arrives for
/// a stream goes straight into the slot of its hit, and closed streams wait in `closed` for the transport.
///
/// nghttp2 calls back into this object while it reads (`receive`) or writes (`gather`); the callbacks only record,
/// so hits are finished outside nghttp2's calls.
final class H2Session {
    /// `nghttp2_session *`.
    private(set) var session: OpaquePointer?
    unowned(unsafe) let transport: NativeTransport
    /// Streams open on it.
    var active = 0
    /// Whether the server's SETTINGS arrived (until then at most `initialStreams` are opened, as Go's transport).
    var settled = false
    /// The server sent GOAWAY: no new streams; Go names it when the connection then ends.
    var goingAway = false
    var goAwayText = ""
    /// Streams nghttp2 closed since the transport last looked: the slot and the stream's error code (0 for a
    /// complete response).
    var closed: [(slot: Int, stream: Int32, code: UInt32)] = []
    /// Frames to write, gathered so one write carries many.
    var out: [UInt8] = []
    var outSent = 0

    static let initialStreams = 100
    /// Go's transport: 4 MiB per stream, 1 GiB for the connection.
    static let streamWindow: UInt32 = 4 << 20
    static let connectionWindow: Int32 = 1 << 30

    init?(transport: NativeTransport) {
        self.transport = transport
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else { return nil }
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks, H2Session.onHeader)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, H2Session.onData)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, H2Session.onFrame)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, H2Session.onClose)
        var options: OpaquePointer?
        guard nghttp2_option_new(&options) == 0, let options else { return nil }
        defer { nghttp2_option_del(options) }
        // Go's checks of a response, not nghttp2's: a bad or repeated content-length is ignored, a body cut short
        // of it is "unexpected EOF", a :status that is not a number is its own error.
        nghttp2_option_set_no_http_messaging(options, 1)
        var s: OpaquePointer?
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard nghttp2_session_client_new2(&s, callbacks, me, options) == 0 else { return nil }
        session = s
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: H2Session.streamWindow),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: 10 << 20),
        ]
        nghttp2_submit_settings(s, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        nghttp2_session_set_local_window_size(s, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, H2Session.connectionWindow)
    }

    deinit { nghttp2_session_del(session) }

    /// No new streams (`-keepalive=false`: one request per connection, as Go's transport); it closes when idle.
    var retiring = false

    /// Streams it may open now: the server's limit (100 until its SETTINGS arrive), less those open.
    var capacity: Int {
        guard !goingAway, !retiring, let session else { return 0 }
        let limit = Int(nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS))
        return min(limit, settled ? Int(Int32.max) : H2Session.initialStreams) - active
    }

    /// Feeds received bytes to nghttp2; false on a connection error (the session is then unusable).
    func receive(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        nghttp2_session_mem_recv(session, bytes, count) >= 0
    }

    /// Gathers what nghttp2 wants to send into `out` once the last gathering is written (a TLS write that must
    /// be retried keeps its bytes); false on a fatal error.
    func gather() -> Bool {
        guard outSent == out.count else { return true }
        out.removeAll(keepingCapacity: true)
        outSent = 0
        while true {
            var data: UnsafePointer<UInt8>?
            let n = nghttp2_session_mem_send(session, &data)
            if n < 0 { return false }
            guard n > 0, let data else { return true }
            out.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
        }
    }

    /// Whether nghttp2 has nothing more to read or write: the connection has ended for it.
    var finished: Bool { nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 }

    /// Cancels a stream (a hit timed out): nothing of it reaches its slot afterwards.
    func cancel(_ stream: Int32) {
        nghttp2_session_set_stream_user_data(session, stream, nil)
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
    }

    // MARK: nghttp2's callbacks (C functions: `user_data` is this object, a stream's data its slot)

    private static func owner(_ user: UnsafeMutableRawPointer?) -> H2Session? {
        guard let user else { return nil }
        return Unmanaged<H2Session>.fromOpaque(user).takeUnretainedValue()
    }

    /// The slot of `stream`, when the stream still belongs to a hit. A stream's data is its slot, unretained
    /// (the transport keeps every slot as long as its sessions).
    private func slot(_ stream: Int32) -> NativeSlot? {
        guard let session, let data = nghttp2_session_get_stream_user_data(session, stream) else { return nil }
        let slot = Unmanaged<NativeSlot>.fromOpaque(data).takeUnretainedValue()
        return slot.active && slot.h2Stream == stream ? slot : nil
    }

    private static let onHeader: nghttp2_on_header_callback = {
        _, frame, name, nameLength, value, valueLength, _, user in
        guard let h2 = owner(user), let frame, let name, let value,
            let slot = h2.slot(frame.pointee.hd.stream_id)
        else { return 0 }
        let n = UnsafeBufferPointer(start: name, count: nameLength)
        let v = UnsafeBufferPointer(start: value, count: valueLength)
        h2.transport.h2Header(slot, name: n, value: v)
        // A response Go refuses: the stream is reset and the hit gets the slot's error.
        return slot.h2LocalError.isEmpty ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
    }

    private static let onData: nghttp2_on_data_chunk_recv_callback = { _, _, stream, data, length, user in
        guard let h2 = owner(user), let data, let slot = h2.slot(stream) else { return 0 }
        h2.transport.keepBody(slot, data, length, gzip: slot.h2Gzip)
        if slot.h2Remaining > 0 { slot.h2Remaining -= length }
        return 0
    }

    private static let onFrame: nghttp2_on_frame_recv_callback = { _, frame, user in
        guard let h2 = owner(user), let frame else { return 0 }
        let hd = frame.pointee.hd
        switch UInt32(hd.type) {
        case NGHTTP2_SETTINGS.rawValue where hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0:
            h2.settled = true
        case NGHTTP2_GOAWAY.rawValue:
            h2.goingAway = true
            let g = frame.pointee.goaway
            let debug = g.opaque_data.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: g.opaque_data_len), as: UTF8.self)
            }
            h2.goAwayText =
                "http2: server sent GOAWAY and closed the connection; LastStreamID=\(g.last_stream_id), "
                + "ErrCode=\(H2Errors.codeName(g.error_code)), debug=\(goQuote(debug ?? ""))"
        case NGHTTP2_HEADERS.rawValue:
            guard let slot = h2.slot(hd.stream_id), slot.h2Status >= 200 else { break }
            slot.h2HeadersDone = true
            // A response without DATA has no body whatever its content-length says.
            if hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0 { slot.h2Remaining = -1 }
        case NGHTTP2_RST_STREAM.rawValue:
            h2.slot(hd.stream_id)?.h2ResetByPeer = true
        default: break
        }
        return 0
    }

    /// The request body of a stream, from where the last call stopped.
    static let readBody: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, user in
        guard let h2 = owner(user), let buffer, let flags, let slot = h2.slot(stream), let wire = slot.wire else {
            flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let body = wire.target.body
        let n = min(length, body.count - slot.h2BodySent)
        body.withUnsafeBytes { raw in
            if let base = raw.baseAddress, n > 0 {
                buffer.update(from: base.assumingMemoryBound(to: UInt8.self) + slot.h2BodySent, count: n)
            }
        }
        slot.h2BodySent += n
        if slot.h2BodySent >= body.count { flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
        return n
    }

    private static let onClose: nghttp2_on_stream_close_callback = { _, stream, code, user in
        guard let h2 = owner(user), let slot = h2.slot(stream) else { return 0 }
        h2.closed.append((slot.index, stream, code))
        return 0
    }
}
