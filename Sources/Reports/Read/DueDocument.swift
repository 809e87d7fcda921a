import LedgerValues
import SocialValue

/// `svledger due --format json` and `GET /due` (Schemas/read/due.schema.json).
public enum DueDocument {
    public static func json(_ due: ReturnsDue) -> JSONValue {
        [
            "today": .string(due.today.description),
            "counts": .object(JSONObject(Dictionary(uniqueKeysWithValues: ReturnsDue.Status.allCases.map { status in
                (status.rawValue, ReadJSON.integer(due.entries.filter { $0.status == status }.count))
            }))),
            "returns": .array(due.entries.map { e in
                [
                    "contract": .string(e.contract), "title": .string(e.title), "supplier": ReadJSON.string(e.supplier),
                    "contractManager": ReadJSON.string(e.contractManager), "quarter": .string(e.quarter.description),
                    "dueDate": .string(e.dueDate.description), "status": .string(e.status.rawValue), "daysLeft": ReadJSON.integer(e.daysLeft),
                    "missingMeasures": .array(e.missingMeasures.map { .string($0) }),
                ]
            }),
        ]
    }
}

/// A supplier's due dates as an iCalendar feed (RFC 5545): one all-day event per return still
/// to make, on its due day, so that the supplier's own calendar reminds it.
public enum DueCalendar {
    /// - Parameter name: what the calendar is called in the reader's calendar list.
    public static func ics(_ due: ReturnsDue, name: String, stamp: Timestamp) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//svledger//returns due//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text(name),
        ]
        let stamped = stampText(stamp)
        for e in due.entries {
            let state = e.status == .overdue ? (e.missingMeasures.isEmpty ? " (overdue)" : " (overdue: \(e.missingMeasures.joined(separator: ", ")) missing)") : ""
            lines += [
                "BEGIN:VEVENT",
                // Stable across feeds, so a calendar updates the event instead of adding another.
                "UID:" + text("\(e.contract)-\(e.quarter)@svledger"),
                "DTSTAMP:" + stamped,
                "DTSTART;VALUE=DATE:" + day(e.dueDate), "DTEND;VALUE=DATE:" + day(e.dueDate.adding(days: 1)),
                "SUMMARY:" + text("Social value return due: \(e.contract), \(e.quarter)\(state)"),
                "DESCRIPTION:" + text(
                    "The \(e.quarter) return for \(e.contract) (\(e.title)) is due on \(e.dueDate)."
                        + (e.contractManager.map { " Contract manager: \($0)." } ?? "")),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.flatMap(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func day(_ date: CalendarDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    static func stampText(_ stamp: Timestamp) -> String {
        let text = stamp.description   // 2026-12-06T10:00:00.000Z
        let digits = text.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return digits + "Z"
    }

    /// TEXT escaped as RFC 5545 §3.3.11 says: backslash, semicolon, comma and newline.
    static func text(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\n", "\r\n": escaped += "\\n"
            case "\r": continue
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Lines longer than 75 octets folded (§3.1): a CRLF and a space, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> [String] {
        var lines: [String] = [], current = "", octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > (lines.isEmpty ? 75 : 74) {
                lines.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        lines.append(current)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }
}
