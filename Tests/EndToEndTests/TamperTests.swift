import EventStore
import LedgerValues
import Foundation
import Ledger
import Testing
import TestSupport

/// Each tampering must be caught, at the right position, both by `svledger verify` and by the
/// independent Python verifier, which shares no code with svledger.
@Suite("Tamper detection by both verifiers")
struct TamperTests {
    let directory = TemporaryDirectory("svledger-tamper")
    var ledger: String { directory.child("ledger") }

    /// Ten events over three streams; event n carries the marker "marker-n!".
    func makeLedger() throws {
        let writer = try Ledger(store: try EventStore(path: ledger, mode: .create))
        for index in 1...10 {
            let event = ProposedEvent(
                eventType: "NoteRecorded", effectiveDate: CalendarDate("2025-06-30")!,
                actor: ActorIdentity(id: "auditor", role: "Auditor"), reason: "tamper test",
                payload: ["text": .string("marker-\(index)!"), "amount": "12.50", "quote": "\"é\"\n"])
            _ = try writer.append([StreamAppend(streamId: "contract-\(index % 3)", events: [event])])
        }
    }

    /// Runs both verifiers; both must fail and name `position`.
    func expectBothFail(at position: UInt64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let swift = try CommandRunner.svledger(["verify", "--ledger", ledger])
        #expect(swift.status == ErrorCategory.integrity.exitCode, sourceLocation: sourceLocation)
        #expect(swift.stderr.contains("at position \(position):"), "\(swift.stderr)", sourceLocation: sourceLocation)
        let python = try CommandRunner.pythonVerifier([ledger])
        #expect(python.status == 1, "\(python.stderr)", sourceLocation: sourceLocation)
        #expect(python.stderr.contains("FAIL position \(position):"), "\(python.stderr)", sourceLocation: sourceLocation)
    }

    @Test("both verifiers agree on a good ledger's head")
    func agreeOnGoodLedger() throws {
        try makeLedger()
        let swift = try CommandRunner.svledger(["verify", "--ledger", ledger])
        let python = try CommandRunner.pythonVerifier([ledger])
        #expect(swift.status == 0)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(swift.stdout == python.stdout)
        #expect(swift.stdout.contains("head 10 "))
    }

    @Test("one changed byte in data.mdb on disk")
    func changedByteOnDisk() throws {
        try makeLedger()
        #expect(try LedgerTampering.flipByteOnDisk(ledger, marker: "marker-7!") > 0)
        try expectBothFail(at: 7)
    }

    @Test("one changed byte in a stored hash")
    func changedHashByte() throws {
        try makeLedger()
        try LedgerTampering.changeByte(ledger, position: 4, offset: 0)
        try expectBothFail(at: 4)
    }

    @Test("a deleted event")
    func deletedEvent() throws {
        try makeLedger()
        try LedgerTampering.deleteEvent(ledger, position: 5)
        try expectBothFail(at: 5)
    }

    @Test("two events swapped")
    func swappedEvents() throws {
        try makeLedger()
        try LedgerTampering.swapEvents(ledger, 2, 8)
        try expectBothFail(at: 2)
    }

    @Test("a truncated log")
    func truncatedLog() throws {
        try makeLedger()
        try LedgerTampering.truncate(ledger, keepingThrough: 7)
        try expectBothFail(at: 8)
    }

    @Test("a head written down earlier, checked after more events were appended")
    func expectedHead() throws {
        try makeLedger()
        let head = try #require(CommandRunner.svledger(["verify", "--ledger", ledger]).stdout.split(separator: " ").last)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try CommandRunner.pythonVerifier([ledger, "--expect-head", head]).status == 0)
        #expect(try CommandRunner.svledger(["verify", "--ledger", ledger, "--expect-head", head]).status == 0)
        let other = String(repeating: "ab", count: 32)
        #expect(try CommandRunner.pythonVerifier([ledger, "--expect-head", other]).status == 1)
        let swift = try CommandRunner.svledger(["verify", "--ledger", ledger, "--expect-head", other])
        #expect(swift.status == ErrorCategory.integrity.exitCode)
        #expect(swift.stderr.contains("differs from the expected"))
    }
}
