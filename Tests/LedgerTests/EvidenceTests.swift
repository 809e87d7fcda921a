import EventStore
import Foundation
import Ledger
import LedgerValues
import SocialValue
import Testing
import TestSupport

/// Evidence files kept by hash: recorded with the return that cites them, or not at all.
@Suite("Ledger: evidence files kept by hash")
struct EvidenceTests {
    static let today = CalendarDate("2026-11-22")!
    static let officer = #""actor": {"id": "a", "role": "Procurement Officer"}"#
    static let pdf = Array("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    func command(_ json: String) throws -> AnyLedgerCommand {
        .ledger(try LedgerCommand.parse(try JSONValue(parsing: json), today: Self.today, builtin: BuiltinReference.document))
    }

    /// A ledger with contracts C-1 and C-2 awarded and pledged, ready for 2025-26 returns.
    func pledged(_ directory: TemporaryDirectory, ledger given: Ledger? = nil) throws -> Ledger {
        let ledger = try given ?? Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        let head = #""actor": {"id": "r", "role": "Head of Procurement"}"#
        var commands = [
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(head)}"#,
        ]
        for contract in ["C-1", "C-2"] {
            commands += [
                #"{"command": "contract.register", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-02-03", "title": "Waste", "buyerDepartment": "Environment", "category": "services", "estimatedWholeLifeValueGBP": "2400000", "startDate": "2025-04-01", "endDate": "2027-03-31", "areasServed": ["Chorley"], "policyId": "lancashire-2024-28"}"#,
                #"{"command": "threshold.assess", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-02-03"}"#,
                #"{"command": "weighting.decide", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-02-10", "percent": "10", "basis": "policy-minimum"}"#,
                #"{"command": "contract.award", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-03-14", "supplier": "North Roads Ltd", "valueGBP": "2300000"}"#,
                #"{"command": "pledge.record", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-03-14", "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "4"}]}"#,
            ]
        }
        _ = try ledger.execute(commands: try commands.map(command), today: Self.today)
        return ledger
    }

    func report(_ files: [EvidenceFile], quarter: String = "2025-26-Q1", contract: String = "C-1") throws -> AnyLedgerCommand {
        let listed = files.map(\.json.canonicalText).joined(separator: ", ")
        return try command(
            #"{"command": "delivery.report", "contract": "\#(contract)", \#(Self.officer), "quarter": "\#(quarter)", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "1", "evidence": "HR-1", "evidenceFiles": [\#(listed)]}]}"#)
    }

    func refusal(_ body: () throws -> Void) -> DomainError? {
        do {
            try body()
            return nil
        } catch let error as DomainError {
            return error
        } catch let failure as CommandFailure {
            return failure.error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("a return's file is described from its bytes, kept in the return's transaction, read back whole, and verified")
    func keptWithTheReturn() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let file = try EvidenceFile.describing(Self.pdf, name: "starters-q1.pdf")
        #expect(file.mediaType == "application/pdf" && file.size == Self.pdf.count && file.sha256.count == 64)
        let outcome = try ledger.execute(commands: [try report([file])], today: Self.today, evidence: [Self.pdf])
        #expect(outcome.recorded.map(\.eventType) == ["DeliveryReported"])
        #expect(try ledger.evidenceBytes(contract: "C-1", sha256: file.sha256).bytes == Self.pdf)
        let listed = try ledger.evidence(contract: "C-1")
        #expect(listed.map(\.status) == [.kept] && listed.first?.citation.measure == "NT1")
        #expect(try ledger.verifyAll().notes.first == "evidence: 1 file citation kept intact, 0 erased")
    }

    @Test("bytes not given, bytes no line cites, and bytes that are not the file the line names are each refused, and nothing is written")
    func wrongBytesRefused() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let file = try EvidenceFile.describing(Self.pdf, name: "starters-q1.pdf")
        let head = try ledger.store.head()
        // Cited, never given.
        #expect(refusal { _ = try ledger.execute(commands: [try report([file])], today: Self.today) }?.rule == .evidenceFile)
        // Given, but the line cites other bytes: the file changed between hashing and sending.
        var changed = Self.pdf
        changed[changed.count - 2] = UInt8(ascii: "X")
        #expect(refusal { _ = try ledger.execute(commands: [try report([file])], today: Self.today, evidence: [changed]) }?.message.contains("not kept for this contract") == true)
        // The line names a size or a kind its bytes are not.
        let wrongSize = EvidenceFile(sha256: file.sha256, size: file.size + 1, mediaType: file.mediaType, name: file.name)
        #expect(refusal { _ = try ledger.execute(commands: [try report([wrongSize])], today: Self.today, evidence: [Self.pdf]) }?.message.contains("bytes, but its line says") == true)
        let wrongKind = EvidenceFile(sha256: file.sha256, size: file.size, mediaType: "image/png", name: file.name)
        #expect(refusal { _ = try ledger.execute(commands: [try report([wrongKind])], today: Self.today, evidence: [Self.pdf]) }?.rule == .evidenceFile)
        // Given, and cited by no line.
        #expect(refusal { _ = try ledger.execute(commands: [try report([file])], today: Self.today, evidence: [Self.pdf, Self.png]) }?.message.contains("no line cites") == true)
        #expect(try ledger.store.head() == head)
        #expect(try ledger.evidence(contract: "C-1").isEmpty)
        #expect(try ledger.store.read { try $0.evidence(EventStore.evidenceDigest(Self.pdf), stream: "contract/C-1") } == nil, "no bytes kept either")
    }

    @Test("in a group commit, a request whose file is wrong is refused alone; the others are recorded with their files")
    func groupRefusesOneRequest() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let pdf = try EvidenceFile.describing(Self.pdf, name: "q1.pdf")
        let results = try ledger.executeGroup([
            Ledger.Request([try report([pdf], quarter: "2025-26-Q1")], evidence: []),
            Ledger.Request([try report([pdf], quarter: "2025-26-Q2")], evidence: [Self.pdf]),
        ], today: Self.today)
        guard case .failure(let error) = results[0], case .success(let second) = results[1] else { Issue.record("\(results)"); return }
        #expect((error as? DomainError)?.rule == .evidenceFile || (error as? CommandFailure)?.error.rule == .evidenceFile)
        #expect(second.recorded.count == 1)
        #expect(try ledger.evidenceBytes(contract: "C-1", sha256: pdf.sha256).bytes == Self.pdf)
    }

    @Test("a file kept already may be cited again without its bytes; content-addressed, it is kept once")
    func citedAgain() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let file = try EvidenceFile.describing(Self.pdf, name: "rota.pdf")
        _ = try ledger.execute(commands: [try report([file], quarter: "2025-26-Q1")], today: Self.today, evidence: [Self.pdf])
        _ = try ledger.execute(commands: [try report([file], quarter: "2025-26-Q2")], today: Self.today)
        #expect(try ledger.evidence(contract: "C-1").map(\.status) == [.kept, .kept])
    }

    @Test("verify fails on a changed file and on a missing one, each at the return that cites it, and says which")
    func verifyCatchesTampering() throws {
        for remove in [false, true] {
            let directory = TemporaryDirectory()
            let path = directory.child("ledger")
            do {
                let ledger = try pledged(directory)
                _ = try ledger.execute(commands: [try report([try EvidenceFile.describing(Self.pdf, name: "q1.pdf")])], today: Self.today, evidence: [Self.pdf])
            }
            try LedgerTampering.alterEvidence(path, remove: remove)
            let ledger = try Ledger(store: try EventStore(path: path, mode: .readOnly))
            let failure = #expect(throws: VerificationFailure.self) { try ledger.verifyAll() }
            #expect(failure?.position == 13, "the return's position")
            #expect(failure?.problem.contains(remove ? "is missing" : "has changed") == true, "\(failure?.problem ?? "")")
        }
    }

    @Test("a contract keeps its own files: another's cannot be cited by its hash alone, and the same bytes sent for two contracts are kept for each, so erasing one leaves the other")
    func keptPerContract() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let file = try EvidenceFile.describing(Self.pdf, name: "rota.pdf")
        _ = try ledger.execute(commands: [try report([file], contract: "C-1")], today: Self.today, evidence: [Self.pdf])
        // Knowing the hash is not enough to reach C-1's file from C-2's return.
        let refused = refusal { _ = try ledger.execute(commands: [try report([file], contract: "C-2")], today: Self.today) }
        #expect(refused?.rule == .evidenceFile && refused?.message.contains("not kept for this contract") == true, "\(refused?.message ?? "")")
        #expect(try ledger.evidence(contract: "C-2").isEmpty)
        // Sent with C-2's return, the same bytes are kept for C-2 too.
        _ = try ledger.execute(commands: [try report([file], contract: "C-2")], today: Self.today, evidence: [Self.pdf])
        let erase = try command(#"{"command": "evidence.erase", "contract": "C-1", "actor": {"id": "d", "role": "Administrator"}, "reason": "asked", "sha256": "\#(file.sha256)"}"#)
        _ = try ledger.execute(commands: [erase], today: Self.today)
        #expect(try ledger.evidence(contract: "C-1").map(\.status.code) == ["erased"])
        #expect(try ledger.evidenceBytes(contract: "C-2", sha256: file.sha256).bytes == Self.pdf)
        #expect(try ledger.verifyAll().notes.first == "evidence: 1 file citation kept intact, 1 erased")
    }

    @Test("an erased file is not kept again for its contract, even sent with its bytes")
    func erasedNotKeptAgain() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let file = try EvidenceFile.describing(Self.pdf, name: "payslip.pdf")
        _ = try ledger.execute(commands: [try report([file])], today: Self.today, evidence: [Self.pdf])
        let erase = try command(#"{"command": "evidence.erase", "contract": "C-1", "actor": {"id": "d", "role": "Administrator"}, "reason": "asked", "sha256": "\#(file.sha256)"}"#)
        _ = try ledger.execute(commands: [erase], today: Self.today)
        let again = refusal { _ = try ledger.execute(commands: [try report([file], quarter: "2025-26-Q2")], today: Self.today, evidence: [Self.pdf]) }
        #expect(again?.rule == .evidenceFile && again?.message.contains("an administrator erased") == true, "\(again?.message ?? "")")
        #expect(try ledger.store.read { try $0.evidence(EventStore.evidenceDigest(Self.pdf), stream: "contract/C-1") } == nil)
    }

    @Test("an administrator erases a file's bytes with a reason: verify then reports it erased, and it cannot be read")
    func erasure() throws {
        let directory = TemporaryDirectory()
        let ledger = try pledged(directory)
        let file = try EvidenceFile.describing(Self.pdf, name: "payslip.pdf")
        _ = try ledger.execute(commands: [try report([file])], today: Self.today, evidence: [Self.pdf])
        let erase = { (role: String, reason: String?) throws -> AnyLedgerCommand in
            try command(#"{"command": "evidence.erase", "contract": "C-1", "actor": {"id": "d", "role": "\#(role)"}, \#(reason.map { #""reason": "\#($0)","# } ?? "") "sha256": "\#(file.sha256)"}"#)
        }
        #expect(refusal { _ = try ledger.execute(commands: [try erase("Contract Manager", "no")], today: Self.today) }?.rule == .erasureAuthority)
        #expect(refusal { _ = try ledger.execute(commands: [try erase("Administrator", nil)], today: Self.today) }?.rule == .reasonRequired)
        let outcome = try ledger.execute(commands: [try erase("Administrator", "Retention period ended")], today: Self.today)
        #expect(outcome.recorded.map(\.eventType) == ["EvidenceErased"])
        #expect(try ledger.store.read { try $0.evidence(EventStore.evidenceDigest(Self.pdf), stream: "contract/C-1") } == nil)
        #expect(try ledger.evidence(contract: "C-1").map(\.status) == [.erased(position: outcome.positions[0])])
        #expect(try ledger.verifyAll().notes.last?.contains("erased by event \(outcome.positions[0])") == true)
        #expect(refusal { _ = try ledger.execute(commands: [try erase("Administrator", "again")], today: Self.today) }?.message.contains("already erased") == true)
        #expect(throws: PlainError.self) { try ledger.evidenceBytes(contract: "C-1", sha256: file.sha256) }
    }
}
