import EventStore
import LedgerValues
import Ledger
import Projections
import SocialValue
import Synchronization

/// The whole log folded once and kept at the head: what a long-running reader (`svledger
/// serve`) takes for every read at the head, instead of folding the log again per read.
///
/// - It folds the log once when made.
/// - A commit made through this process hands its own events to ``committed(_:)``, which folds
///   them in before the commit is answered: O(the batch), not O(the log).
/// - A write made by another process on the same file (the CLI) is noticed by ``current(_:)``,
///   which folds only the events after the position it holds. First it checks that the log
///   still has, at that position, the hash it folded, and that each new event links to the one
///   before it. If not, the log it folded was changed: the ledger no longer verifies, and it
///   refuses to answer instead of folding a history that differs from what it showed.
///
/// Reads get an immutable ``Snapshot`` and render it with no lock held.
public final class LiveFold: Sendable {
    private struct State {
        var fold = ContractFold()
        var reference = ReferenceData()
        var head = LedgerHead(position: 0, hash: .genesis)
        /// The snapshot of `fold` at `head`, made by the first read after a change.
        var snapshot: Snapshot?
        /// The commitments in force on the days reads have asked about (a report's reporting
        /// date and its trend's quarter ends), kept at the head beside the fold: a contract is
        /// folded apart only from its first pledge or refresh after the day, so each costs
        /// little to keep, and a report at the head never folds the log again.
        /// In an array, the day asked about longest ago first: each event mutates them in place
        /// through the array's subscript.
        var inForce: [CommitmentsInForceFold] = []

        /// Folds one recorded event: decoded here, on the path of a commit or a catch-up.
        mutating func apply(_ event: RecordedEvent) throws {
            if ContractFold.contractReference(ofStream: event.streamId) != nil, let typed = try ContractEvent(type: event.eventType, payload: event.payload) {
                try apply(.contract(EventFacts(event), typed))
            } else {
                try apply(.other(event))
            }
        }

        /// Folds one decoded event, after checking that it follows the last one folded: it
        /// either applies whole or throws before changing anything.
        mutating func apply(_ decoded: DecodedLog.Decoded) throws {
            let (position, previous, hash): (UInt64, ChainHash?, ChainHash) =
                switch decoded {
                case .contract(let facts, _): (facts.position, facts.previousHash, facts.hash)
                case .other(let event): (event.position, event.previousHash, event.hash)
                }
            // An event decoded without its previous hash (not `chained`) never passes: it cannot be checked.
            guard previous == head.hash, position == head.position + 1 else {
                throw VerificationFailure(
                    position: position,
                    problem: "the event does not follow the one folded at position \(head.position) (\(head.hash.hex)): the log was changed behind this reader, so the ledger no longer verifies; run `svledger verify`")
            }
            switch decoded {
            case .contract(let facts, let event):
                for index in inForce.indices { inForce[index].apply(event, facts: facts, before: fold) }
                fold.apply(event, facts: facts)
            case .other(let event):
                if ReferenceData.streamPrefixes.contains(where: event.streamId.hasPrefix) {
                    try reference.evolve(eventType: event.eventType, payload: event.payload)
                }
            }
            head = LedgerHead(position: position, hash: hash)
            snapshot = nil
        }

        /// The snapshot of the fold at the head, made once per change; the tree's root at the
        /// head is read then (O(log n) reads of the stored tree).
        mutating func currentSnapshot(_ store: EventStore) throws -> Snapshot {
            if let snapshot { return snapshot }
            let treeRoot = try store.read { try $0.treeRoot(size: head.position) }
            let made = Snapshot(position: head.position, hash: head.hash, treeRoot: treeRoot, contracts: fold.sortedContracts, reference: reference)
            snapshot = made
            return made
        }
    }

    private let state: Mutex<State>
    /// How many events the first fold took, and how long: what a server logs at start.
    public let startup: (events: UInt64, seconds: Double)

    /// At most this many days' commitments in force are kept (a report and its trend take three).
    static let inForceDays = 9

