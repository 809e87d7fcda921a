import EventStore
import LedgerValues
import Ledger
import Projections
import Queries
import SocialValue
import SyntheticData
import Testing
import TestSupport

/// The fold a server holds at the head: folded once, then each commit's events, and what
/// another process wrote; never a log that changed under it.
@Suite("Live fold")
struct LiveFoldTests {
    let directory = TemporaryDirectory("svledger-live-fold")

    func populated() throws -> Ledger {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 2_000, eventsPerContract: 50)
        return ledger
    }

    static func note(_ text: String) -> [StreamAppend] {
        [StreamAppend(streamId: "notes-1", expectedVersion: .any, events: [
            ProposedEvent(eventType: "NoteRecorded", effectiveDate: CalendarDate("2026-01-01")!, actor: ActorIdentity(id: "a", role: "Auditor"), payload: ["text": .string(text)]),
        ])]
    }

    @Test("it equals a fresh fold of the log after its own commits and after writes it did not see")
    func followsTheLog() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        let live = try LiveFold(store: ledger.store)
        #expect(live.startup.events == 0)
        // Written without telling it (as another process would): the next read folds it all.
        try SyntheticPortfolio.populate(ledger, events: 2_000, eventsPerContract: 50)
        let fresh = try Snapshot.folded(store: ledger.store)
        let caughtUp = try live.current(ledger.store)
        #expect(caughtUp.head == fresh.head)
        #expect(caughtUp.contracts == fresh.contracts)
        #expect(caughtUp.contracts.count > 30)
        #expect(caughtUp.reference.policies.mapValues { $0.map(\.version) } == fresh.reference.policies.mapValues { $0.map(\.version) })
        #expect(caughtUp.reference.catalogs.mapValues { $0.map(\.version) } == fresh.reference.catalogs.mapValues { $0.map(\.version) })
        // A fold made at start equals it too.
        #expect(try LiveFold(store: ledger.store).current(ledger.store).contracts == fresh.contracts)
        // Events handed over by their commit are folded there.
        let outcome = try ledger.append(Self.note("n"))
        live.committed(outcome.recorded)
        #expect(try live.current(ledger.store).head == outcome.head)
        // One contract, looked up at the head, is the contract's own stream folded.
        let reference = try #require(fresh.contracts.last?.reference)
        #expect(try live.current(ledger.store, contract: reference).contracts == Snapshot.folded(store: ledger.store, contract: reference).contracts)
    }

    @Test("the commitments in force it keeps for a day, from the start or from when first asked, equal a fresh fold limited to that day")
    func commitmentsInForce() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        let days = ["2025-06-30", "2025-12-31", "2026-06-30"].compactMap(CalendarDate.init)
        try SyntheticPortfolio.populate(ledger, events: 800, eventsPerContract: 60)
        // Two days kept from the start, the third folded when first asked for; then more is written.
        let live = try LiveFold(store: ledger.store, inForceOn: Array(days.prefix(2)))
        try SyntheticPortfolio.populate(ledger, events: 800, eventsPerContract: 60, seed: 99, firstContract: 1_000)
        _ = try live.current(ledger.store, inForceOn: [days[2]])
        try SyntheticPortfolio.populate(ledger, events: 800, eventsPerContract: 60, seed: 7, firstContract: 2_000)
        let (snapshot, inForce) = try live.current(ledger.store, inForceOn: days)
        let fresh = try Snapshot.folded(store: ledger.store)
        #expect(snapshot.contracts == fresh.contracts)
        var differed = 0
        for (day, kept) in zip(days, inForce) {
            let limited = try fresh.limited(.commitmentsInForce(on: day), store: ledger.store)
            #expect(kept.contracts == limited.contracts, "on \(day)")
            if limited.contracts != fresh.contracts { differed += 1 }
        }
        #expect(differed > 0, "no day changed what was in force: the test would not tell a kept fold from the whole one")
    }

    @Test("a log changed at the position it holds is refused when it next catches up, not folded")
    func refusesAChangedLog() throws {
        let path = directory.child("ledger")
        let live: LiveFold
        let held: UInt64
        do {
            let ledger = try populated()
            live = try LiveFold(store: ledger.store)
            held = try ledger.store.head().position
        }
        // The event it folded last gets another hash; then someone writes after it.
        try LedgerTampering.changeByte(path, position: held, offset: 3)
        let reopened = try Ledger(store: try EventStore(path: path, mode: .readWrite))
        _ = try reopened.append(Self.note("after"))
        let failure = #expect(throws: VerificationFailure.self) { try live.current(reopened.store) }
        #expect(failure?.position == held)
        #expect(failure?.description.contains("no longer verifies") == true, "\(failure.map(String.init(describing:)) ?? "")")
        // And it stays refused: nothing was folded.
        #expect(throws: VerificationFailure.self) { try live.current(reopened.store) }
    }
}

