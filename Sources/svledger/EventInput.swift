import EventStore
import LedgerValues
import SocialValue
import Foundation

/// Reads the low-level event form that `svledger append --file` takes, one JSON object per
/// line: `streamId`, `eventType`, `effectiveDate`, `actor` {`id`, `role`}, `payload`, and
/// optionally `reason`, `eventId`, `schemaVersion`, `expectedVersion`, `correlationId`,
/// `causationId`.
enum EventInput {
    static func streamAppend(from json: JSONValue, today: CalendarDate) throws -> StreamAppend {
        guard case .object(let members) = json else { throw CLIError(.input, "invalid-event-input", "each line must be a JSON object") }
        let known: Set<String> = [
            "streamId", "eventType", "effectiveDate", "actor", "payload", "reason", "eventId", "schemaVersion",
            "expectedVersion", "correlationId", "causationId",
        ]
        if let unknown = members.keys.first(where: { !known.contains($0) }) {
            throw CLIError(.input, "invalid-event-input", "unknown field \(DisplayText.quoted(unknown)); the fields are \(known.sorted().joined(separator: ", "))")
        }
        func required(_ key: String) throws -> String {
            guard let value = members[key]?.stringValue else { throw CLIError(.input, "invalid-event-input", "\"\(key)\" must be a string") }
            return value
        }
        func optionalID(_ key: String) throws -> EventID? {
            guard let value = members[key], value != .null else { return nil }
            guard let text = value.stringValue, let id = EventID(text) else { throw CLIError(.input, "invalid-event-input", "\"\(key)\" must be a UUID") }
            return id
        }
        let effectiveDate: CalendarDate
        if let text = members["effectiveDate"]?.stringValue {
            guard let date = CalendarDate(text) else { throw CLIError(.input, "invalid-event-input", "\"effectiveDate\" must be a date YYYY-MM-DD, got \(DisplayText.quoted(text))") }
            effectiveDate = date
        } else {
            effectiveDate = today
        }
        guard let actorID = members["actor"]?["id"]?.stringValue, let role = members["actor"]?["role"]?.stringValue else {
            throw CLIError(.input, "invalid-event-input", "\"actor\" must be {\"id\": …, \"role\": …}")
        }
        var expected = ExpectedVersion.any
        switch members["expectedVersion"] {
        case nil, .null?: break
        case .integer(let version)? where version >= 1: expected = .exact(UInt64(version))
        case .string(let text)?:
            guard let parsed = ExpectedVersion(text) else { throw CLIError(.input, "invalid-event-input", "\"expectedVersion\" must be any, no-stream or a version ≥ 1") }
            expected = parsed
        default: throw CLIError(.input, "invalid-event-input", "\"expectedVersion\" must be any, no-stream or a version ≥ 1")
        }
        let actor = ActorIdentity(id: actorID, role: role)
        let reason = members["reason"]?.stringValue
        try checkLimits(actor: actor, reason: reason, fields: ("actor.id", "actor.role", "reason"))
        let event = ProposedEvent(
            eventId: try optionalID("eventId") ?? .generate(),
            eventType: try required("eventType"),
            schemaVersion: Int(members["schemaVersion"]?.integerValue ?? 1),
            effectiveDate: effectiveDate,
            actor: actor,
            reason: reason,
            correlationId: try optionalID("correlationId"),
            causationId: try optionalID("causationId"),
            payload: members["payload"] ?? [:])
        return StreamAppend(streamId: try required("streamId"), expectedVersion: expected, events: [event])
    }

    /// Refuses who and why over the limits the domain's commands have (docs/rules.md): a raw
    /// event is outside the domain's rules, not outside its limits. `fields` names them as the
    /// input does (`actor.id` in a file, `--actor` on the command line).
    static func checkLimits(actor: ActorIdentity, reason: String?, fields: (actor: String, role: String, reason: String)) throws {
        let checks = [(actor.id, fields.actor, TextRules.nameLimit), (actor.role, fields.role, TextRules.nameLimit), (reason ?? "", fields.reason, TextRules.noteLimit)]
        for (text, field, limit) in checks where text.utf8.count > limit {
            let count = text.unicodeScalars.count
            if count > limit {
                throw CLIError(.input, "invalid-event-input", "\(field) \(DisplayText.quoted(text)) is \(count) characters long; the limit is \(limit)")
            }
        }
    }

    /// Reads an NDJSON file into appends (blank and `//` lines skipped, as `apply` does), naming
    /// the line of the first problem.
    static func streamAppends(fromFile path: String, today: CalendarDate) throws -> [StreamAppend] {
        var appends: [StreamAppend] = []
        for record in try InputFile.records(path) {
            do {
                appends.append(try streamAppend(from: try JSONValue(parsing: record.text), today: today))
            } catch {
                throw InputLine.error(error, at: "\(path) line \(record.number)")
            }
        }
        if appends.isEmpty { throw CLIError(.input, "empty-input", "\(path) holds no events") }
        return appends
    }
}