    /// - Parameter days: days whose commitments in force to keep from the start (today's
    ///   report and its trend), folded in the same pass.
    public init(store: EventStore, inForceOn days: [CalendarDate] = []) throws {
        let started = ContinuousClock.now
        var initial = State()
        for day in days.prefix(Self.inForceDays) where !initial.inForce.contains(where: { $0.day == day }) {
            initial.inForce.append(CommitmentsInForceFold(on: day))
        }
        // Decoded on every core, applied in order.
        try DecodedLog.forEach(store: store, through: try store.head().position) { decoded in
            try initial.apply(decoded)
        }
        let elapsed = ContinuousClock.now - started
        startup = (initial.head.position, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        state = Mutex(initial)
    }

    /// Folds the events a commit through this process recorded, in log order. Events that do
    /// not follow the position held (another process wrote in between, or they are already
    /// folded) are left to the next ``current(_:)``, which reads what it lacks from the log.
    public func committed(_ events: [RecordedEvent]) {
        state.withLock { state in
            guard let first = events.first, first.position == state.head.position + 1 else { return }
            // In place, never on a copy (a copy of every contract per commit would make a commit
            // cost the portfolio): an event either applies whole or throws before changing
            // anything, so on an error the fold stands at the last event applied, and the next
            // read catches up from the log and says what is wrong.
            for event in events {
                do { try state.apply(event) } catch { return }
            }
        }
    }

    /// The snapshot at the ledger's head now, folding first whatever was recorded since the
    /// position held.
    /// - Throws: ``VerificationFailure`` when the log before that position is not the one folded.
    public func current(_ store: EventStore) throws -> Snapshot {
        try caughtUp(store) { state in try state.currentSnapshot(store) }
    }

    /// The snapshot at the head and, for each of `days`, its commitments in force then: what a
    /// whole-portfolio read at the head reconciles. A day not kept yet is folded once from the
    /// log (the fold's lock held meanwhile) and kept from then on, the oldest asked about
    /// making way past ``inForceDays``.
    public func current(_ store: EventStore, inForceOn days: [CalendarDate]) throws -> (snapshot: Snapshot, inForce: [Snapshot]) {
        try caughtUp(store) { state in
            let missing = Set(days).filter { day in !state.inForce.contains { $0.day == day } }.sorted()
            if !missing.isEmpty {
                // Folded up to the position held, then kept there by every event folded after.
                state.inForce.append(contentsOf: try CommitmentsInForceFold.fold(store: store, through: state.head.position, days: missing).inForce)
            }
            // Asked for now: the last to make way; the others asked about longest ago go past the bound.
            let asked = state.inForce.filter { days.contains($0.day) }
            state.inForce.removeAll { days.contains($0.day) }
            state.inForce.append(contentsOf: asked)
            while state.inForce.count > Self.inForceDays, let oldest = state.inForce.first, !days.contains(oldest.day) { state.inForce.removeFirst() }
            let snapshot = try state.currentSnapshot(store)
            let kept = state.inForce
            return (snapshot, days.map { day in snapshot.inForce(on: day, replays: kept.first { $0.day == day }!.fold) })
        }
    }

    /// One contract at the head, with the reference data: what a read of one contract takes,
    /// looked up in the fold without sorting every contract into a snapshot.
    public func current(_ store: EventStore, contract: String) throws -> Snapshot {
        try caughtUp(store) { state in
            Snapshot(
                position: state.head.position, hash: state.head.hash, treeRoot: nil, contracts: state.fold.contract(contract).map { [$0] } ?? [],
                reference: state.reference, only: contract)
        }
    }

    private func caughtUp<T>(_ store: EventStore, _ body: (inout State) throws -> T) throws -> T {
        // Most reads find the fold at the head: the head is read before the lock is taken, so
        // they hold it only to compare and answer.
        let now = try store.head()
        if let answer = try state.withLock({ state in state.head == now ? try body(&state) : nil }) { return answer }
        return try state.withLock { state in
            let head = try store.read { reader in
                let head = try reader.head()
                if head.position < state.head.position || (head.position == state.head.position && head.hash != state.head.hash) {
                    throw VerificationFailure(
                        position: min(head.position + 1, state.head.position),
                        problem: "the log ends at (\(head.position), \(head.hash.hex)) where this reader had folded it to (\(state.head.position), \(state.head.hash.hex)): it was truncated or changed, so the ledger no longer verifies; run `svledger verify`")
                }
                if head.position > state.head.position {
                    if state.head.position > 0, try reader.event(at: state.head.position)?.hash != state.head.hash {
                        throw VerificationFailure(
                            position: state.head.position,
                            problem: "the event at position \(state.head.position) no longer has the hash folded (\(state.head.hash.hex)): the log was changed, so the ledger no longer verifies; run `svledger verify`")
                    }
                    // In place: on an error the fold stands at the last event applied.
                    try reader.forEachEvent(from: state.head.position + 1, through: head.position) { event in
                        try state.apply(event)
                        return true
                    }
                }
                return head
            }
            precondition(head == state.head)
            return try body(&state)
        }
    }
}
