import Crypto
import EventStore
import LedgerValues
import Projections
import SocialValue
import Synchronization

/// The application layer: applies domain commands to the event store.
///
/// It reads the state a command needs (the contract's stream and the reference data),
/// runs the pure `decide`, and appends the resulting events in one transaction with the
/// stream versions it read as expected versions, so that a concurrent writer causes a
/// conflict instead of a lost update. A batch of commands is decided in order against state
/// evolved in memory and recorded all or none.
public final class Ledger: Sendable {
    public let store: EventStore
    let decisions = DecisionCache()
    let access = AccessCache()
    /// Whether commits sign their heads (``signCheckpointsOnCommit(with:every:onFailure:)``).
    let checkpointing = Mutex<CommitSigning?>(nil)

    /// Reads fold the log; nothing derived from it is stored beside it. A writable ledger last
    /// written by a version that stored projections has their databases dropped here, once.
    public init(store: EventStore) throws {
        self.store = store
        try ObsoleteProjections.drop(from: store)
    }

    /// What a successful command batch recorded.
    public struct Outcome: Sendable {
        /// The events written. For a group's request recorded before under its correlation id,
        /// the events it recorded then; for a retry of the same event ids, none.
        public let recorded: [RecordedEvent]
        /// Where the events are, written now or before.
        public let positions: [UInt64]
        public let head: LedgerHead
        public let wasAlreadyRecorded: Bool
    }

    /// Decides every command, then records all their events in one transaction.
    /// - Parameters:
    ///   - today: the date against which "in the future" is judged.
    ///   - expectedVersions: stream versions the caller read (an HTTP `If-Match`), by stream id: a
    ///     command on a stream that has moved since is a conflict, decided in the same snapshot
    ///     that the append expects, so nothing is written.
    /// - Throws: ``CommandFailure`` naming the command (1-based) and the rule; the ledger is then unchanged.
    ///   `EventStoreError.wrongExpectedVersion` when a stream is not at its expected version.
    public func execute(_ commands: [LedgerCommand], today: CalendarDate, expectedVersions: [String: UInt64] = [:]) throws -> Outcome {
        try execute(commands: commands.map(AnyLedgerCommand.ledger), today: today, expectedVersions: expectedVersions)
    }

    /// ``execute(_:today:expectedVersions:)`` for any command svledger records, describing a council included.
    /// - Parameter evidence: the bytes of the evidence files the commands' lines cite, kept by
    ///   their hash in the same transaction (``EvidenceIntake``); a cited file not given must be
    ///   kept already, and a file given must be cited.
    public func execute(
        commands: [AnyLedgerCommand], today: CalendarDate, expectedVersions: [String: UInt64] = [:], evidence: [[UInt8]] = []
    ) throws -> Outcome {
        // Decided inside the write transaction: what the commands were decided against cannot
        // change before their events are recorded (see EventStore.append(planning:within:)).
        try record { reader in
            var batch = try BatchDecision(reader: reader, today: today, cache: decisions)
            batch.expectedVersions = expectedVersions
            for (index, command) in commands.enumerated() {
                do {
                    try batch.decide(command)
                } catch let error as DomainError {
                    throw CommandFailure(index: index + 1, count: commands.count, error: error)
                }
            }
            try batch.takeEvidence(evidence, since: 0)
            return (batch, ())
        }.outcome
    }

    /// Decides with `decide` inside one write transaction and records what it decided;
    /// remembers the states it evolved once committed.
    func record<Plan>(_ decide: (LedgerReader) throws -> (batch: BatchDecision, plan: Plan)) throws -> (outcome: Outcome, plan: Plan) {
        var decided: BatchDecision?
        var recorded: [RecordedEvent] = []
        let (result, plan) = try store.append(
            planning: { reader in
                let (batch, plan) = try decide(reader)
                decided = batch
                return (batch.appends, plan)
            },
            within: { reader, events in
                recorded = events
                if let decided { try EvidenceIntake.write(decided.evidence, in: reader) }
                try self.signIfDue(reader)
            })
        let outcome = Outcome(recorded: recorded, positions: result.positions, head: result.head, wasAlreadyRecorded: result.wasAlreadyRecorded)
        if let decided { rememberCommitted(outcome, batch: decided) }
        return (outcome, plan)
    }

