import ArgumentParser
import Foundation
import Ledger
import LedgerValues
import Reports

extension Root {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "due",
            abstract: "The returns suppliers owe: overdue, due, and the next to come, by supplier or by contract manager.",
            discussion: """
              svledger due                   every return owed today, by supplier
              svledger due --by manager      the same, by contract manager
              svledger due --supplier "North Roads Ltd" --format ics > north-roads.ics

            A quarter's return is due a number of days after the quarter ends: the policy's
            returnDueDays (30 when it states none), or the contract's own (`svledger
            contract arrange-reporting`). It is overdue once that day has passed, by the
            same rule the reconciliation's late returns follow; due once its quarter has
            ended; upcoming while its quarter runs (each contract's next only, unless
            --all). Closed contracts owe nothing more. --format ics gives an iCalendar feed
            of the due days (docs/calendar.md).
            """)
        enum Grouping: String, ExpressibleByArgument, CaseIterable { case supplier, manager }
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, ics }

        @OptionGroup var ledger: LedgerOptions
        @Option(help: ArgumentHelp("The day the list is for (default: today, UTC).", valueName: "YYYY-MM-DD")) var today: String?
        @Option(help: "Only this supplier's contracts.") var supplier: String?
        @Option(help: "Only the contracts this contract manager manages.") var manager: String?
        @Option(help: "Group the text by supplier or by contract manager.") var by: Grouping = .supplier
        @Flag(help: "Every quarter still to come, not only each contract's next.") var all = false
        @Option(help: "text, json, csv or ics.") var format: Format = .text

        func run() throws {
            let day: CalendarDate
            if let today {
                guard let parsed = CalendarDate(today) else { throw CLIError(.input, "invalid-input", "--today \(DisplayText.quoted(today)) is not a date YYYY-MM-DD") }
                day = parsed
            } else {
                day = Timestamp.now().date
            }
            let opened = try ledger.openLedger(.readOnly)
            var due = ReturnsDue(try opened.snapshot(), today: day, allUpcoming: all || format == .ics)
            if let supplier { due = due.filtered { $0.supplier.sameBytes(as: supplier) } }
            if let manager { due = due.filtered { $0.contractManager == manager } }
            switch format {
            case .json: try StandardOutput.shared.write(DueDocument.json(due).canonicalText + "\n")
            case .ics: try StandardOutput.shared.write(DueCalendar.ics(due, name: "Social value returns" + (supplier.map { ": \($0)" } ?? ""), stamp: .now()))
            case .csv:
                TableOutput.csv(
                    ["contract", "title", "supplier", "contract_manager", "quarter", "due_date", "status", "days_left"],
                    due.entries.map { [$0.contract, $0.title, $0.supplier ?? "", $0.contractManager ?? "", $0.quarter.description, $0.dueDate.description, $0.status.rawValue, String($0.daysLeft)] })
            case .text: text(due)
            }
        }

        func text(_ due: ReturnsDue) {
            let counts = ReturnsDue.Status.allCases.map { status in "\(due.entries.filter { $0.status == status }.count) \(status.rawValue)" }
            Terminal.print("Returns owed on \(due.today): " + counts.joined(separator: ", "))
            guard !due.entries.isEmpty else { return }
            let groups = by == .supplier ? due.grouped { $0.supplier } : due.grouped { $0.contractManager }
            for group in groups {
                Terminal.print("")
                Terminal.print("\(by == .supplier ? "Supplier" : "Contract manager"): \(group.name)")
                TableOutput.text(
                    ["  CONTRACT", "QUARTER", "DUE", "STATUS", by == .supplier ? "CONTRACT MANAGER" : "SUPPLIER"],
                    group.entries.map { e in
                        let when = e.daysLeft < 0 ? "\(-e.daysLeft) days late" : e.daysLeft == 0 ? "today" : "in \(e.daysLeft) days"
                        let status = e.missingMeasures.isEmpty ? e.status.rawValue : "\(e.status.rawValue): \(e.missingMeasures.joined(separator: ", ")) missing"
                        return ["  " + e.contract, e.quarter.description, "\(e.dueDate) (\(when))", status,
                                (by == .supplier ? e.contractManager : e.supplier) ?? "—"]
                    }, maxWidth: 40)
            }
        }
    }
}
