import BarrageCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("OSThread")
struct OSThreadTests {
    @Test("runs its body on a named thread and joins")
    func runsAndJoins() throws {
        let seen = Mutex<String?>(nil)
        let thread = try #require(
            OSThread.spawn(name: "barrage-test") {
                // The kernel's name for the calling thread.
                let fd = open("/proc/thread-self/comm", O_RDONLY)
                var name = [UInt8](repeating: 0, count: 32)
                let n = name.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                close(fd)
                let text = String(decoding: name.prefix(max(0, n)).prefix { $0 != 0x0a }, as: UTF8.self)
                seen.withLock { $0 = text }
            })
        thread.join()
        #expect(seen.withLock { $0 } == "barrage-test")
    }
}
