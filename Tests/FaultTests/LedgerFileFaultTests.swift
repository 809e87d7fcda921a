import Foundation
import Testing
import TestSupport

/// Cases 1 and 9 of issue 11, and the read-only copy: what svledger does with ledger files that
/// are linked, cut short or not its own to lock.
@Suite("Faults: the ledger's files", .serialized, Fault.needsRoot)
struct LedgerFileFaultTests {
    let directory = TemporaryDirectory("svledger-fault-files")

    @Test("case 1: a data.mdb or lock.mdb reached by a symbolic or hard link is refused, so there is never a second lock")
    func linkedFilesRefused() throws {
        let a = directory.child("A")
        try Fault.succeed(["init", "--ledger", a])
        #expect(try Fault.note(a).status == 0)
        let before = Fault.bytes(a + "/data.mdb")

        let symlinked = directory.child("B")
        try FileManager.default.createDirectory(atPath: symlinked, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: symlinked + "/data.mdb", withDestinationPath: a + "/data.mdb")
        let hardLinked = directory.child("C")
        try FileManager.default.createDirectory(atPath: hardLinked, withIntermediateDirectories: true)
        #expect(link(a + "/data.mdb", hardLinked + "/data.mdb") == 0)

        for other in [symlinked, hardLinked] {
            Fault.expectFailure(try Fault.note(other), kind: "ledger-file-linked", exit: 74)
            Fault.expectFailure(try Fault.svledger(["verify", "--ledger", other]), kind: "ledger-file-linked", exit: 74)
            #expect(!FileManager.default.fileExists(atPath: other + "/lock.mdb"), "no second lock file was made")
        }
        // The hard link makes the original refuse too: both names share one inode.
        Fault.expectFailure(try Fault.note(a), kind: "ledger-file-linked", exit: 74)
        #expect(Fault.bytes(a + "/data.mdb") == before)
        unlink(hardLinked + "/data.mdb")
        #expect(try Fault.note(a).status == 0, "with the link gone, the ledger is usable again")
    }