    /// Remembers contracts' decision states folded elsewhere (a server's first pass over the
    /// log, ``ContractStates``), so that the first command on each is decided without replaying
    /// its stream. As every remembered state, each is used only while its stream still ends at
    /// its tip.
    public func remember(_ states: ContractStates) {
        for (reference, entry) in states.byContract { decisions.remember(contract: reference, state: entry.state, tip: entry.tip) }
    }

    /// Only once committed is the state a batch evolved worth remembering.
    func rememberCommitted(_ outcome: Outcome, batch: BatchDecision) {
        for event in outcome.recorded {
            guard let reference = ContractFold.contractReference(ofStream: event.streamId),
                let (state, version) = batch.contracts[reference], version == event.streamVersion
            else { continue }
            decisions.remember(contract: reference, state: state, tip: StreamTip(version: version, position: event.position))
        }
    }

    /// One caller's commands in a group commit: decided together, all or none.
    public struct Request: Sendable {
        public let commands: [AnyLedgerCommand]
        /// As for ``execute(_:today:expectedVersions:)``: an `If-Match`, by stream id.
        public let expectedVersions: [String: UInt64]
        /// The id of the request, which its events carry as their correlation id; a new one
        /// when `nil`. A request whose id the log already holds was recorded before (an HTTP
        /// retry under an `Idempotency-Key`, ``Ledger/correlationId(idempotencyKey:)``): it is
        /// not decided again, and its outcome is what it recorded then.
        public let correlationId: EventID?
        /// The bytes of the evidence files its commands cite (``execute(commands:today:expectedVersions:evidence:)``).
        public let evidence: [[UInt8]]

        public init(_ commands: [AnyLedgerCommand], expectedVersions: [String: UInt64] = [:], correlationId: EventID? = nil, evidence: [[UInt8]] = []) {
            self.commands = commands
            self.expectedVersions = expectedVersions
            self.correlationId = correlationId
            self.evidence = evidence
        }

        public init(_ commands: [LedgerCommand], expectedVersions: [String: UInt64] = [:]) {
            self.init(commands.map(AnyLedgerCommand.ledger), expectedVersions: expectedVersions)
        }
    }

    /// What became of one request of a group, inside the transaction.
    enum Verdict {
        /// Accepted: the range of its events among the batch's, in append order.
        case decided(Range<Int>)
        /// Its correlation id is in the log already: these are the events it recorded.
        case recordedBefore([RecordedEvent])
        /// The same correlation id as the group's request at this index.
        case repeats(Int)
        case refused(any Error)
    }