/// The log decoded on several cores is the log, in order.
@Suite("Decoded log")
struct DecodedLogTests {
    let directory = TemporaryDirectory("svledger-decoded-log")

    @Test("chunks decoded side by side come back in log order, typed where they are contract events, and fold as a sequential read does", arguments: [(1, 7), (3, 7), (4, 1_000)] as [(Int, UInt64)])
    func inOrder(width: Int, chunk: UInt64) throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 1_500, eventsPerContract: 40)
        let head = try ledger.store.head().position
        var positions: [UInt64] = []
        var parallel = ContractFold()
        try DecodedLog.forEach(store: ledger.store, from: 5, through: head - 3, width: width, chunk: chunk) { decoded in
            switch decoded {
            case .contract(let facts, let event):
                positions.append(facts.position)
                #expect(facts.streamId.hasPrefix("contract/"), "\(facts.streamId)")
                parallel.apply(event, facts: facts)
            case .other(let event):
                positions.append(event.position)
                #expect(!event.streamId.hasPrefix("contract/"), "\(event.streamId)")
            }
        }
        #expect(positions == Array(5...(head - 3)))
        var sequential = ContractFold()
        try ledger.store.read { reader in
            try reader.forEachEvent(from: 5, through: head - 3) { event in
                try sequential.apply(event)
                return true
            }
        }
        #expect(parallel.sortedContracts == sequential.sortedContracts)
    }

    @Test("returns and corrections typed straight from their bytes are, fact for fact, the events the general reading gives; anything else is read the general way")
    func typedFromBytesAsTheGeneralWay() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 400, eventsPerContract: 40)
        func line(_ evidence: String, unit: String? = nil) -> JSONValue {
            var members: JSONObject = ["evidence": .string(evidence), "measure": "NT1", "pledged": true, "quantity": "2.5"]
            if let unit { members["unit"] = .string(unit) }
            return .object(members)
        }
        let payloads: [(String, String, JSONValue)] = [
            ("contract/ODD-1", "DeliveryReported", ["attributionConfirmed": true, "effectiveDateDefaulted": true, "lines": [line("EV \"1\" é\n")], "quarter": "2025-26-Q1"]),
            ("contract/ODD-1", "DeliveryReported", ["attributionConfirmed": false, "lines": [line("EV", unit: "x")], "quarter": "2025-26-Q2"]),
            ("contract/ODD-1", "DeliveryCorrected", ["correctsEventId": .string(EventID.generate().description), "lines": [line("EV-rev")], "quarter": "2025-26-Q1"]),
            ("contract/ODD-1", "DeliveryCorrected", ["correctsEventId": .string(EventID.generate().description), "effectiveDateDefaulted": .null, "lines": [line("EV-rev")], "quarter": "2025-26-Q1"]),
            ("notes/ODD-1", "DeliveryReported", ["attributionConfirmed": true, "lines": [line("EV")], "quarter": "2025-26-Q1"]),
        ]
        for (index, (stream, type, payload)) in payloads.enumerated() {
            let actor = index == 1 ? ActorIdentity(id: "zoë", role: "Supplier") : ActorIdentity(id: "a", role: "Supplier")
            _ = try ledger.store.append([ProposedEvent(
                eventType: type, effectiveDate: CalendarDate("2025-07-01")!, actor: actor, reason: index == 2 ? "a \"quoted\" reason" : nil, payload: payload)], to: stream)
        }
        let head = try ledger.store.head().position
        var expected: [DecodedLog.Decoded] = []
        try ledger.store.read { reader in
            try reader.forEachEvent(from: 1, through: head) { event in
                if event.streamId.hasPrefix("contract/"), let typed = try ContractEvent(type: event.eventType, payload: event.payload) {
                    expected.append(.contract(EventFacts(event), typed))
                } else {
                    expected.append(.other(event))
                }
                return true
            }
        }
        var decoded: [DecodedLog.Decoded] = []
        try DecodedLog.forEach(store: ledger.store, through: head, width: 2, chunk: 64) { decoded.append($0) }
        #expect(decoded.count == expected.count)
        var typedReturns = 0
        for (got, want) in zip(decoded, expected) {
            switch (got, want) {
            case (.contract(let facts, let event), .contract(let wantFacts, let wantEvent)):
                #expect(facts == wantFacts)
                #expect(event == wantEvent)
                if case .deliveryReported = event { typedReturns += 1 }
            case (.other(let event), .other(let wantEvent)):
                #expect(event == wantEvent)
            default:
                Issue.record("decoded \(got) where the general reading gives \(want)")
            }
        }
        #expect(typedReturns > 10)
        // And the returns, corrections, pledges, refreshes and checks of returns svledger wrote
        // are typed from their bytes, not the general way: every one of the synthetic ledger's
        // (pledges among them), and of the odd ones all but the second
        // (an unknown field) and the fourth (a flag that is null). The fifth is typed too, and
        // DecodedLog then reads it the general way, as another stream's event.
        var fast: [UInt64] = [], deliveries: [UInt64] = [], pledges = 0
        try ledger.store.read { reader in
            var strings = RecentStrings()
            try reader.forEachStoredValue(from: 1, through: head) { stored in
                let event = try RecordedEvent(storedValue: stored)
                if CanonicalDeliveryPayload.reads(event.eventType) { deliveries.append(event.position) }
                if event.eventType == "PledgeRecorded" { pledges += 1 }
                let read = EnvelopeLayout.fields(storedValue: stored, strings: &strings) { parser, type in CanonicalDeliveryPayload.read(type: type, &parser) != nil }
                if read != nil { fast.append(event.position) }
                return true
            }
        }
        #expect(fast == deliveries.filter { ![head - 3, head - 1].contains($0) })
        #expect(fast.count > 20)
        #expect(pledges > 3)
        #expect(decoded.suffix(5).map { if case .contract(let facts, _) = $0 { facts.effectiveDateDefaulted } else { false } } == [true, false, false, false, false])
    }

    struct Stop: Error {}

    @Test("a body that throws part-way stops the decoding ahead of it: the error comes back, no event after it is handed on, and a new read follows", arguments: [UInt64(1), 40, 700])
    func stopsWhenTheBodyThrows(at stop: UInt64) throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 1_000, eventsPerContract: 40)
        let head = try ledger.store.head().position
        var seen: [UInt64] = []
        #expect(throws: Stop.self) {
            try DecodedLog.forEach(store: ledger.store, through: head, width: 2, chunk: 16) { decoded in
                let position = switch decoded {
                case .contract(let facts, _): facts.position
                case .other(let event): event.position
                }
                seen.append(position)
                if position == stop { throw Stop() }
            }
        }
        #expect(seen == Array(1...stop))
        // Every worker has let go of its read transaction: the ledger still writes and reads whole.
        _ = try SyntheticPortfolio.populate(ledger, events: 10, eventsPerContract: 5, firstContract: 900)
        var count: UInt64 = 0
        try DecodedLog.forEach(store: ledger.store, through: try ledger.store.head().position) { _ in count += 1 }
        #expect(count == (try ledger.store.head().position))
    }
}
