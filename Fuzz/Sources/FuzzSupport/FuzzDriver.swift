/// libFuzzer's driver, entered from each target's `<Target>_main` (SwiftPM links executables with
/// `main=<Target>_main`, so the target supplies that symbol and hands over to libFuzzer from there).
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with `body` as the test function.
public enum FuzzDriver {
    /// The one-input test function libFuzzer calls: the bytes of one input.
    public typealias Body = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer over `argv` (its options, corpus directories) with `body`; returns its exit status.
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: Body
    ) -> CInt {
        var count = argc
        var vector = argv
        return llvmFuzzerRunDriver(&count, &vector, body)
    }

    /// The input as an array (empty for a null pointer).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}
