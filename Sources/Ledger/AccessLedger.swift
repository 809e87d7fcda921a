import Access
import Crypto
import EventStore
import LedgerValues
import Synchronization

/// Access to a ledger, kept in the ledger: the `access` stream folded into ``AccessState``,
/// and access commands decided against it and appended like any other command.
extension Ledger {
    /// Who held which role and which tokens were live, as of `position` (the head when `nil`).
    public func accessState(through position: UInt64? = nil) throws -> AccessState {
        try store.read { reader in try Self.accessState(reader, through: position).state }
    }

    /// Who holds which role and which tokens are live now: the access stream folded once and
    /// remembered by the stream's tip (its last version and position), folded again only when
    /// the stream has moved, whoever moved it (this process, or the CLI in another).
    public func currentAccessState() throws -> AccessState {
        try store.read { reader in
            let tip = try reader.streamTip(AccessEvent.stream)
            if let known = access.state(at: tip) { return known }
            let state = try Self.accessState(reader).state
            access.remember(state, at: tip)
            return state
        }
    }

    static func accessState(_ reader: LedgerReader, through position: UInt64? = nil) throws -> (state: AccessState, version: UInt64) {
        var state = AccessState()
        var version: UInt64 = 0
        try reader.forEachEvent(inStream: AccessEvent.stream, through: position) { recorded in
            if let event = try AccessEvent(type: recorded.eventType, payload: recorded.payload) {
                state.evolve(event, actor: recorded.event.actor.id, at: recorded.recordedAt)
            }
            version = recorded.streamVersion
            return true
        }
        return (state, version)
    }

    /// Decides `command` for `actor` against the access recorded so far and appends its event,
    /// expecting the stream where it was read (a concurrent change is a conflict, not a lost update).
    /// - Throws: ``AccessError`` for a refusal; the ledger is then unchanged.
    @discardableResult
    public func executeAccess(_ command: AccessCommand, actor: ActorIdentity, reason: String?, today: CalendarDate) throws -> (event: AccessEvent, outcome: Outcome) {
        let (state, version) = try store.read { reader in try Self.accessState(reader) }
        let event = try state.decide(command, actor: actor.id, today: today)
        let proposed = ProposedEvent(eventType: event.type, effectiveDate: today, actor: actor, reason: reason, payload: event.payload)
        let outcome = try append([StreamAppend(
            streamId: AccessEvent.stream, expectedVersion: version == 0 ? .noStream : .exact(version), events: [proposed])])
        return (event, outcome)
    }
}

/// Bearer tokens: 256 random bits, shown once; the ledger keeps only their SHA-256.
public enum AccessToken {
    /// A new token, `svl_` and 43 base64url characters of 32 bytes from the system's
    /// cryptographically secure generator, and a short public id to name it by.
    public static func generate() -> (token: String, tokenId: String) {
        ("svl_" + Bytes.base64url(Bytes.random(32)), "tok-" + Bytes.hex(Bytes.random(6)))
    }

    /// The lowercase hex SHA-256 of a token's UTF-8 bytes: what the ledger records and looks up.
    public static func sha256(_ token: String) -> String { Bytes.hex(Array(SHA256.hash(data: Array(token.utf8)))) }
}

/// The folded access stream, remembered with the tip it was folded through.
final class AccessCache: Sendable {
    private let entry = Mutex<(tip: StreamTip?, state: AccessState)?>(nil)

    func state(at tip: StreamTip?) -> AccessState? {
        entry.withLock { entry in
            guard let entry, entry.tip == tip else { return nil }
            return entry.state
        }
    }

    func remember(_ state: AccessState, at tip: StreamTip?) {
        entry.withLock { $0 = (tip, state) }
    }
}
