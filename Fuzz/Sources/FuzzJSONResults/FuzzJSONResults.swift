import FuzzSupport

/// The result readers on JSON-shaped input (seeded with JSON results files): every field selection must agree.
@_cdecl("FuzzJSONResults_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        ResultsOracle.check(FuzzDriver.bytes(data, size))
        return 0
    }
}
