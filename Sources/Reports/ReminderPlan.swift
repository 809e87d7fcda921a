import LedgerValues
import SocialValue

/// Which reminders of returns due to send on a day (docs/calendar.md): one before a return's
/// due day (when it is `leadDays` or fewer away), and one once it is overdue; each at most once,
/// `sent` holding the keys of those the log says went. A reminder goes to the supplier, copied
/// to the contract's manager when one is named with an address.
public struct ReminderPlan: Sendable {
    public enum Kind: String, Sendable { case beforeDue = "before-due", overdue }

    public struct Reminder: Sendable, Equatable {
        public let kind: Kind
        public let entry: ReturnsDue.Entry
        public let to: [String]
        public let cc: [String]
        public let subject: String
        public let body: String
        /// What the log keys it by: the same reminder is never sent twice, but a due day moved
        /// by a new arrangement is a new one.
        public var key: String { ReminderPlan.key(kind, entry) }
    }

    public let reminders: [Reminder]
    /// Returns a reminder is owed for whose supplier has no address in the configuration.
    public let unaddressed: [(kind: Kind, entry: ReturnsDue.Entry)]

    public static func key(_ kind: Kind, _ entry: ReturnsDue.Entry) -> String {
        "\(kind.rawValue) \(entry.contract) \(entry.quarter) \(entry.dueDate)"
    }

    public init(_ due: ReturnsDue, leadDays: Int, supplierAddresses: [String: String], sent: Set<String>, council: String) {
        var reminders: [Reminder] = [], unaddressed: [(Kind, ReturnsDue.Entry)] = []
        for entry in due.entries {
            let kind: Kind
            switch entry.status {
            case .overdue: kind = .overdue
            case .due, .upcoming:
                guard entry.daysLeft >= 0, entry.daysLeft <= leadDays else { continue }
                kind = .beforeDue
            }
            guard !sent.contains(Self.key(kind, entry)) else { continue }
            guard let address = entry.supplier.flatMap({ supplierAddresses[$0] }) else {
                unaddressed.append((kind, entry))
                continue
            }
            let cc = entry.contractManagerEmail.map { [$0] } ?? []
            reminders.append(Reminder(
                kind: kind, entry: entry, to: [address], cc: cc, subject: Self.subject(kind, entry), body: Self.body(kind, entry, today: due.today, council: council)))
        }
        self.reminders = reminders
        self.unaddressed = unaddressed
    }

    static func subject(_ kind: Kind, _ e: ReturnsDue.Entry) -> String {
        switch kind {
        case .beforeDue: "Social value return due \(e.dueDate): \(e.contract), \(e.quarter)"
        case .overdue: "Overdue social value return: \(e.contract), \(e.quarter) (due \(e.dueDate))"
        }
    }

    static func body(_ kind: Kind, _ e: ReturnsDue.Entry, today: CalendarDate, council: String) -> String {
        let greeting = "Dear \(e.supplier ?? "supplier"),"
        let what = "the \(e.quarter) social value return for contract \(e.contract), \(e.title)"
        let when: String
        switch kind {
        case .beforeDue:
            when = e.daysLeft == 0
                ? "This is a reminder that \(what) is due today, \(e.dueDate)."
                : "This is a reminder that \(what) is due on \(e.dueDate), in \(e.daysLeft) day\(e.daysLeft == 1 ? "" : "s")."
        case .overdue where !e.missingMeasures.isEmpty:
            when = "\(what.prefix(1).uppercased() + what.dropFirst()) was due on \(e.dueDate), and it reports nothing for \(e.missingMeasures.joined(separator: ", ")), which the contract commits: those figures are \(-e.daysLeft) day\(e.daysLeft == -1 ? "" : "s") overdue."
        case .overdue:
            when = "\(what.prefix(1).uppercased() + what.dropFirst()) was due on \(e.dueDate) and has not been received: it is \(-e.daysLeft) day\(e.daysLeft == -1 ? "" : "s") overdue."
        }
        let manager = e.contractManager.map { "\nYour contract manager is \($0)." } ?? ""
        return """
            \(greeting)

            \(when)
            Please report what was delivered against each pledged measure in the quarter, with its evidence.\(manager)

            \(council)
            (Sent by svledger on \(today). Please do not reply to this address.)
            """
    }
}
