import BarrageCore
import Testing

@Suite struct GoFormatTests {
    /// Expected strings are what Go's encoding/json writes for the same float64.
    @Test(arguments: [
        (10.525214375645552, "10.525214375645552"), (2.6307322794145938, "2.6307322794145938"), (43.25, "43.25"),
        (0.25, "0.25"), (1.0, "1"), (0.0, "0"), (13.0, "13"), (-0.5, "-0.5"), (0.1 + 0.2, "0.30000000000000004"),
        (1e-7, "1e-7"), (1.5e-10, "1.5e-10"), (0.000001, "0.000001"), (0.0000012, "0.0000012"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"), (1.5e300, "1.5e+300"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (123456789.0, "123456789"), (12345678901234567890.0, "12345678901234567000"), (1000.08, "1000.08"),
        (9999.5, "9999.5"), (0.001, "0.001"), (100, "100"),
    ])
    func jsonFloat(value: Double, expected: String) {
        #expect(GoFormat.jsonFloat(value) == expected)
    }

    /// Go's %.2f and %f round the exact binary value, ties to even.
    @Test(arguments: [
        (10.525214375645552, 2, "10.53"), (2.6307322794145938, 2, "2.63"), (0.125, 2, "0.12"), (0.375, 2, "0.38"),
        (2.675, 2, "2.67"), (1.005, 2, "1.00"), (25.0, 2, "25.00"), (0, 2, "0.00"), (100, 2, "100.00"),
        (0.317543, 6, "0.317543"), (999999.9999710001, 6, "999999.999971"), (10_000_000, 6, "10000000.000000"),
        (Double.nan, 2, "NaN"), (Double.infinity, 2, "+Inf"), (-Double.infinity, 2, "-Inf"), (-1.5, 2, "-1.50"),
    ])
    func fixed(value: Double, decimals: Int, expected: String) {
        #expect(GoFormat.fixed(value, decimals: decimals) == expected)
    }
}

@Suite struct GoFormatLongTests {
    /// Values wider than the first buffer are printed whole (Go prints every integer digit of %f).
    @Test func hugeFixedValuesAreNotTruncated() {
        let text = GoFormat.fixed(1e300, decimals: 2)
        #expect(text.count == 304)
        #expect(text.hasPrefix("10000000000000000") && text.hasSuffix(".00"))
    }
}
