import FuzzSupport

/// The result readers on CSV-shaped input (seeded with CSV results files): every field selection must agree.
@_cdecl("FuzzCSVResults_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        ResultsOracle.check(FuzzDriver.bytes(data, size))
        return 0
    }
}