    /// Group commit: decides the requests in order, each against the state the ones before it
    /// left, each with its own all-or-nothing outcome (a refused request is left out and the
    /// others go on), then records every accepted request's events in one durable transaction.
    /// All of it happens inside that one write transaction, so no other writer, in this process
    /// or another, can come in between: a request is refused for a conflict only when its own
    /// `expectedVersions` say so, and a request whose correlation id the log holds is answered
    /// with what it recorded then (``Outcome/wasAlreadyRecorded``), however long ago.
    /// - Returns: each request's outcome, in order: its events, or why it was refused. None is
    ///   recorded until the transaction commits.
    /// - Throws: when the commit itself fails (storage): then nothing of any request was recorded.
    public func executeGroup(_ requests: [Request], today: CalendarDate) throws -> [Result<Outcome, any Error>] {
        let (outcome, verdicts) = try record { reader in
            var batch = try BatchDecision(reader: reader, today: today, cache: decisions)
            var verdicts: [Verdict] = []
            var decidedHere: [EventID: Int] = [:]
            for request in requests {
                if let id = request.correlationId {
                    if let earlier = decidedHere[id] {
                        verdicts.append(.repeats(earlier))
                        continue
                    }
                    let before = try reader.events(correlatedBy: id)
                    if !before.isEmpty {
                        verdicts.append(.recordedBefore(before))
                        continue
                    }
                    decidedHere[id] = verdicts.count
                }
                let before = batch
                batch.correlationId = request.correlationId ?? EventID.generate()
                batch.expectedVersions = request.expectedVersions
                do {
                    for (index, command) in request.commands.enumerated() {
                        do {
                            try batch.decide(command)
                        } catch let error as DomainError {
                            throw CommandFailure(index: index + 1, count: request.commands.count, error: error)
                        }
                    }
                    try batch.takeEvidence(request.evidence, since: before.eventCount)
                    verdicts.append(.decided(before.eventCount..<batch.eventCount))
                } catch {
                    batch = before
                    verdicts.append(.refused(error))
                }
            }
            batch.expectedVersions = [:]
            return (batch, verdicts)
        }
        func result(_ verdict: Verdict) -> Result<Outcome, any Error> {
            switch verdict {
            case .decided(let range):
                .success(Outcome(
                    recorded: Array(outcome.recorded[range]), positions: Array(outcome.positions[range]), head: outcome.head,
                    wasAlreadyRecorded: false))
            case .recordedBefore(let events):
                .success(Outcome(
                    recorded: events, positions: events.map(\.position),
                    head: LedgerHead(position: events.last!.position, hash: events.last!.hash), wasAlreadyRecorded: true))
            case .repeats(let earlier):
                result(verdicts[earlier]).map { first in
                    Outcome(recorded: first.recorded, positions: first.positions, head: first.head, wasAlreadyRecorded: true)
                }
            case .refused(let error): .failure(error)
            }
        }
        return verdicts.map(result)
    }

