import Reporter
import Testing

@Suite struct ReportKindTests {
    @Test(arguments: [
        ("x", "", "invalid report type: x"),
        ("txt", "", "invalid report type: txt"),
        ("plot", "", "The plot reporter has been deprecated and succeeded by the vegeta plot command"),
        ("xml!", "", "unknown report type: \"xml!\""),
        ("texts", "", "unknown report type: \"texts\""),
        ("hist", "", "bad buckets: ''"),
        ("hist[", "", "bad buckets: '['"),
        ("histogram", "", "bad buckets: ogram"),
        ("hist[]", "", "time: invalid duration \"\""),
        ("hist[1x]", "", "time: unknown unit \"x\" in duration \"1x\""),
        ("hist[1]", "", "time: missing unit in duration \"1\""),
        ("hist[abc]", "", "time: invalid duration \"abc\""),
        ("json", "0,1ms", "bad buckets: 0,1ms"),
        ("hist[0,1ms]", "1ms]", "bad buckets: 1ms]"),
    ])
    func rejected(type: String, buckets: String, message: String) {
        #expect(throws: ReportError.self) { try ReportKind(type: type, buckets: buckets) }
        do {
            _ = try ReportKind(type: type, buckets: buckets)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func accepted() throws {
        #expect(try ReportKind(type: "text", buckets: "") == .text)
        #expect(try ReportKind(type: "hdrplot", buckets: "") == .hdrplot)
        #expect(try ReportKind(type: "json", buckets: "") == .json(buckets: nil))
        #expect(try ReportKind(type: "json", buckets: "[1ms]") == .json(buckets: Buckets(bounds: [0, 1_000_000])))
        #expect(
            try ReportKind(type: "hist[ 0, 1ms ,2s]", buckets: "")
                == .hist(Buckets(bounds: [0, 1_000_000, 2_000_000_000])))
        // -buckets wins over the inline list, as in vegeta.
        #expect(try ReportKind(type: "hist[0,5ms]", buckets: "[1ms]") == .hist(Buckets(bounds: [0, 1_000_000])))
    }
}
