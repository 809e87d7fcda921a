import Foundation
import Testing
import TestSupport

/// Cases 3, 6 and 10 of issue 11: where output goes, and what happens when it cannot.
@Suite("Faults: output", Fault.needsRoot)
struct OutputFaultTests {
    let directory = TemporaryDirectory("svledger-fault-output")
    var ledger: String { directory.child("ledger") }

    @Test("case 3: --out into a ledger's directory is refused and the ledger is untouched")
    func outIntoLedgerRefused() throws {
        try Fault.demoLedger(ledger)
        let before = Fault.bytes(ledger + "/data.mdb")
        for arguments in [
            ["export", "ndjson", "--out", ledger + "/data.mdb"],
            ["export", "ndjson", "--out", ledger + "/events.ndjson"],
            ["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--out", ledger + "/data.mdb"],
            ["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--out", ledger + "/lock.mdb"],
        ] {
            Fault.expectFailure(try Fault.svledger(arguments + ["--ledger", ledger]), kind: "output-in-ledger", exit: 1)
        }
        #expect(Fault.bytes(ledger + "/data.mdb") == before)
        try Fault.succeed(["verify", "--ledger", ledger])
        Fault.expectFailure(try Fault.svledger(["backup", "--ledger", ledger, ledger + "/copy"]), kind: "output-in-ledger", exit: 1)
    }

    @Test("case 3: a file that cannot be written whole leaves no partial file and the old one as it was")
    func atomicOutputFiles() throws {
        try Fault.demoLedger(ledger)
        let small = try Mount.tmpfs(at: directory.child("small"), size: "16k")
        let existing = small.path + "/report.html"
        try "the old report".write(toFile: existing, atomically: false, encoding: .utf8)
        for (arguments, target) in [
            (["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--out", existing], existing),
            (["export", "ndjson", "--out", small.path + "/events.ndjson"], small.path + "/events.ndjson"),
        ] {
            Fault.expectFailure(try Fault.svledger(arguments + ["--ledger", ledger]), kind: "write-failed", exit: 74)
            _ = target
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "the old report")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path) == ["report.html"], "no partial or temporary file is left")
    }

    @Test("case 6: every output to a full disk or /dev/full fails with write-failed; a closed pipe ends quietly")
    func fullOutputs() throws {
        try Fault.demoLedger(ledger)
        let reads = [
            "reconcile --period 2025-26-Q2 --format csv", "contracts --format csv", "audit LCC-2025-033 --format csv",
            "export ndjson", "report cabinet --period 2025-26-Q2 --council lancashire", "log", "log --format json", "show LCC-2025-033", "verify",
        ]
        for read in reads {
            let result = try Fault.shell("\"$SVLEDGER\" \(read) --ledger '\(ledger)' > /dev/full")
            Fault.expectFailure(result, kind: "write-failed", exit: 74)
        }
        let small = try Mount.tmpfs(at: directory.child("small"), size: "8k")
        try small.fill()
        let redirected = try Fault.shell("\"$SVLEDGER\" reconcile --period 2025-26-Q2 --format csv --ledger '\(ledger)' > '\(small.path)/out.csv'")
        Fault.expectFailure(redirected, kind: "write-failed", exit: 74)

        for read in ["log", "export ndjson", "report cabinet --period 2025-26-Q2 --council lancashire"] {
            let piped = try Fault.shell("\"$SVLEDGER\" \(read) --ledger '\(ledger)' | head -c 10 > /dev/null")
            #expect(piped.status == 0 && piped.stderr.isEmpty, "\(read) | head: \(piped.stderr)")
        }
    }

    @Test("case 10: file-system failures are said in words, never as a raw Foundation error")
    func fileSystemErrorsInWords() throws {
        try Fault.demoLedger(ledger)
        let file = directory.child("a-file")
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let results = [
            try Fault.svledger(["backup", "--ledger", ledger, file]),
            try Fault.svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--ledger", ledger, "--out", directory.path]),
            try Fault.svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--ledger", ledger, "--out", directory.child("nowhere/r.html")]),
            try Fault.svledger(["export", "ndjson", "--ledger", ledger, "--out", file + "/x"]),
        ]
        for result in results {
            #expect(result.status != 0 && !result.wasSignalled)
            #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"), "\(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        Fault.expectFailure(results[0], kind: "backup-target-not-empty", exit: 1)
        Fault.expectFailure(results[1], kind: "output-is-directory", exit: 65)
        Fault.expectFailure(results[2], kind: "directory-not-found", exit: 66)
    }
}
