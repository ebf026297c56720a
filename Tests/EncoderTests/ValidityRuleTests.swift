import Encoder
import TestSupport
import Testing

/// One validity rule for a record: every reader, whatever fields it keeps, stops at the same record with the same
/// message (encode reads every field, report the metrics, plot a few more).
@Suite("One validity rule whatever the fields read")
struct ValidityRuleTests {
    @Test(
        "a damaged file gives the same valid prefix and the same error to every field selection",
        arguments: try DamagedFiles.cases())
    func sameVerdict(_ damaged: DamagedFiles.Case) throws {
        let dir = try Run.temporaryDirectory()
        let path = dir + "/" + damaged.name
        try Run.write(damaged.bytes, to: path)
        var verdicts: [(count: Int, errors: [String])] = []
        for fields in DamagedFiles.selections {
            do {
                var reader = try ResultReader(paths: [path], fields: fields)
                var count = 0
                while reader.next() != nil { count += 1 }
                verdicts.append((count, reader.failures.map(\.description)))
            } catch {
                verdicts.append((0, [error.description]))
            }
        }
        let first = try #require(verdicts.first)
        #expect(first.count == damaged.validPrefix)
        #expect(first.errors.count == 1)
        for v in verdicts.dropFirst() {
            #expect(v.count == first.count)
            #expect(v.errors == first.errors)
        }
    }
}
