import ArgumentParser
import Foundation
import LedgerValues
import Mail
import Reports
import SocialValue

extension Root {
    struct Remind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remind",
            abstract: "Email suppliers a reminder before a return is due, and when it is overdue, through the council's SMTP relay.",
            discussion: """
              svledger remind --config reminders.json            # daily, from cron
              svledger remind --config reminders.json --dry-run  # sends nothing

            The configuration (JSON; paths in it are relative to the file):
              {"smtp": {"host": "smtp.lancashire.example", "port": 587,
                        "security": "starttls", "username": "svledger",
                        "passwordFile": "smtp-password"},
               "from": "social.value@lancashire.example",
               "council": "Lancashire County Council",
               "leadDays": 7, "attempts": 3, "log": "reminders.ndjson",
               "suppliers": {"North Roads Ltd": "returns@northroads.example"}}
            security is starttls (the default), tls (port 465) or none (a relay on the same
            network; no credentials then); trustedCertificates names a PEM file of CAs to
            trust instead of the system's.

            A reminder goes before a return's due day (leadDays or fewer away) and once it
            is overdue, to the supplier, copied to the contract manager when one is
            arranged with an email (`svledger contract arrange-reporting`). Each is sent
            once: every attempt is appended to the log, and one logged as sent is not sent
            again. A relay that is down is tried again (attempts), the failure logged; the
            run then ends with exit 75, and the next run sends what is still owed: nothing
            is lost (docs/calendar.md).
            """)
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The reminders' configuration (JSON).") var config: String
        @Option(help: ArgumentHelp("The day to remind for (default: today, UTC).", valueName: "YYYY-MM-DD")) var today: String?
        @Flag(help: "Say what would be sent, and send nothing.") var dryRun = false

        func run() async throws {
            let settings = try ReminderSettings(file: config)
            let day = try today.map { text in
                guard let day = CalendarDate(text) else { throw CLIError(.input, "invalid-date", "--today must be a date YYYY-MM-DD, got \(DisplayText.quoted(text))") }
                return day
            } ?? Timestamp.now().date
            let due = ReturnsDue(try ledger.openLedger(.readOnly).snapshot(), today: day)
            let log = ReminderLog(path: settings.log)
            // A reminder is sent only if it can be logged: else every run would send it again.
            if !dryRun { try log.checkWritable() }
            let plan = ReminderPlan(due, leadDays: settings.leadDays, supplierAddresses: settings.suppliers, sent: try log.sentKeys(), council: settings.council)
            for (kind, entry) in plan.unaddressed {
                Terminal.print("no address: \(kind.rawValue) \(entry.contract) \(entry.quarter): add \(DisplayText.quoted(entry.supplier ?? "(no supplier)")) to \"suppliers\" in \(config)")
            }
            var failed = 0
            for reminder in plan.reminders {
                let recipients = (reminder.to + reminder.cc).joined(separator: ", ")
                if dryRun {
                    Terminal.print("would send: \(reminder.kind.rawValue) \(reminder.entry.contract) \(reminder.entry.quarter) to \(recipients)")
                    continue
                }
                let message = MailMessage(
                    from: settings.from, to: reminder.to, cc: reminder.cc, subject: reminder.subject, body: reminder.body, date: Date(),
                    messageID: "\(UUID().uuidString.lowercased())@svledger")
                var sent = false
                for attempt in 1...settings.attempts where !sent {
                    do {
                        let answer = try await settings.client.send(message)
                        try log.append(reminder, status: "sent", attempt: attempt, detail: answer)
                        Terminal.print("sent: \(reminder.kind.rawValue) \(reminder.entry.contract) \(reminder.entry.quarter) to \(recipients)")
                        sent = true
                    } catch {
                        try log.append(reminder, status: "failed", attempt: attempt, detail: "\(error)")
                        Terminal.progress("attempt \(attempt) of \(settings.attempts) failed: \(error)")
                        if attempt < settings.attempts { try await Task.sleep(nanoseconds: UInt64(attempt) * 500_000_000) }
                    }
                }
                if !sent { failed += 1 }
            }
            Terminal.print("reminders on \(day): \(plan.reminders.count - failed) \(dryRun ? "to send" : "sent"), \(failed) failed, \(plan.unaddressed.count) without an address")
            if failed > 0 {
                throw CLIError(
                    .conflict, "reminders-not-sent",
                    "\(failed) reminder\(failed == 1 ? "" : "s") could not be sent (the log \(settings.log) says why); run svledger remind again: what is still owed will be sent")
            }
        }
    }
}

/// The reminders' configuration file (`svledger remind --help`).
struct ReminderSettings {
    let client: SMTPClient
    let from: String
    let council: String
    let leadDays: Int
    let attempts: Int
    let log: String
    let suppliers: [String: String]

