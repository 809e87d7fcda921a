import LedgerValues

/// `svledger audit --format json`: a contract's events with who, when, why, what changed and
/// their hashes (Schemas/read/audit.schema.json). The CLI reads the entries from the log; the
/// document is built here so that any front end prints the same one.
public struct AuditDocument: Sendable {
    public struct Entry: Sendable {
        public let position: UInt64
        public let recordedAt: String
        public let effectiveDate: String
        public let actorId: String
        public let actorRole: String
        public let reason: String?
        public let eventType: String
        /// A sentence on what changed (`EventSummary.describe`).
        public let summary: String
        public let eventId: String
        public let hash: String
        public let contract: String
        /// Old → new values of what the event changed in its contract.
        public let changes: [ProjectionChange]
        /// True when the command gave no effective date, so the day it was recorded was used;
        /// `nil` for an event that does not say (recorded before svledger did, or not a contract event).
        public let effectiveDateDefaulted: Bool?

        public init(
            position: UInt64, recordedAt: String, effectiveDate: String, actorId: String, actorRole: String, reason: String?,
            eventType: String, summary: String, eventId: String, hash: String, contract: String, changes: [ProjectionChange] = [],
            effectiveDateDefaulted: Bool? = nil
        ) {
            self.contract = contract
            self.changes = changes
            self.position = position
            self.recordedAt = recordedAt
            self.effectiveDate = effectiveDate
            self.actorId = actorId
            self.actorRole = actorRole
            self.reason = reason
            self.eventType = eventType
            self.summary = summary
            self.eventId = eventId
            self.hash = hash
            self.effectiveDateDefaulted = effectiveDateDefaulted
        }

        /// The cells of the text and CSV forms, in their column order.
        public var cells: [String] {
            [String(position), recordedAt, effectiveDate, effectiveDateDefaulted.map { $0 ? "no: recorded day used" : "yes" } ?? "",
             contract, actorId, actorRole, reason ?? "", eventType, summary, changes.map(\.text).joined(separator: "; "), eventId, hash]
        }
    }

    public static let header = [
        "POSITION", "RECORDED AT", "EFFECTIVE", "EFFECTIVE DATE GIVEN", "CONTRACT", "ACTOR", "ROLE", "REASON", "EVENT", "WHAT CHANGED",
        "OLD → NEW", "EVENT ID", "HASH",
    ]

    public let head: LedgerHead
    /// The contract audited, or `nil` for every contract's events since a point.
    public let contract: String?
    /// `--since`: a date (events recorded on or after it) or a position (events after it).
    public let since: String?
    public let entries: [Entry]

    public init(head: LedgerHead, contract: String?, since: String? = nil, entries: [Entry]) {
        self.head = head
        self.contract = contract
        self.since = since
        self.entries = entries
    }

    public var json: JSONValue {
        [
            "head": head.json, "contract": ReadJSON.string(contract), "since": ReadJSON.string(since),
            "events": .array(entries.map { e in
                [
                    "position": ReadJSON.integer(e.position), "recordedAt": .string(e.recordedAt), "effectiveDate": .string(e.effectiveDate),
                    "actor": ["id": .string(e.actorId), "role": .string(e.actorRole)], "reason": ReadJSON.string(e.reason),
                    "eventType": .string(e.eventType), "summary": .string(e.summary), "eventId": .string(e.eventId), "hash": .string(e.hash),
                    "contract": .string(e.contract),
                    "changes": .array(e.changes.map { ["what": .string($0.what), "old": ReadJSON.string($0.old), "new": ReadJSON.string($0.new)] }),
                    "effectiveDateDefaulted": e.effectiveDateDefaulted.map(JSONValue.bool) ?? .null,
                ]
            }),
        ]
    }
}
