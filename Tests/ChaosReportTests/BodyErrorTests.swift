import BarrageCore
import ChaosReport
import Testing

/// Services that answer 200 with `{"error": ...}` (the seed labs' front) have their errors counted from the body.
@Suite("chaos report: errors in response bodies")
struct BodyErrorTests {
    @Test(
        "which bodies carry an error",
        arguments: [
            (#"{"error": "ConnectError", "value": 3}"#, "ConnectError"),
            (#"  {"value": 1, "error": {"code": 7}}"#, "{'code': 7}"),
            (#"{"error": null, "value": 3}"#, nil),
            (#"{"error": "", "value": 3}"#, nil),
            (#"{"value": 3}"#, nil),
            (#"["error"]"#, nil),
            (#"{"error": "x""#, nil),
            ("error", nil),
        ] as [(String, String?)])
    func detection(body: String, expected: String?) {
        #expect(BodyErrors(key: "error").error(in: Array(body.utf8)) == expected)
        #expect(BodyErrors(key: "").error(in: Array(body.utf8)) == nil)
        #expect(BodyErrors(key: "error").error(in: nil) == nil)
    }
}
