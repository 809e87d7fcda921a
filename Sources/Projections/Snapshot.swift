import EventStore
import LedgerValues
import SocialValue
import Transparency

/// What the ledger held at one position: every contract's projection and the reference data
/// in force, with the head they were folded at. A read "as of" an earlier date or position is
/// the same fold stopped at that position, so a refresh or correction recorded later does not show.
public struct Snapshot: Sendable {
    public let position: UInt64
    public let hash: ChainHash
    /// The root of the Merkle tree of the events up to `position` (Schemas/README.md §11): what
    /// a checkpoint of that size signs, and what the portfolio's figures file states. `nil` in a
    /// snapshot of one contract, whose figures state no head.
    public let treeRoot: TreeHash?
    public let contracts: [ContractProjection]
    public let reference: ReferenceData
    /// The one contract this snapshot was folded for (`show`, a contract's reconciliation), or
    /// `nil` when it holds every contract. A limit then replays only that contract's stream.
    public let only: String?
    /// The day this snapshot shows things as they stood on by effective dates (`--on`), if any:
    /// a replay for the commitments in force leaves out what took effect after it, too.
    public let effectiveOn: CalendarDate?

    public init(
        position: UInt64, hash: ChainHash, treeRoot: TreeHash?, contracts: [ContractProjection], reference: ReferenceData, only: String? = nil,
        effectiveOn: CalendarDate? = nil
    ) {
        self.position = position
        self.hash = hash
        self.treeRoot = treeRoot
        self.contracts = contracts
        self.reference = reference
        self.only = only
        self.effectiveOn = effectiveOn
    }

    /// The position and hash this snapshot was read at.
    public var head: LedgerHead { LedgerHead(position: position, hash: hash) }

    public func contract(_ reference: String) -> ContractProjection? { contracts.first { $0.reference == reference } }

    /// The snapshot at `position` (the head when `nil`) folded from the log alone: what every
    /// read of the portfolio shows, derived only from the chain `verify` checks. The events are
    /// decoded on every core (``DecodedLog``) and applied in log order.
    public static func folded(store: EventStore, at position: UInt64? = nil) throws -> Snapshot {
        let (target, hash, treeRoot, reference) = try readPoint(store: store, at: position)
        var fold = ContractFold()
        try DecodedLog.forEach(store: store, through: target, chained: false) { decoded in
            if case .contract(let facts, let event) = consume decoded { fold.apply(event, facts: facts) }
        }
        return Snapshot(position: target, hash: hash, treeRoot: treeRoot, contracts: fold.sortedContracts, reference: reference)
    }

    /// One contract's snapshot at `position` (the head when `nil`): its stream alone folded,
    /// with the reference data, so that a read of one contract costs its own events, not the
    /// log's. Empty of contracts when none is registered under `contract` by then.
    public static func folded(store: EventStore, at position: UInt64? = nil, contract: String) throws -> Snapshot {
        try store.read { reader in
            let head = try reader.head()
            return try folded(reader, through: min(position ?? head.position, head.position), head: head, only: contract)
        }
    }

    private static func folded(_ reader: LedgerReader, through target: UInt64, head: LedgerHead, only: String) throws -> Snapshot {
        let hash = target == head.position ? head.hash : try reader.event(at: target)?.hash ?? .genesis
        let reference = try ReferenceReplay.referenceData(reader, through: target)
        var fold = ContractFold()
        try reader.forEachEvent(inStream: ContractEvent.stream(contract: only), through: target) { event in
            try fold.apply(event)
            return true
        }
        return Snapshot(position: target, hash: hash, treeRoot: nil, contracts: fold.sortedContracts, reference: reference, only: only)
    }

    /// The same snapshot with its contracts folded under `limit`: the commitments in force on a
    /// day, or everything as it stood on a day by effective dates. Only contracts the limit can
    /// change are replayed: for commitments in force, those whose pledge or a refresh took effect
    /// after the day; for the effective view, every contract, in one pass over the log.
    /// - Parameter onePassFraction: see ``onePassFraction``; tests set it to take either path.
    public func limited(_ limit: EffectiveLimit, store: EventStore, onePassFraction: Int = Snapshot.onePassFraction) throws -> Snapshot {
        switch limit {
        case .none:
            return self
        case .commitmentsInForce(let day, _):
            let changed = contracts.filter { ($0.commitmentsChangedOn ?? day) > day }
            if changed.isEmpty { return self }
            // Pledged after the day: nothing was in force, and no replay is needed to say so.
            let replayed = changed.filter { ($0.pledgedOn ?? day) <= day }.map(\.reference)
            // A snapshot of one contract replays its stream: never the whole log.
            let onePassFraction = only == nil ? onePassFraction : 0
            // Read as things stood on a day, the replay leaves out what took effect after it, as
            // this snapshot did (a later closure or correction does not show): its own day holds.
            var replays = ContractFold(limit: .commitmentsInForce(on: day, effectiveOn: effectiveOn))
            if replayed.count * onePassFraction > contracts.count {
                // Many contracts to replay: one pass over the log, read in order (and decoded on
                // every core), costs less than a walk of each stream, whose events lie scattered.
                try DecodedLog.forEach(store: store, through: position, chained: false) { decoded in
                    if case .contract(let facts, let event) = consume decoded { replays.apply(event, facts: facts) }
                }
            } else {
                try store.read { reader in
                    for reference in replayed {
                        try reader.forEachEvent(inStream: ContractEvent.stream(contract: reference), through: position) { event in
                            try replays.apply(event)
                            return true
                        }
                    }
                }
            }
            return inForce(on: day, replays: replays)
        case .effective(let day):
            var fold = ContractFold(limit: limit)
            if let only {
                try store.read { reader in
                    try reader.forEachEvent(inStream: ContractEvent.stream(contract: only), through: position) { event in
                        try fold.apply(event)
                        return true
                    }
                }
            } else {
                try DecodedLog.forEach(store: store, through: position, chained: false) { decoded in
                    if case .contract(let facts, let event) = consume decoded { fold.apply(event, facts: facts) }
                }
            }
            return Snapshot(
                position: position, hash: hash, treeRoot: treeRoot, contracts: fold.sortedContracts, reference: reference, only: only,
                effectiveOn: day)
        }
    }

