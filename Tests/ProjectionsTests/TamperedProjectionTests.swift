import EventStore
import LedgerValues
import Projections
import SocialValue
import Testing
import TestSupport

/// A stored projection edited behind svledger's back (issue 12: a delivered quantity 140000 →
/// 940000 was shown by every read). Reads of figures are folded from the log alone, so the edit
/// is never shown; verify compares the store with the log and names the contract and the figure.
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

    @Test("a read of figures is the log's fold: the edited projection is never shown")
    func readsFoldTheLog() throws {
        let path = try tamperedLedger()
        let store = try EventStore(path: path, mode: .readOnly)
        let projections = try ProjectionStore(store: store)
        let q1 = { (snapshot: Snapshot) in snapshot.contract("HW-1")?.deliveries.first { $0.quarter.description == "2025-26-Q1" && $0.measure == "NT1" }?.quantity }
        // The stored copy holds the edit; the fold every read of figures takes does not.
        #expect(q1(try Snapshot.load(store: store, projections: projections)) == ExactDecimal(9))
        #expect(q1(try Snapshot.folded(store: store)) == ExactDecimal(4))
        #expect(try Snapshot.folded(store: store, at: 10).position == 10)
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