    init(file: String) throws {
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        func path(_ text: String) -> String { text.hasPrefix("/") ? text : base.appendingPathComponent(text).path }
        func fail(_ why: String) -> CLIError { CLIError(.input, "invalid-reminder-config", "\(file): \(why)") }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: try String(contentsOfFile: file, encoding: .utf8))
        } catch let error as JSONParseError {
            throw fail("not JSON: \(error)")
        }
        guard case .object(let members) = json else { throw fail("not a JSON object") }
        let known: Set<String> = ["smtp", "from", "council", "leadDays", "attempts", "log", "suppliers"]
        if let stray = members.keys.first(where: { !known.contains($0) }) { throw fail("\(DisplayText.quoted(stray)) is not a setting; the settings are \(known.sorted().joined(separator: ", "))") }
        guard case .object(let smtp)? = json["smtp"], let host = smtp["host"]?.stringValue, !host.isEmpty else { throw fail("smtp.host is required") }
        let security = try smtp["security"].map { value in
            guard let text = value.stringValue, let security = SMTPClient.Security(rawValue: text) else { throw fail("smtp.security is starttls, tls or none") }
            return security
        } ?? .startTLS
        let port = try smtp["port"].map { value in
            guard let port = value.integerValue, (1...65535).contains(port) else { throw fail("smtp.port is 1 to 65535") }
            return Int(port)
        } ?? (security == .tls ? 465 : 587)
        var credentials: SMTPClient.Credentials?
        if let username = smtp["username"]?.stringValue {
            guard let passwordFile = smtp["passwordFile"]?.stringValue else { throw fail("smtp.username needs smtp.passwordFile, a file holding the password") }
            guard let password = try? String(contentsOfFile: path(passwordFile), encoding: .utf8) else { throw fail("smtp.passwordFile \(path(passwordFile)) cannot be read") }
            credentials = .init(username: username, password: password.trimmingCharacters(in: .newlines))
            if security == .none { throw fail("credentials go only over TLS: set smtp.security to starttls or tls") }
        }
        client = SMTPClient(
            host: host, port: port, security: security, credentials: credentials, trustedCertificates: smtp["trustedCertificates"]?.stringValue.map(path))
        guard let from = json["from"]?.stringValue, Self.isAddress(from) else { throw fail("from is required: the address reminders come from") }
        self.from = from
        council = json["council"]?.stringValue ?? "The council's social value team"
        leadDays = Int(json["leadDays"]?.integerValue ?? 7)
        attempts = Int(json["attempts"]?.integerValue ?? 3)
        guard (0...90).contains(leadDays), (1...10).contains(attempts) else { throw fail("leadDays is 0 to 90, attempts 1 to 10") }
        guard let log = json["log"]?.stringValue else { throw fail("log is required: the file every reminder sent is recorded in") }
        self.log = path(log)
        var suppliers: [String: String] = [:]
        if case .object(let listed)? = json["suppliers"] {
            for member in listed {
                let (name, value) = (member.key, member.value)
                guard let address = value.stringValue, Self.isAddress(address) else { throw fail("suppliers.\(name) is not an email address") }
                suppliers[name] = address
            }
        }
        self.suppliers = suppliers
    }

    static func isAddress(_ text: String) -> Bool { ReportingArrangement.isEmail(text) }
}

/// The reminders' log: one JSON object per line, appended and synced before the next is sent,
/// so that a reminder logged as sent is never sent again, even after a crash.
struct ReminderLog {
    let path: String

    func sentKeys() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var keys = Set<String>()
        for line in text.split(separator: "\n") {
            guard let entry = try? JSONValue(parsing: String(line)), entry["status"]?.stringValue == "sent", let key = entry["key"]?.stringValue else { continue }
            keys.insert(key)
        }
        return keys
    }

    /// Opens the log for appending (making it if need be) and syncs it, writing nothing.
    func checkWritable() throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        guard descriptor >= 0 else { throw CLIError(.storage, "reminder-log", "cannot open the reminders' log \(path): \(String(cString: strerror(errno))); nothing was sent") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CLIError(.storage, "reminder-log", "cannot sync the reminders' log \(path): \(String(cString: strerror(errno))); nothing was sent") }
    }

    func append(_ reminder: ReminderPlan.Reminder, status: String, attempt: Int, detail: String) throws {
        let entry: JSONValue = [
            "at": .string(Timestamp.now().description), "key": .string(reminder.key), "kind": .string(reminder.kind.rawValue),
            "contract": .string(reminder.entry.contract), "quarter": .string(reminder.entry.quarter.description), "dueDate": .string(reminder.entry.dueDate.description),
            "to": .array(reminder.to.map { .string($0) }), "cc": .array(reminder.cc.map { .string($0) }), "status": .string(status),
            "attempt": .integer(Int64(attempt)), "detail": .string(String(detail.prefix(500))),
        ]
        let line = Array((entry.canonicalText + "\n").utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        guard descriptor >= 0 else { throw CLIError(.storage, "reminder-log", "cannot open the reminders' log \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            throw CLIError(.storage, "reminder-log", "cannot write the reminders' log \(path): \(String(cString: strerror(errno)))")
        }
    }
}
