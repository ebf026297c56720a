import BarrageCore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `OutputDestination` itself: what a replace leaves behind when it is committed, discarded or refused.
@Suite("OutputDestination")
struct OutputDestinationTests {
    @Test("a discarded replace leaves the old file as it was and no temporary file")
    func discardKeepsOld() throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array("old".utf8), to: dir + "/out")
        let destination = try OutputDestination.open(dir + "/out", mode: .replace)
        try destination.write(Array("half".utf8))
        #expect(try Run.read(dir + "/out") == Array("old".utf8))
        destination.discard()
        #expect(try Run.read(dir + "/out") == Array("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out"])
    }

    @Test("a committed replace is a new inode with the old file's mode")
    func commitReplaces() throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array("old".utf8), to: dir + "/out")
        chmod(dir + "/out", 0o640)
        var before = stat()
        stat(dir + "/out", &before)
        let destination = try OutputDestination.open(dir + "/out", mode: .replace)
        try destination.write(Array("new".utf8))
        try destination.commit()
        var after = stat()
        stat(dir + "/out", &after)
        #expect(try Run.read(dir + "/out") == Array("new".utf8))
        #expect(after.st_ino != before.st_ino)
        #expect(after.st_mode & 0o7777 == 0o640)
    }

    @Test("append and in-place keep the inode", arguments: [OutputDestination.Mode.append, .inPlace])
    func sameInode(_ mode: OutputDestination.Mode) throws {
        let dir = try Run.temporaryDirectory()
        try Run.write(Array("old".utf8), to: dir + "/out")
        var before = stat()
        stat(dir + "/out", &before)
        let destination = try OutputDestination.open(dir + "/out", mode: mode)
        try destination.write(Array("new".utf8))
        try destination.commit()
        var after = stat()
        stat(dir + "/out", &after)
        #expect(after.st_ino == before.st_ino)
        #expect(try Run.read(dir + "/out") == Array((mode == .append ? "oldnew" : "new").utf8))
    }

    @Test(
        "paths that cannot be written are one error naming path, operation and cause",
        arguments: [
            ("", ": open: No such file or directory"),
            ("/tmp", "/tmp: open: Is a directory"),
            ("/no/such/dir/out", "/no/such/dir/out: open: No such file or directory"),
        ])
    func refused(_ path: String, _ message: String) {
        #expect(throws: OutputError.self) { try OutputDestination.open(path, mode: .replace) }
        do {
            _ = try OutputDestination.open(path, mode: .replace)
        } catch {
            #expect(error.description == message)
        }
    }
}
