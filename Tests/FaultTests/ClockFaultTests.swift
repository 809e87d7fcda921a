import Foundation
import Testing
import TestSupport

/// Cases 4 and 5 of issue 11: a clock the envelope cannot hold, and a clock that ran ahead.
@Suite("Faults: clocks")
struct ClockFaultTests {
    let directory = TemporaryDirectory("svledger-fault-clock")

    @Test("case 4: a clock at or past year 10000 is refused, nothing is written, and the ledger stays readable")
    func clockPastYear9999() throws {
        let ledger = directory.child("ledger")
        try Fault.succeed(["init", "--ledger", ledger])
        #expect(try Fault.note(ledger).status == 0)
        let before = Fault.bytes(ledger + "/data.mdb")
        // 253402300800 is 10000-01-01T00:00:00Z: refused, and nothing is written.
        Fault.expectFailure(try Fault.svledger(at: "@253402300800", Fault.noteArguments(ledger)), kind: "clock-out-of-range", exit: 1)
        #expect(Fault.bytes(ledger + "/data.mdb") == before)
        // The last minutes of year 9999 are within range: recorded, and they read back. (Two
        // minutes before the end, not one second: faketime's clock runs on from the instant it
        // is given, and a slow start on a busy machine must not carry it into year 10000.)
        #expect(try Fault.svledger(at: "@253402300680", Fault.noteArguments(ledger)).status == 0)
        #expect(try Fault.succeed(["verify", "--ledger", ledger]).contains("verified 2 events"))
        #expect(try Fault.succeed(["log", "--ledger", ledger]).contains("9999-12-31T23:5"))
        let python = try CommandRunner.pythonVerifier([ledger])
        #expect(python.status == 0, "\(python.stderr)")
        // And a correct clock after it is refused as behind the ledger (case 5), never pinned.
        Fault.expectFailure(try Fault.note(ledger), kind: "clock-behind-ledger", exit: 1)
    }

    @Test("case 5: after one write from a clock that ran ahead, a correct clock is refused with a way on, and verify reports it")
    func forwardSkewedClock() throws {
        let ledger = directory.child("ledger")
        try Fault.succeed(["init", "--ledger", ledger])
        #expect(try Fault.svledger(at: "2031-06-01 12:00:00", Fault.noteArguments(ledger)).status == 0)
        let before = Fault.bytes(ledger + "/data.mdb")

        let refused = try Fault.note(ledger)
        Fault.expectFailure(refused, kind: "clock-behind-ledger", exit: 1)
        // faketime's clock runs on from the instant it is given, and a slow start on a busy machine
        // lands the write a second or more later: match the ledger's time to the ten minutes.
        #expect(refused.stderr.contains("2031-06-01T12:0"), "it names the ledger's time: \(refused.stderr)")
        #expect(refused.stderr.contains("docs/operations.md"), "and where the way on is written")
        #expect(Fault.bytes(ledger + "/data.mdb") == before, "nothing was written")

        // Within the tolerance, a clock a little behind is fine (times never go backwards).
        #expect(try Fault.svledger(at: "2031-06-01 11:58:00", Fault.noteArguments(ledger)).status == 0)

        // The documented, deliberate way on: record at the ledger's time.
        let accepted = try Fault.note(ledger, environment: ["SVLEDGER_ACCEPT_LEDGER_TIME": "1"])
        #expect(accepted.status == 0, "\(accepted.stderr)")

        let verify = try Fault.svledger(["verify", "--ledger", ledger])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("3 events recorded more than 5 minutes ahead of this machine's clock, the first at position 1 (2031-06-01T12:0"),
                "verify reports the times ahead: \(verify.stdout)")
        let python = try CommandRunner.pythonVerifier([ledger])
        #expect(python.status == 0 && python.stdout == verify.stdout, "the two verifiers agree: \(python.stdout) \(python.stderr)")
    }
}
