import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// libcurl's process-wide state.
enum CurlLibrary {
    /// `curl_global_init`, once per process, before the first event-loop thread starts (Swift runs a static
    /// `let` initializer exactly once, thread-safely).
    static let ready: Bool = curl_global_init(ccurl_global_all) == CURLE_OK
}

/// What every libcurl loop shares: the `-connect-to` and `-proxy-header` lists and the proxy settings, built once.
final class CurlShared: Sendable {
    let connectTo: CurlList
    let proxyHeaders: CurlList
    /// The proxy settings from the environment, read once.
    let proxy: ProxySettings

    init(_ options: AttackOptions) {
        connectTo = CurlList(options.connectTo)
        proxyHeaders = CurlList(options.proxyHeaders.flatMap { h in h.values.map { "\(h.name): \($0)" } })
        proxy = ProxySettings.fromEnvironment(https: false)
    }
}

/// An immutable `curl_slist` shared by every handle (libcurl only reads it); freed on deinit.
final class CurlList: @unchecked Sendable {  // Sendable: built once in init, never mutated, libcurl only reads
    let list: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) {
        var l: UnsafeMutablePointer<curl_slist>? = nil
        for item in items {
            if let n = curl_slist_append(l, item) { l = n }
        }
        list = l
    }

    deinit { if let list { curl_slist_free_all(list) } }
}

/// `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` as Go reads them, resolved once. Go never proxies loopback hosts,
/// so `localhost`, `127.0.0.1` and `::1` are always excluded.
struct ProxySettings: Sendable {
    /// The proxy URL for libcurl; "" means none (and stops libcurl's per-transfer environment lookups).
    var url: String
    /// NO_PROXY list for libcurl, when a proxy is set.
    var noProxy: String?

    static func fromEnvironment(https: Bool) -> ProxySettings {
        func env(_ names: [String]) -> String? {
            for n in names { if let v = getenv(n), v.pointee != 0 { return String(cString: v) } }
            return nil
        }
        guard let proxy = env(["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"]) else {
            return ProxySettings(url: "", noProxy: nil)
        }
        var no = env(["NO_PROXY", "no_proxy"]) ?? ""
        no += (no.isEmpty ? "" : ",") + "localhost,127.0.0.1,::1"
        return ProxySettings(url: proxy, noProxy: no)
    }
}
