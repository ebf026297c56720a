import Foundation
import FoundationNetworking
import Synchronization

/// `https://` requests through FoundationNetworking's URLSession (TLS verified with the system's CA store; redirects
/// followed). The call blocks this thread; a signal still interrupts it (the task is cancelled).
enum HTTPSClient {
    private final class Box: @unchecked Sendable {
        // Written once by URLSession's completion handler before `done` is signalled.
        var data: Data?
        var response: HTTPURLResponse?
        var error: (any Error)?
    }

    static func request(_ request: HTTPRequest, watch: SignalWatch) throws -> HTTPResponse {
        guard let url = URL(string: request.url) else {
            throw ActivityAborted(
                message: "requests.exceptions.InvalidURL: Invalid URL '\(request.url)'",
                traceback: ["requests.exceptions.InvalidURL: Invalid URL '\(request.url)'\n"])
        }
        var r = URLRequest(url: url)
        r.httpMethod = request.method
        for (name, value) in request.headers { r.addValue(value, forHTTPHeaderField: name) }
        if let body = request.body, !body.isEmpty { r.httpBody = Data(body) }
        r.timeoutInterval = max(request.connectTimeout ?? 0, request.readTimeout ?? 0) > 0
            ? max(request.connectTimeout ?? 0, request.readTimeout ?? 0) : 3600
        let box = Box()
        let done = Spawn.makePipe()
        defer {
            close(done.read)
            close(done.write)
        }
        let writeFD = done.write
        let task = URLSession.shared.dataTask(with: r) { data, response, error in
            box.data = data
            box.response = response as? HTTPURLResponse
            box.error = error
            var b: UInt8 = 1
            _ = write(writeFD, &b, 1)
        }
        task.resume()
        do {
            _ = try watch.wait(fd: done.read, events: Int16(POLLIN), timeout: nil)
        } catch {
            task.cancel()
            throw error
        }
        if let error = box.error {
            let ns = error as NSError
            if ns.domain == NSURLErrorDomain, ns.code == NSURLErrorTimedOut {
                throw ActivityFailed("activity took too long to complete")
            }
            let text = ns.userInfo[NSLocalizedDescriptionKey].map { "\($0)" } ?? "\(error)"
            throw ActivityFailed("failed to connect to \(request.url): \(text)")
        }
        guard let response = box.response else { throw ActivityFailed("failed to connect to \(request.url): no response") }
        var headers: [(String, String)] = []
        for (k, v) in response.allHeaderFields {
            headers.append(("\(k)", "\(v)"))
        }
        headers.sort { $0.0 < $1.0 }
        return HTTPResponse(status: response.statusCode, headers: headers, body: [UInt8](box.data ?? Data()))
    }
}