    /// The correlation id of the request an idempotency key names: the first 16 bytes of the
    /// key's SHA-256, marked as an RFC 9562 version 8 UUID. The same key always gives the same
    /// id, so the events a keyed request recorded can be found in the log after a restart.
    public static func correlationId(idempotencyKey key: String) -> EventID {
        var bytes = Array(SHA256.hash(data: Array(key.utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        return EventID(bytes: bytes)!
    }

    /// Appends events as they are: the low-level `svledger append` (non-domain streams) and the
    /// access commands.
    public func append(_ appends: [StreamAppend]) throws -> Outcome {
        var recorded: [RecordedEvent] = []
        let result = try store.append(appends) { reader, events in
            recorded = events
            try self.signIfDue(reader)
        }
        return Outcome(recorded: recorded, positions: result.positions, head: result.head, wasAlreadyRecorded: result.wasAlreadyRecorded)
    }

    /// Everything `svledger verify` checks, in one pass over the log: the chain, canonical form,
    /// indexes and head, and that every contract event folds (what each read of figures does).
    /// - Throws: `VerificationFailure` for the log; the fold's error for an event it cannot apply.
    public func verifyAll(expectedHead: ExpectedHead? = nil, progress: ((UInt64) -> Void)? = nil) throws -> VerificationReport {
        var fold = ContractFold()
        var evidence = EvidenceAudit()
        return try store.verify(
            expectedHead: expectedHead, progress: progress,
            visit: { event in
                try fold.apply(event)
                evidence.visit(event)
            },
            finish: { try evidence.check(in: $0) })
    }

    /// The snapshot at `position` (the head when `nil`), folded from the log.
    public func snapshot(at position: UInt64? = nil) throws -> Snapshot {
        try Snapshot.folded(store: store, at: position)
    }

    /// Every contract registered in the ledger (at its head), by reference: what a "did you
    /// mean" suggestion chooses from.
    public func contractReferences() throws -> [String] {
        try store.read(Self.contractReferences)
    }

    static func contractReferences(_ reader: LedgerReader) throws -> [String] {
        try reader.streamIds(withPrefix: ContractEvent.streamPrefix).compactMap(ContractEvent.reference(ofStream:))
    }

    /// Every identifier a contract was registered with (an imported notice's ocid or id, as
    /// published), with the contracts that carry it and the scheme it is under. Each contract's
    /// registration, the first event of its stream, is read once: an import looks each of its
    /// notices up here rather than reading every registration again per notice.
    public func contractIdentifiers() throws -> [String: [(reference: String, scheme: String)]] {
        try store.read { reader in
            var found: [String: [(reference: String, scheme: String)]] = [:]
            for reference in try Self.contractReferences(reader) {
                guard let position = try reader.position(inStream: ContractEvent.stream(contract: reference), version: 1),
                    let event = try reader.event(at: position),
                    case .registered(let registration)? = try ContractEvent(type: event.eventType, payload: event.payload)
                else { continue }
                for identifier in registration.identifiers { found[identifier.id, default: []].append((reference, identifier.scheme)) }
            }
            return found
        }
    }

    /// The contracts registered with `identifier` among their identifiers, with its scheme.
    public func contracts(knownAs identifier: String) throws -> [(reference: String, scheme: String)] {
        try contractIdentifiers()[identifier] ?? []
    }

    /// The reference data adopted into the ledger, as of `position` (the whole log when `nil`).
    public func referenceData(through position: UInt64? = nil) throws -> ReferenceData {
        try store.read { reader in try ReferenceReplay.referenceData(reader, through: position) }
    }

    /// A contract's state and stream version, as of `position` (the whole log when `nil`).
    public func contractState(_ reference: String, through position: UInt64? = nil) throws -> (state: ContractState, version: UInt64) {
        try store.read { reader in
            if position == nil, let tip = try reader.streamTip(ContractEvent.stream(contract: reference)),
                let state = decisions.contract(reference, at: tip)
            {
                return (state, tip.version)
            }
            return try Self.contractState(reader, reference, through: position)
        }
    }

    static func contractState(_ reader: LedgerReader, _ reference: String, through position: UInt64? = nil) throws -> (state: ContractState, version: UInt64) {
        var state = ContractState()
        var version: UInt64 = 0
        try reader.forEachEvent(inStream: ContractEvent.stream(contract: reference), through: position) { recorded in
            if let event = try ContractEvent(type: recorded.eventType, payload: recorded.payload) {
                state.evolve(event, eventId: recorded.eventId, effectiveDate: recorded.event.effectiveDate)
            }
            version = recorded.streamVersion
            return true
        }
        return (state, version)
    }
}

/// A command of a batch that was refused: which one, and why.
public struct CommandFailure: Error, CustomStringConvertible {
    public let index: Int
    public let count: Int
    public let error: DomainError

    /// The refusal, with the fields its wording names said by `name` (the CLI's flags).
    public func worded(naming name: (String) -> String) -> String {
        let refusal = error.worded(naming: name)
        return count == 1 ? "refused: \(refusal)" : "command \(index) of \(count) refused, so none was recorded: \(refusal)"
    }

    public var description: String { worded { $0 } }
}

/// Decides a batch in order against state evolved in memory, collecting the appends.
/// Lives only inside the read transaction of its `reader`.
struct BatchDecision {
    let reader: LedgerReader
    let today: CalendarDate
    var reference: ReferenceData
    var contracts: [String: (state: ContractState, version: UInt64)] = [:]
    var referenceVersions: [String: UInt64] = [:]
    var appends: [StreamAppend] = []
    var decided: [EventID: ContractEvent] = [:]
    var expectedVersions: [String: UInt64] = [:]
    var correlationId = EventID.generate()
    /// Events proposed so far, in the order the appends hold them.
    var eventCount = 0
    /// Evidence bytes to keep and to erase, checked against the events that cite them.
    var evidence = EvidenceIntake.Pending()

    let cache: DecisionCache

    init(reader: LedgerReader, today: CalendarDate, cache: DecisionCache) throws {
        self.reader = reader
        self.today = today
        self.cache = cache
        var tips: [String: StreamTip] = [:]
        for stream in try ReferenceData.streamPrefixes.flatMap({ try reader.streamIds(withPrefix: $0) }) {
            tips[stream] = try reader.streamTip(stream)
        }
        if let known = cache.reference(matching: tips) {
            reference = known
        } else {
            reference = try ReferenceReplay.referenceData(reader)
            cache.remember(reference: reference, tips: tips)
        }
    }

    /// The contract's state and version as this snapshot has it: remembered if the stream
    /// still ends where it did, replayed otherwise.
    /// Handed over by the cache when remembered (``DecisionCache/takeContract(_:at:)``), with
    /// the tip to give it back at; replayed (and not remembered) otherwise.
    func committedState(_ contract: String) throws -> (state: ContractState, version: UInt64, tip: StreamTip?) {
        guard let tip = try reader.streamTip(ContractEvent.stream(contract: contract)) else { return (ContractState(), 0, nil) }
        if let state = cache.takeContract(contract, at: tip) { return (state, tip.version, tip) }
        let replayed = try Ledger.contractState(reader, contract)
        return (replayed.state, replayed.version, tip)
    }

    /// Checks the evidence files cited by the events decided since `start` (an index into the
    /// proposed events) against `offered`, and keeps what they need written.
    mutating func takeEvidence(_ offered: [[UInt8]], since start: Int) throws {
        let events = appends.flatMap { append in append.events.map { (append.streamId, $0.eventId) } }.dropFirst(start)
            .compactMap { stream, id in decided[id].map { (stream: stream, event: $0) } }
        guard !offered.isEmpty || events.contains(where: { !$0.event.evidenceFiles.isEmpty || $0.event.isErasure }) else { return }
        try EvidenceIntake.check(events, offered: offered, reader: reader, into: &evidence)
    }

    mutating func decide(_ command: AnyLedgerCommand) throws {
        switch command {
        case .ledger(let command):
            try decide(command)
        case .describeCouncil(let description):
            try description.checkText()
            let (stream, event) = try reference.describe(description.council)
            try record(
                event, stream: stream, actor: description.actor, reason: description.reason, effectiveDate: description.effectiveDate,
                version: try referenceVersion(stream))
            try reference.evolve(eventType: event.type, payload: event.payload)
        }
    }

    mutating func decide(_ command: LedgerCommand) throws {
        // Before anything is looked up by the command's ids (decide checks a contract command again).
        try command.checkText()
        switch command {
        case .adoptPolicy(let policy, let actor, let reason):
            let (stream, event) = try reference.adopt(policy)
            try record(event, stream: stream, actor: actor, reason: reason, effectiveDate: policy.effectiveDate, version: try referenceVersion(stream))
            try reference.evolve(eventType: event.type, payload: event.payload)
        case .publishCatalog(let catalog, let actor, let reason):
            let (stream, event) = try reference.publish(catalog)
            try record(event, stream: stream, actor: actor, reason: reason, effectiveDate: catalog.effectiveDate, version: try referenceVersion(stream))
            try reference.evolve(eventType: event.type, payload: event.payload)
        case .contract(let contractCommand):
            let stream = ContractEvent.stream(contract: contractCommand.contract)
            var state: ContractState
            var version: UInt64
            // The tip the state was handed over at, when the cache handed it over; only the tip
            // is kept, so that the state has no second reference and evolves in place.
            var takenAt: StreamTip?
            if let earlier = contracts[contractCommand.contract] {
                (state, version) = earlier
            } else {
                (state, version, takenAt) = try committedState(contractCommand.contract)
            }
            // A state the command was refused on is the committed one still: remembered again.
            func refused(_ error: any Error) -> any Error {
                if let takenAt { cache.remember(contract: contractCommand.contract, state: state, tip: takenAt) }
                return error
            }
            // Checked once per stream and decision: against the version this snapshot (and the
            // commands decided before it in the same commit) leave, which the append then expects.
            if let expected = expectedVersions.removeValue(forKey: stream), expected != version {
                throw refused(EventStoreError.wrongExpectedVersion(stream: stream, expected: expected == 0 ? .noStream : .exact(expected), actual: version))
            }
            let decision = Result { () throws(DomainError) in
                try SocialValue.decide(contractCommand, state: state, context: DecisionContext(reference: reference, today: today))
            }
            if case .failure(let error) = decision {
                throw refused(error.rule == .unknownContract ? try withSuggestion(error, for: contractCommand.contract) : error)
            }
            let events = try decision.get()
            let proposed = events.map {
                ProposedEvent(
                    eventType: $0.type, effectiveDate: contractCommand.effectiveDate, actor: contractCommand.actor,
                    reason: contractCommand.reason, correlationId: correlationId, payload: $0.payload(decidedOn: contractCommand))
            }
            appends.append(StreamAppend(streamId: stream, expectedVersion: version == 0 ? .noStream : .exact(version), events: proposed))
            eventCount += proposed.count
            for (event, proposal) in zip(events, proposed) {
                state.evolve(event, eventId: proposal.eventId, effectiveDate: contractCommand.effectiveDate)
                decided[proposal.eventId] = event
            }
            contracts[contractCommand.contract] = (state, version + UInt64(events.count))
        }
    }

    /// An unknown contract's refusal, naming the registered contract closest to the reference
    /// given (in the ledger, or registered earlier in this batch).
    func withSuggestion(_ error: DomainError, for contract: String) throws -> DomainError {
        let recorded = try Ledger.contractReferences(reader)
        let batch = contracts.filter { $0.value.state.exists }.map(\.key)
        guard let closest = Suggestion.closest(to: contract, among: recorded + batch) else { return error }
        return error.suggesting(closest)
    }

    mutating func referenceVersion(_ stream: String) throws -> UInt64 {
        if let known = referenceVersions[stream] { return known }
        return try reader.streamVersion(stream)
    }

    mutating func record(_ event: DomainEvent, stream: String, actor: ActorIdentity, reason: String?, effectiveDate: CalendarDate, version: UInt64) throws {
        let proposed = ProposedEvent(
            eventType: event.type, effectiveDate: effectiveDate, actor: actor, reason: reason, correlationId: correlationId, payload: event.payload)
        appends.append(StreamAppend(streamId: stream, expectedVersion: version == 0 ? .noStream : .exact(version), events: [proposed]))
        eventCount += 1
        referenceVersions[stream] = version + 1
    }
}

extension CommandFailure: CategorizedError {
    public var kind: String { error.kind }
    public var category: ErrorCategory { error.category }
    public var line: String { description }
}

/// Contracts' decision states folded from the log, with the tip of each stream: what
/// ``Ledger/remember(_:)`` takes.
public struct ContractStates: Sendable {
    public private(set) var byContract: [String: (tip: StreamTip, state: ContractState)] = [:]

    public init() {}

    /// Folds one contract event of `reference`'s stream, in log order.
    public mutating func evolve(_ reference: String, _ event: ContractEvent, eventId: EventID, effectiveDate: CalendarDate, version: UInt64, position: UInt64) {
        var entry = byContract.removeValue(forKey: reference) ?? (StreamTip(version: 0, position: 0), ContractState())
        entry.state.evolve(event, eventId: eventId, effectiveDate: effectiveDate)
        entry.tip = StreamTip(version: version, position: position)
        byContract[reference] = entry
    }
}
