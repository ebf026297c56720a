import Attacker
import FuzzSupport

/// The json target parser: every input is targets or one located error, never a trap.
@_cdecl("FuzzJSONTargets_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        var reader = TargetReader(bytes: FuzzDriver.bytes(data, size), name: "fuzz", format: .json)
        do throws(TargetError) {
            while try reader.next() != nil {}
        } catch {
            _ = error.description
        }
        return 0
    }
}
