import EventStore
import LedgerValues
import Projections
import SocialValue
import Testing
import TestSupport

/// A stored projection edited behind svledger's back (issue 12: a delivered quantity 140000 →
/// 940000 was shown by every read): a read of figures compares it with the log and refuses it
/// as possible tampering, naming the contract and the figure; verify does the same.
@Suite("Tampered projections")
struct TamperedProjectionTests {
    let fixture = ProjectionTests()

    /// The hand-worked contract with its Q1 delivered NT1 changed from 4 to 9 in the store.
    func tamperedLedger() throws -> String {
        do {
            let ledger = try fixture.makeLedger()
            try fixture.handWorkedContract(ledger)
        }
        let path = fixture.directory.child("ledger")
        try LedgerTampering.alterProjection(path, contract: "HW-1") { bytes in
            var projection = try ProjectionCodec.decode(bytes)
            let index = try #require(projection.deliveries.firstIndex { $0.quarter.description == "2025-26-Q1" && $0.measure == "NT1" })
            projection.deliveries[index].quantity = ExactDecimal(9)
            bytes = ProjectionCodec.encode(projection)
        }
        return path
    }

    @Test("a checked read refuses the edited projection, naming the contract and the figure")
    func checkedReadRefuses() throws {
        let path = try tamperedLedger()
        let store = try EventStore(path: path, mode: .readOnly)
        let projections = try ProjectionStore(store: store)
        // Unchecked, the edited figure would be read as it is: that is what the check is for.
        #expect(try Snapshot.load(store: store, projections: projections).contract("HW-1")?.deliveries.first?.quantity == ExactDecimal(9))
        let error = #expect(throws: ProjectionError.self) {
            try Snapshot.load(store: store, projections: projections, checkedAgainstLog: true)
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("possible tampering: the stored projection of contract HW-1 does not match the log"))
        #expect(message.contains("delivered NT1 in 2025-26-Q1: stored 9, the log gives 4"), "\(message)")
        #expect(error?.kind == "projection-differs")
        #expect(error?.category == .integrity)
        // As of an earlier position the log is replayed, so the figures are the log's.
        #expect(try Snapshot.load(store: store, projections: projections, at: 10, checkedAgainstLog: true).position == 10)
    }

    @Test("verify names the contract and the figure")
    func verifyNames() throws {
        let path = try tamperedLedger()
        let store = try EventStore(path: path, mode: .readOnly)
        let projections = try ProjectionStore(store: store)
        let error = #expect(throws: ProjectionError.self) { try projections.verifyAgainstReplay() }
        #expect(error?.description.contains("contract HW-1") == true)
        #expect(error?.description.contains("delivered NT1 in 2025-26-Q1: stored 9, the log gives 4") == true)
    }
}
