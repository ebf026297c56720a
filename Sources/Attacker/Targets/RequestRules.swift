import BarrageCore
import Encoder

/// What Go's `net/http` refuses to send, checked when a target is read so that nothing it would refuse (CR or LF
/// in a method or header, a second request smuggled in a method) ever reaches the wire on either transport.
///
/// The texts are Go's: `net/http: invalid method "..."` (`http.NewRequest`), `net/http: invalid header field name
/// "..."` and `net/http: invalid header field value for "..."` (the transport), `http: invalid Host header`.
public enum RequestRules {
    /// Why Go would refuse to send `target`, in Go's words, or nil.
    ///
    /// - Parameter format: `http` reports a URL `url.ParseRequestURI` refuses as vegeta does (`bad URL: ...`);
    ///   `json` (whose URLs vegeta hands to `http.NewRequest` unchecked) with `url.Parse`'s error.
    public static func problem(in target: Target, format: TargetFormat) -> String? {
        if let problem = methodProblem(target.method) { return problem }
        switch format {
        case .http:
            if GoURL.refusesAsRequestURI(target.url) { return "bad URL: " + InputExcerpt.text(target.url) }
            if let problem = GoURL.parseError(target.url) { return problem }
        case .json:
            if let problem = GoURL.parseError(target.url) { return problem }
        }
        for header in target.headers {
            if let problem = headerProblem(header.name, header.values) { return problem }
        }
        if let host = target.headers.first(where: { $0.name.lowercased() == "host" })?.values.first,
            !isValidHostHeader(host)
        {
            return "http: invalid Host header"
        }
        return nil
    }

    /// `net/http: invalid method "..."` unless `method` is an RFC 7230 token.
    public static func methodProblem(_ method: String) -> String? {
        isToken(method) ? nil : "net/http: invalid method \(goQuote(InputExcerpt.text(method)))"
    }

    /// Go's transport check of one header: the name a token, each value free of control bytes but HTAB.
    public static func headerProblem(_ name: String, _ values: [String]) -> String? {
        if !isToken(name) { return "net/http: invalid header field name \(goQuote(InputExcerpt.text(name)))" }
        for value in values where !isValidHeaderValue(value) {
            return "net/http: invalid header field value for \(goQuote(InputExcerpt.text(name)))"
        }
        return nil
    }

    /// RFC 7230 `token`: one or more of ``!#$%&'*+-.^_`|~``, digits and letters.
    static func isToken(_ s: String) -> Bool {
        let extra = Array("!#$%&'*+-.^_`|~".utf8)
        return !s.isEmpty
            && s.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || extra.contains(c)
            }
    }

    /// `httpguts.ValidHeaderFieldValue`: no CTL byte (below 0x20, or 0x7f) except horizontal tab.
    static func isValidHeaderValue(_ s: String) -> Bool {
        s.utf8.allSatisfy { c in !((c < 0x20 && c != 0x09) || c == 0x7f) }
    }

    /// `httpguts.ValidHostHeader`: letters, digits and `!$%&'()*+,-.:;=[]_~` (non-ASCII, which Go turns into
    /// punycode first, is let through).
    static func isValidHostHeader(_ s: String) -> Bool {
        let extra = Array("!$%&'()*+,-.:;=[]_~".utf8)
        return s.utf8.allSatisfy { c in
            c >= 0x80 || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || extra.contains(c)
        }
    }
}
