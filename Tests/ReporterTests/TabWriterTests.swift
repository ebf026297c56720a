import Testing

@testable import Reporter

@Suite struct TabWriterTests {
    func aligned(_ text: String) -> String {
        var w = TabWriter()
        w.write(text)
        return String(decoding: w.finish(), as: UTF8.self)
    }

    @Test func columnsTakeTheWidestCellPlusPadding() {
        #expect(aligned("a\tb\tc\naaa\tbb\tc\n") == "a    b   c\naaa  bb  c\n")
    }

    @Test func textAfterTheLastTabIsNotAligned() {
        #expect(aligned("k\tlong value\nkey\tv\n") == "k    long value\nkey  v\n")
    }

    @Test func aLineWithoutTabsEndsTheBlock() {
        #expect(aligned("a\tx\nplain\nlonger\ty\n") == "a  x\nplain\nlonger  y\n")
    }

    @Test func widthCountsCharactersNotBytes() {
        #expect(aligned("500µs\tx\n1ms\ty\n") == "500µs  x\n1ms    y\n")
    }

    @Test func emptyCellsArePadded() {
        #expect(aligned("Bucket\t\t#\n[0s,\t1ms]\t3\n") == "Bucket        #\n[0s,    1ms]  3\n")
    }

    @Test func unterminatedLastLineKeepsNoNewline() {
        #expect(aligned("a\tb\nccc\td") == "a    b\nccc  d")
    }

    @Test func nestedBlocksOnlySpanLinesThatHaveTheColumn() {
        #expect(aligned("a\tb\tc\nd\te\nf\tg\th\n") == "a  b  c\nd  e\nf  g  h\n")
    }

    @Test func trailingSeparatorsAndEmptyInput() {
        #expect(aligned("") == "")
        #expect(aligned("x:1  y:2  \n") == "x:1  y:2  \n")
    }
}
