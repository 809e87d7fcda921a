import Foundation
import LMDB
import Testing
import TestSupport

@Suite("LMDB environment")
struct EnvironmentTests {
    func key(_ number: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(number).bigEndian) { Array($0) } }

    @Test("a commit's short write (EIO) on a full file system is reported as the full disk it is (ENOSPC); elsewhere EIO stays EIO",
          .enabled(if: getuid() == 0, "mounts a tmpfs: run as root"))
    func shortWriteOnAFullDiskIsENOSPC() throws {
        let directory = TemporaryDirectory()
        let roomy = try Environment(path: directory.child("roomy"), options: Environment.Options())
        #expect(roomy.commitFailure(EIO).code == EIO)
        #expect(roomy.commitFailure(EACCES).code == EACCES)
        let mount = directory.child("full")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        #expect(try CommandRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mount]).status == 0)
        defer { _ = try? CommandRunner.run("/bin/umount", ["-l", mount]) }
        var options = Environment.Options()
        options.createDirectory = true
        let full = try Environment(path: mount + "/ledger", options: options)
        _ = try CommandRunner.run("/bin/sh", ["-c", "cat /dev/zero > '\(mount)/filler' 2>/dev/null; true"])
        let failure = full.commitFailure(EIO)
        #expect(failure.code == ENOSPC)
        #expect(failure.description.contains("the disk is full"))
    }

    @Test("a write that fills a tiny map grows it and retries, losing nothing")
    func mapGrowsFromTinySize() throws {
        let directory = TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 64 * 1024
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("data", flags: .create)
        let value = [UInt8](repeating: 0xAB, count: 1000)
        for batch in 0..<40 {
            try environment.write { txn in
                for index in 0..<50 { try txn.put(database, key: key(batch * 50 + index), value: value, flags: .append) }
            }
        }
        #expect(environment.mapSize > 64 * 1024)
        let (entries, samples) = try environment.read { txn in
            (try txn.statistics(database).entries, try [0, 999, 1999].map { try txn.get(database, key: key($0)) })
        }
        #expect(entries == 2000)
        #expect(samples == [value, value, value])
    }

    @Test("a body that swallows MDB_MAP_FULL is still retried on a bigger map")
    func swallowedMapFullIsRetried() throws {
        let directory = TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 64 * 1024
        let environment = try Environment(path: directory.path, options: options)
        let database = try environment.openDatabase("data", flags: .create)
        var attempts = 0
        try environment.write { txn in
            attempts += 1
            for index in 0..<300 {
                do { try txn.put(database, key: key(index), value: [UInt8](repeating: 1, count: 2000)) } catch { return }
            }
        }
        #expect(attempts > 1)
        #expect(try environment.read { txn in try txn.statistics(database).entries } == 300)
    }

    @Test("a write whose body throws leaves nothing behind")
    func throwingBodyRollsBack() throws {
        struct Refused: Error {}
        let directory = TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("data", flags: .create)
        #expect(throws: Refused.self) {
            try environment.write { txn in
                try txn.put(database, key: key(1), value: [1])
                throw Refused()
            }
        }
        #expect(try environment.read { txn in try txn.get(database, key: key(1)) } == nil)
    }

    @Test("MDB_APPEND rejects an out-of-order key with keyExists, and the error names the call")
    func appendRejectsOutOfOrderKeys() throws {
        let directory = TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("data", flags: .create)
        try environment.write { txn in try txn.put(database, key: key(5), value: [5], flags: .append) }
        do {
            try environment.write { txn in try txn.put(database, key: key(4), value: [4], flags: .append) }
            Issue.record("an out-of-order append was accepted")
        } catch LMDBError.keyExists {
        } catch {
            Issue.record("unexpected error \(error)")
        }
        let error = LMDBError(code: LMDBError.keyExists.code, operation: "mdb_put(data)")
        #expect(error.description.contains("mdb_put(data)"))
        #expect(error.description.contains("MDB_KEYEXIST"))
    }

    @Test("the same environment cannot be opened twice in one process")
    func secondOpenIsRefused() throws {
        let directory = TemporaryDirectory()
        let first = try Environment(path: directory.path)
        #expect(throws: LMDBError.self) { _ = try Environment(path: directory.path) }
        _ = first
    }

    @Test("a read-only environment refuses to write, and a missing database is notFound")
    func readOnlyEnvironment() throws {
        let directory = TemporaryDirectory()
        do {
            let environment = try Environment(path: directory.path)
            _ = try environment.openDatabase("data", flags: .create)
        }
        var options = Environment.Options()
        options.readOnly = true
        let environment = try Environment(path: directory.path, options: options)
        _ = try environment.openDatabase("data")
        #expect(throws: LMDBError.notFound) { _ = try environment.openDatabase("absent") }
        #expect(throws: (any Error).self) { try environment.write { _ in } }
    }

    @Test("a cursor seeks to the first key at or after the one asked, and walks in order")
    func cursorSeeksAndWalks() throws {
        let directory = TemporaryDirectory()
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase("data", flags: .create)
        try environment.write { txn in for index in stride(from: 10, through: 50, by: 10) { try txn.put(database, key: key(index), value: [UInt8(index)]) } }
        let seen: [UInt8] = try environment.read { txn in
            try txn.withCursor(database) { cursor in
                var values: [UInt8] = []
                var entry = try cursor.seek(atOrAfter: key(25))
                while let current = entry {
                    values.append(current.value[0])
                    entry = try cursor.next()
                }
                let pastEnd = try cursor.seek(atOrAfter: key(51))
                let last = try cursor.last()?.value.first
                #expect(pastEnd == nil)
                #expect(last == 50)
                return values
            }
        }
        #expect(seen == [30, 40, 50])
    }
}
