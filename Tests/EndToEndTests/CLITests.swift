import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

/// The built `svledger`, run as a user runs it.
@Suite("svledger CLI")
struct CLITests {
    let directory = TemporaryDirectory("svledger-e2e")
    var ledger: String { directory.child("ledger") }

    func svledger(_ arguments: String...) throws -> CommandResult {
        try CommandRunner.svledger(arguments + ["--ledger", ledger])
    }

    func appendNote(_ stream: String, _ text: String, expected: String = "any") throws -> CommandResult {
        try svledger(
            "append", "--stream", stream, "--type", "NoteRecorded", "--actor", "jane.doe", "--role", "Contract Manager",
            "--reason", "testing", "--effective-date", "2025-04-01", "--payload", #"{"text": "\#(text)"}"#,
            "--expected-version", expected)
    }

    @Test("init, append, log, verify and stats on a fresh ledger")
    func happyPath() throws {
        let created = try svledger("init")
        #expect(created.status == 0)
        #expect(created.stdout.contains("head 0 " + String(repeating: "0", count: 64)))
        #expect(try appendNote("contract-A", "first").stdout.contains("appended 1 event at position 1"))
        #expect(try appendNote("contract-B", "second").status == 0)

        let log = try svledger("log")
        #expect(log.status == 0)
        #expect(log.stdout.contains("NoteRecorded"))
        #expect(log.stdout.contains("jane.doe (Contract Manager)"))

        let json = try svledger("log", "--format", "json", "--stream", "contract-B")
        let lines = json.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let envelope = try JSONValue(parsing: String(lines[0]))
        #expect(envelope["position"] == 2)
        #expect(envelope["payload"]?["text"] == "second")
        #expect(envelope["hash"]?.stringValue?.count == 64)

        let limited = try svledger("log", "--from", "2", "--limit", "1", "--format", "json")
        #expect(limited.stdout.split(separator: "\n").count == 1)

        let verify = try svledger("verify")
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("verified 2 events in 2 streams"))
        let headLine = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("head 2 ") })
        let headHash = String(headLine.split(separator: " ")[2])
        #expect(try svledger("verify", "--expect-head", headHash).status == 0)

        let stats = try svledger("stats", "--format", "json")
        let statsJSON = try JSONValue(parsing: stats.stdout)
        #expect(statsJSON["events"] == 2)
        #expect(statsJSON["streams"] == 2)
        #expect(statsJSON["head"]?["hash"]?.stringValue == headHash)
    }

    @Test("the ledger can be named before the subcommand or by $SVLEDGER_LEDGER")
    func ledgerLocation() throws {
        #expect(try CommandRunner.svledger(["--ledger", ledger, "init"]).status == 0)
        let fromEnvironment = try CommandRunner.svledger(["stats"], environment: ["SVLEDGER_LEDGER": ledger])
        #expect(fromEnvironment.status == 0)
        #expect(fromEnvironment.stdout.contains(ledger.split(separator: "/").last!))
    }

    @Test("bad input gets one clear error line and a non-zero exit, never a crash", arguments: [
        (["verify"], "no data.mdb"),
        (["log", "--limit", "x"], "--limit"),
        (["verify", "--expect-head", "abc"], "64 hex digits"),
        (["append", "--stream", "s", "--type", "T"], "--actor"),
        (["append", "--stream", "s", "--type", "T", "--actor", "a", "--role", "r", "--payload", "{\"q\": 0.25}"], "decimal values as strings"),
        (["append", "--stream", "s", "--type", "T", "--actor", "a", "--role", "r", "--effective-date", "2025-02-29"], "YYYY-MM-DD"),
        (["frobnicate"], "frobnicate"),
    ])
    func badInput(arguments: [String], expected: String) throws {
        if arguments != ["verify"] { #expect(try svledger("init").status == 0) }
        let result = try CommandRunner.svledger(arguments + ["--ledger", ledger])
        #expect(result.status != 0)
        #expect(!result.wasSignalled)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("creating a ledger where one exists is refused")
    func initTwice() throws {
        #expect(try svledger("init").status == 0)
        let again = try svledger("init")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test("a refused append leaves data.mdb byte for byte as it was")
    func refusedAppendChangesNothing() throws {
        #expect(try svledger("init").status == 0)
        #expect(try appendNote("contract-A", "first").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb"))
        let conflict = try appendNote("contract-A", "second", expected: "no-stream")
        #expect(conflict.status == ErrorCategory.conflict.exitCode)
        #expect(conflict.stderr.contains("concurrency conflict"))
        let badFile = directory.child("events.ndjson")
        try #"{"streamId": "contract-A", "eventType": "NoteRecorded", "actor": {"id": "a", "role": "r"}}"# .appending("\nnot json\n")
            .write(toFile: badFile, atomically: true, encoding: .utf8)
        let badBatch = try svledger("append", "--file", badFile)
        #expect(badBatch.status == ErrorCategory.input.exitCode)
        #expect(badBatch.stderr.contains("line 2"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) == before)
    }

    @Test("a batch file is appended in one transaction, and a retry of it writes nothing")
    func batchFile() throws {
        #expect(try svledger("init").status == 0)
        let file = directory.child("events.ndjson")
        let ids = (0..<3).map { _ in EventID.generate().description }
        let lines = ids.enumerated().map { index, id in
            #"{"eventId": "\#(id)", "streamId": "contract-\#(index % 2)", "eventType": "NoteRecorded", "effectiveDate": "2025-05-01", "actor": {"id": "a", "role": "r"}, "payload": {"n": \#(index)}}"#
        }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let first = try svledger("append", "--file", file)
        #expect(first.stdout.contains("appended 3 events at positions 1–3"))
        let retry = try svledger("append", "--file", file)
        #expect(retry.status == 0)
        #expect(retry.stdout.contains("already recorded at positions 1–3; nothing written"))
    }

    @Test("a commit that fails (file size limit reached) is reported, and the ledger stays as it was")
    func failedCommit() throws {
        #expect(try svledger("init").status == 0)
        #expect(try appendNote("contract-A", "first").status == 0)
        let headBefore = try svledger("verify").stdout
        let file = directory.child("big.ndjson")
        let big = String(repeating: "x", count: 600_000)
        try #"{"streamId": "contract-A", "eventType": "Big", "actor": {"id": "a", "role": "r"}, "payload": {"blob": "\#(big)"}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        // ulimit -f makes the data file's growth fail with EFBIG inside mdb_txn_commit;
        // SIGXFSZ is ignored so that the write fails instead of killing the process.
        let script = """
            trap '' XFSZ; ulimit -f 400
            exec "$0" append --ledger "$1" --file "$2"
            """
        let result = try CommandRunner.run("/bin/sh", ["-c", script, CommandRunner.svledgerPath, ledger, file])
        #expect(result.status == ErrorCategory.storage.exitCode, "\(result.stderr)")
        #expect(!result.wasSignalled)
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(try svledger("verify").stdout == headBefore)
        #expect(try appendNote("contract-A", "after").status == 0)
    }
}
