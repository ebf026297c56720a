import BarrageCore
import Fetch
import Foundation

/// The http provider (reference §4.3): output `{status, headers, body}`.
enum HTTPProvider {
    static func call(_ provider: JSON, substitution: Substitution, watch: SignalWatch?) throws -> JSON {
        let request = self.request(provider, substitution: substitution)
        // `max_retries` (requests' HTTPAdapter): connection failures are retried that many times.
        let asked = provider["max_retries"]?.number ?? 0
        let retries = asked.isFinite ? Int(max(0, min(asked, 100))) : 0
        var attempt = 0
        while true {
            do {
                return try output(HTTPCall.send(request, watch: watch))
            } catch let failure as ActivityFailed
                where attempt < retries && failure.message.hasPrefix("failed to connect")
            {
                attempt += 1
            }
        }
    }

    /// The request `requests.request` would send: query arguments for GET, a JSON body when the Content-Type
    /// says so, a form body for other mappings, the timeout as a number or `[connect, read]`.
    private static func request(_ provider: JSON, substitution: Substitution) -> FetchRequest {
        var url = substitution.apply(provider["url"] ?? .null).pythonString
        let method = (provider["method"]?.string ?? "GET").uppercased()
        let headersJSON = substitution.apply(provider["headers"] ?? .object([]))
        var headers: [(String, String)] = (headersJSON.members ?? []).map { ($0.key, $0.value.pythonString) }
        var arguments = provider["arguments"]
        if let a = arguments, !substitution.isEmpty { arguments = substitution.apply(a) }
        var connectTimeout: Double?
        var readTimeout: Double?
        switch substitution.apply(provider["timeout"] ?? .null) {
        case .array(let pair) where pair.count == 2:
            connectTimeout = pair[0].number
            readTimeout = pair[1].number
        case let t:
            connectTimeout = t.number
            readTimeout = t.number
        }
        var body: [UInt8]?
        if let arguments, arguments.isTruthy {
            if method == "GET" {
                url = withQuery(url, arguments)
            } else if headersJSON["Content-Type"]?.string == "application/json" {
                body = Array(arguments.pythonDumps(ensureASCII: true).utf8)
            } else if let members = arguments.members {
                body = Array(
                    members.map { formEncode($0.key) + "=" + formEncode($0.value.pythonString) }.joined(separator: "&")
                        .utf8)
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                    headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                }
            } else {
                body = Array(arguments.pythonString.utf8)
            }
        }
        return FetchRequest(
            url: url, method: method, headers: headers, body: body ?? (method == "GET" ? nil : []),
            tls: FetchTLS(verify: provider["verify_tls"] != .bool(false)), connectTimeout: connectTimeout,
            readTimeout: readTimeout)
    }

    /// `url` with the GET arguments appended as a query (a mapping form-encoded, lists repeated, None dropped).
    private static func withQuery(_ url: String, _ arguments: JSON) -> String {
        let query: String
        if let members = arguments.members {
            query = members.flatMap { m -> [String] in
                let values = m.value.array ?? [m.value]
                return values.filter { !$0.isNull }.map {
                    formEncode(m.key) + "=" + formEncode($0.pythonString)
                }
            }.joined(separator: "&")
        } else {
            query = arguments.pythonString
        }
        guard !query.isEmpty else { return url }
        var url = url
        if let hash = url.firstIndex(of: "#") { url = String(url[..<hash]) }
        return url + (url.contains("?") ? "&" : "?") + query
    }

    /// The provider's output, `{status, headers, body}`: repeated headers joined with ", " as requests does, a
    /// body parsed when the answer says it is JSON.
    private static func output(_ response: FetchResponse) throws -> JSON {
        var headersOut = JSON.object([])
        for (name, value) in response.headers {
            if let existing = headersOut.members?.first(where: { $0.key.lowercased() == name.lowercased() }) {
                headersOut[existing.key] = .string((existing.value.string ?? "") + ", " + value)
            } else {
                headersOut[name] = .string(value)
            }
        }
        var bodyOut = JSON.string(response.bodyText)
        if response.header("Content-Type") == "application/json" {
            if let parsed = try? JSONParser.parse(response.body) {
                bodyOut = parsed
            } else {
                throw ActivityAborted(
                    message: "requests.exceptions.JSONDecodeError: the response body is not valid JSON",
                    traceback: ["requests.exceptions.JSONDecodeError: the response body is not valid JSON\n"])
            }
        }
        return .object([.init("status", .int(response.status)), .init("headers", headersOut), .init("body", bodyOut)])
    }

    /// `application/x-www-form-urlencoded` as Python's `urlencode` writes it (spaces as `+`).
    static func formEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            case UInt8(ascii: " "): out += "+"
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