    @Test("case 1, the sound way: one ledger reached through a bind mount shares one lock, and two writers lose nothing")
    func bindMountedWritersShareTheLock() throws {
        let a = directory.child("A")
        try Fault.succeed(["init", "--ledger", a])
        let mount = try Mount.bind(a, at: directory.child("B"))
        let outputs = [directory.child("out-a"), directory.child("out-b")]
        let writers = try zip([a, mount.path], outputs).map { ledger, output in
            try Fault.start(["append-loop", "--ledger", ledger, "--batch", "1", "--count", "150", "--stream", "s-\(output.suffix(1))"], output: output)
        }
        for writer in writers { writer.waitUntilExit() }
        let acknowledged = try outputs.map { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").count }.reduce(0, +)
        #expect(acknowledged == 300)
        let stats = try Fault.succeed(["stats", "--ledger", a])
        #expect(stats.contains("events     300"), "every acknowledged append is stored: \(stats)")
        try Fault.succeed(["verify", "--ledger", mount.path])
    }

    @Test("case 9: a data.mdb cut short is refused with a clear error by every command and by the Python verifier, never SIGBUS")
    func truncatedDataFileRefused() throws {
        let ledger = directory.child("ledger")
        try Fault.demoLedger(ledger)
        let size = try #require(FileManager.default.attributesOfItem(atPath: ledger + "/data.mdb")[.size] as? Int)
        #expect(truncate(ledger + "/data.mdb", off_t(size / 2)) == 0)
        for arguments in [["verify"], ["stats"], ["contracts"], ["log"]] {
            Fault.expectFailure(try Fault.svledger(arguments + ["--ledger", ledger]), kind: "ledger-file-truncated", exit: 3)
        }
        Fault.expectFailure(try Fault.note(ledger), kind: "ledger-file-truncated", exit: 3)
        let python = try CommandRunner.pythonVerifier([ledger])
        #expect(!python.wasSignalled && python.status == 1, "python: \(python.status) \(python.stderr)")
        #expect(python.stderr.contains("cut short"), "python: \(python.stderr)")
    }

    @Test("case 9: a backup killed part-way leaves no directory that looks like a ledger")
    func killedBackupLeavesNothing() throws {
        let ledger = directory.child("ledger")
        try Fault.succeed(["init", "--ledger", ledger])
        try Fault.succeed(["generate", "--ledger", ledger, "--events", "20000"])
        for round in 0..<5 {
            let target = directory.child("backup-\(round)")
            let backup = try Fault.start(["backup", "--ledger", ledger, target])
            usleep(UInt32(20_000 + round * 40_000))
            kill(backup.processIdentifier, SIGKILL)
            backup.waitUntilExit()
            if FileManager.default.fileExists(atPath: target) {
                // The rename happened before the kill: then the copy is complete and verified.
                try Fault.succeed(["verify", "--ledger", target])
            } else {
                Fault.expectFailure(try Fault.svledger(["verify", "--ledger", target]), kind: "not-a-ledger", exit: 66)
            }
        }
        // What a killed backup leaves is a hidden staging folder, never the target; the next
        // backup into the same place succeeds.
        try Fault.succeed(["backup", "--ledger", ledger, directory.child("backup-0-again")])
    }

    @Test("case 9: init and a backup on a full file system fail with a storage error, never SIGBUS, and leave no ledger")
    func fullFileSystem() throws {
        let full = try Mount.tmpfs(at: directory.child("full"), size: "64k")
        try full.fill()
        let ledger = full.path + "/ledger"
        Fault.expectFailure(try Fault.svledger(["init", "--ledger", ledger]), kind: "storage-full", exit: 74)

        let source = directory.child("source")
        try Fault.demoLedger(source)
        let small = try Mount.tmpfs(at: directory.child("small"), size: "96k")
        let target = small.path + "/backup"
        let result = try Fault.svledger(["backup", "--ledger", source, target])
        #expect(!result.wasSignalled && result.status == 74, "\(result.status): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "a failed backup leaves no target")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path).isEmpty, "nor its staging folder")
        Fault.expectFailure(try Fault.svledger(["verify", "--ledger", target]), kind: "not-a-ledger", exit: 66)
    }

    @Test("a read-only copy is verified by a user who may not write its lock file")
    func readOnlyCopyWithoutLock() throws {
        let ledger = directory.child("ledger")
        try Fault.demoLedger(ledger)
        // The user `nobody` may read the copy and run a copy of the executable, but not write.
        let shared = TemporaryDirectory("svledger-fault-nobody")
        chmod(shared.path, 0o755)
        let executable = shared.child("svledger")
        try Self.copyExecutable(to: executable)
        let copy = shared.child("copy")
        try FileManager.default.copyItem(atPath: ledger, toPath: copy)
        for path in [copy, copy + "/data.mdb", copy + "/lock.mdb"] { chmod(path, path == copy ? 0o555 : 0o444) }
        let asNobody = { (arguments: [String]) in
            var result = try CommandRunner.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments)
            // A process another test spawns in the instant the copy is still open may hold it
            // open for writing until it execs: running the copy then fails with ETXTBSY.
            for _ in 0..<20 where result.status == 126 && result.stderr.contains("Text file busy") {
                usleep(50_000)
                result = try CommandRunner.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments)
            }
            return result
        }
        let verified = try asNobody(["verify", "--ledger", copy])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stderr.contains("without a lock"), "it says it read without a lock: \(verified.stderr)")
        #expect(try asNobody(["contracts", "--ledger", copy]).status == 0)
        let write = try asNobody(Fault.noteArguments(copy))
        #expect(write.status != 0 && !write.wasSignalled, "a write is refused, not attempted without a lock")
    }

    /// Copies svledger with its descriptor closed on exec (Foundation's copy leaves it open in
    /// any process another test starts meanwhile, which then holds the file open for writing,
    /// and running the copy fails with "Text file busy").
    static func copyExecutable(to path: String) throws {
        let bytes = try #require(FileManager.default.contents(atPath: CommandRunner.svledgerPath))
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        try #require(descriptor >= 0, "cannot create \(path): errno \(errno)")
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, $0.count - done) }
            try #require(written > 0, "cannot write \(path): errno \(errno)")
            done += written
        }
    }
}
