import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// The libcurl transport's request: a target turned into the C data libcurl reads (URL and method strings, a
/// header list and the body).
///
/// Immutable after creation and only read by libcurl, so one instance serves every thread (eager mode).
/// The memory is freed in `deinit`; the owner keeps the instance alive until every transfer using it is done.
final class CurlRequest: EngineRequest, @unchecked Sendable {  // Sendable: immutable after init; libcurl only reads it
    let method: String
    let url: String
    /// Go's `url.Error` operation: `Get`, `Post`, ...
    let errorOp: String
    let curlURL: UnsafeMutablePointer<CChar>
    /// CUSTOMREQUEST value, or nil for GET/HEAD/POST.
    let customMethod: UnsafeMutablePointer<CChar>?
    let isHead: Bool
    /// Whether the request sends a body (POSTFIELDS).
    let sendsBody: Bool
    let headers: UnsafeMutablePointer<curl_slist>?
    let body: UnsafeMutableRawPointer?
    let bodyCount: Int
    /// Whether the transport asks for gzip itself (Go's rule: not for HEAD, nor with the target's own
    /// Accept-Encoding or Range), and so decodes a gzip answer.
    let addsGzip: Bool

    convenience init(_ target: Target, options: AttackOptions) {
        self.init(target, attackName: options.name, chunked: options.chunked)
    }

    init(_ target: Target, attackName: String, chunked: Bool) {
        method = target.method
        url = target.url
        errorOp = Self.operation(target.method)
        // The path escaped as Go sends it (libcurl refuses a space; Go sends %20); `url` stays as written.
        curlURL = strdup(GoURL.wireForm(target.url)) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        isHead = target.method == "HEAD"
        // libcurl's own methods: GET (no body), HEAD (NOBODY) and POST (POSTFIELDS); anything else, including a
        // GET with a body, is sent as CUSTOMREQUEST over the POST machinery.
        let plain =
            (target.method == "GET" && target.body.isEmpty) || target.method == "HEAD"
            || target.method == "POST"
        customMethod = plain ? nil : strdup(target.method)
        sendsBody =
            !target.body.isEmpty || target.method == "POST" || target.method == "PUT"
            || target.method == "PATCH"
        bodyCount = target.body.count
        if target.body.isEmpty {
            body = nil
        } else {
            let p = UnsafeMutableRawPointer.allocate(byteCount: target.body.count, alignment: 1)
            target.body.withUnsafeBytes { raw in
                if let base = raw.baseAddress { p.copyMemory(from: base, byteCount: raw.count) }
            }
            body = p
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        func add(_ line: String) {
            if let l = curl_slist_append(list, line) { list = l }
        }
        var names = Set<String>()
        for h in target.headers {
            names.insert(h.name.lowercased())
            for v in h.values { add("\(h.name): \(v)") }
        }
        if !attackName.isEmpty { add("X-Vegeta-Attack: \(attackName)") }
        // What Go does not send but libcurl would add by default.
        if !names.contains("accept") { add("Accept:") }
        if sendsBody && !names.contains("expect") { add("Expect:") }
        if sendsBody && !names.contains("content-type") { add("Content-Type:") }
        if chunked && !target.body.isEmpty && !names.contains("transfer-encoding") {
            add("Transfer-Encoding: chunked")
        }
        addsGzip = !isHead && !names.contains("accept-encoding") && !names.contains("range")
        if addsGzip { add("Accept-Encoding: gzip") }
        headers = list
    }

    deinit {
        free(curlURL)
        if let customMethod { free(customMethod) }
        if let headers { curl_slist_free_all(headers) }
        body?.deallocate()
    }
}
