import CCurl

/// A libcurl call that failed while setting up the engine (not a failed request: that is a `Result`).
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// What was being done.
    public var operation: String
    /// libcurl's code (CURLcode or CURLMcode value).
    public var code: Int32
    /// libcurl's text for the code.
    public var message: String

    init(_ operation: String, easy code: CURLcode) {
        self.operation = operation
        self.code = Int32(code.rawValue)
        message = String(cString: curl_easy_strerror(code))
    }

    init(_ operation: String, multi code: CURLMcode) {
        self.operation = operation
        self.code = Int32(code.rawValue)
        message = String(cString: curl_multi_strerror(code))
    }

    init(_ operation: String, message: String) {
        self.operation = operation
        code = -1
        self.message = message
    }

    /// `<operation>: <libcurl message>`.
    public var description: String { "\(operation): \(message)" }
}

/// Checks a setopt result.
@inline(__always)
func check(_ code: CURLcode, _ what: @autoclosure () -> String) throws(CurlError) {
    if code != CURLE_OK { throw CurlError(what(), easy: code) }
}