    /// These contracts with the commitments in force on `day`: a contract whose pledge or a
    /// refresh took effect after the day is taken from `replays` (its events folded under that
    /// limit) with its delivered figures as they are here, or, pledged after the day, stripped
    /// of its commitments; any other is as it is.
    public func inForce(on day: CalendarDate, replays: ContractFold) -> Snapshot {
        var limited = contracts
        for index in limited.indices where (limited[index].commitmentsChangedOn ?? day) > day {
            if (limited[index].pledgedOn ?? day) > day {
                limited[index].commitmentCatalog = nil
                limited[index].lines = []
            } else if var replayed = replays.contract(limited[index].reference) {
                // The limit leaves out commitments, never delivery: the delivered figures are
                // this snapshot's (a fold of the commitments in force does not keep its own).
                replayed.takeDeliveries(of: limited[index])
                limited[index] = replayed
            }
        }
        return Snapshot(position: position, hash: hash, treeRoot: treeRoot, contracts: limited, reference: reference, only: only, effectiveOn: effectiveOn)
    }

    /// The whole log at `position` (the head when `nil`) folded once into both the snapshot and
    /// its commitments in force on each of `days` (what ``limited(_:store:onePassFraction:)``
    /// gives for `.commitmentsInForce(on:)` each day): one pass, decoded on every core, where a
    /// fold and then a replay per day of what changed after it would read the log again each time.
    public static func foldedWithCommitments(store: EventStore, at position: UInt64? = nil, inForceOn days: [CalendarDate]) throws -> (snapshot: Snapshot, inForce: [Snapshot]) {
        let (target, hash, treeRoot, reference) = try readPoint(store: store, at: position)
        let (whole, limited) = try CommitmentsInForceFold.fold(store: store, through: target, days: days)
        let snapshot = Snapshot(position: target, hash: hash, treeRoot: treeRoot, contracts: whole.sortedContracts, reference: reference)
        return (snapshot, limited.map { snapshot.inForce(on: $0.day, replays: $0.fold) })
    }

    /// ``foldedWithCommitments(store:at:inForceOn:)`` for one day.
    public static func foldedWithCommitments(store: EventStore, at position: UInt64? = nil, inForceOn day: CalendarDate) throws -> (snapshot: Snapshot, inForce: Snapshot) {
        let (snapshot, inForce) = try foldedWithCommitments(store: store, at: position, inForceOn: [day])
        return (snapshot, inForce[0])
    }

    /// The position a read stops at (`position`, or the head), its hash and tree root, and the
    /// reference data then.
    private static func readPoint(store: EventStore, at position: UInt64?) throws -> (UInt64, ChainHash, TreeHash, ReferenceData) {
        try store.read { reader in
            let head = try reader.head()
            let target = min(position ?? head.position, head.position)
            let hash = target == head.position ? head.hash : try reader.event(at: target)?.hash ?? .genesis
            return (target, hash, try reader.treeRoot(size: target), try ReferenceReplay.referenceData(reader, through: target))
        }
    }

    /// Past one contract in this many to replay, ``limited(_:store:)`` folds the whole log once
    /// instead of each stream on its own (`report cabinet` at 1M events, most contracts refreshed
    /// after the reporting date: 13.9 s with the stream walks, 12.7 s with the one pass).
    public static let onePassFraction = 4

    /// The last position recorded by the end of `date` (UTC): what "as of that date" means.
    public static func position(asOf date: CalendarDate, store: EventStore) throws -> UInt64 {
        let endOfDay = Timestamp(millisecondsSinceEpoch: Timestamp.endOf(date).millisecondsSinceEpoch - 1)
        return try store.read { try $0.lastPosition(recordedAtOrBefore: endOfDay) }
    }
}

/// Folds the policy and catalog streams into reference data, in log order.
public enum ReferenceReplay {
    public static func referenceData(_ reader: LedgerReader, through position: UInt64? = nil) throws -> ReferenceData {
        var data = ReferenceData()
        var events: [RecordedEvent] = []
        for stream in try ReferenceData.streamPrefixes.flatMap({ try reader.streamIds(withPrefix: $0) }) {
            try reader.forEachEvent(inStream: stream, through: position) { events.append($0); return true }
        }
        for event in events.sorted(by: { $0.position < $1.position }) {
            try data.evolve(eventType: event.eventType, payload: event.payload)
        }
        return data
    }
}
