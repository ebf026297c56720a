import BarrageCore
import Foundation

/// The http provider (reference §4.3): output `{status, headers, body}`.
enum HTTPProvider {
    static func call(_ provider: JSON, substitution: Substitution, watch: SignalWatch?, bridges: BridgePool? = nil) throws -> JSON {
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
                let query: String
                if let members = arguments.members {
                    query = members.flatMap { m -> [String] in
                        let values = m.value.array ?? [m.value]
                        return values.filter { !$0.isNull }.map { formEncode(m.key) + "=" + formEncode($0.pythonString) }
                    }.joined(separator: "&")
                } else {
                    query = arguments.pythonString
                }
                if !query.isEmpty {
                    if let hash = url.firstIndex(of: "#") { url = String(url[..<hash]) }
                    url += (url.contains("?") ? "&" : "?") + query
                }
            } else if headersJSON["Content-Type"]?.string == "application/json" {
                body = Array(arguments.pythonDumps(ensureASCII: true).utf8)
            } else if let members = arguments.members {
                body = Array(
                    members.map { formEncode($0.key) + "=" + formEncode($0.value.pythonString) }.joined(separator: "&").utf8)
                if !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                    headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                }
            } else {
                body = Array(arguments.pythonString.utf8)
            }
        }
        let request = HTTPRequest(
            url: url, method: method, headers: headers, body: body ?? (method == "GET" ? nil : []),
            connectTimeout: connectTimeout, readTimeout: readTimeout)
        // `max_retries` (requests' HTTPAdapter): connection failures are retried that many times.
        let asked = provider["max_retries"]?.number ?? 0
        let retries = asked.isFinite ? Int(max(0, min(asked, 100))) : 0
        var attempt = 0
        var response: HTTPResponse
        while true {
            do {
                if provider["verify_tls"] == .bool(false), url.lowercased().hasPrefix("https://"), let bridges {
                    response = try unverified(request, bridges: bridges, watch: watch)
                } else {
                    response = try HTTPClient.request(request, interrupts: watch)
                }
                break
            } catch let failure as ActivityFailed where attempt < retries && failure.message.hasPrefix("failed to connect") {
                attempt += 1
            }
        }
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
            if let parsed = try? JSONParser.parse(response.body) { bodyOut = parsed } else {
                throw ActivityAborted(
                    message: "requests.exceptions.JSONDecodeError: the response body is not valid JSON",
                    traceback: ["requests.exceptions.JSONDecodeError: the response body is not valid JSON\n"])
            }
        }
        return .object([.init("status", .int(response.status)), .init("headers", headersOut), .init("body", bodyOut)])
    }

    /// https without certificate verification, through the python bridge's urllib.
    static func unverified(_ request: HTTPRequest, bridges: BridgePool, watch: SignalWatch?) throws -> HTTPResponse {
        var message = JSON.object([])
        message["op"] = .string("https")
        message["url"] = .string(request.url)
        message["method"] = .string(request.method)
        message["headers"] = .array(request.headers.map { .array([.string($0.0), .string($0.1)]) })
        message["body"] = request.body.map { .string(Base64.encode($0)) } ?? .null
        message["timeout"] = request.readTimeout.map { .double($0) } ?? .null
        let bridge = try bridges.acquire()
        let answer: JSON
        do {
            answer = try bridge.request(message, watch: watch, abortFD: -1) { _ in }
        } catch {
            bridges.release(bridge)
            throw error
        }
        bridges.release(bridge)
        if let error = answer["error"]?.string {
            if answer["timeout"] == .bool(true) { throw ActivityFailed("activity took too long to complete") }
            throw ActivityFailed("failed to connect to \(request.url): \(error)")
        }
        let headers = (answer["headers"]?.array ?? []).compactMap { pair -> (String, String)? in
            guard let p = pair.array, p.count == 2 else { return nil }
            return (p[0].pythonString, p[1].pythonString)
        }
        let body = (try? Base64.decode(answer["body"]?.string ?? "")) ?? []
        let status: Int
        if case .int(let s)? = answer["status"] { status = s } else { status = 0 }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// `application/x-www-form-urlencoded` as `urllib.parse.urlencode` writes it (spaces as `+`).
    static func formEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
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
