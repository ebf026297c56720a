import ChaosGlue
import FuzzSupport

/// The experiment loader on JSON: every input is a document or one error naming the file, never a trap.
@_cdecl("FuzzJSONExperiment_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in
        let text = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
        do throws(ChaosError) {
            _ = try ExperimentLoader.parse(text, name: "fuzz.json", yaml: false)
        } catch {
            _ = error.description
        }
        return 0
    }
}
