import ArgumentParser
import LedgerValues

extension Root.Contract {
    struct ArrangeReporting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "arrange-reporting",
            abstract: "Name the officer who manages a contract's returns, or give it its own days to make a return.",
            discussion: """
              svledger contract arrange-reporting --contract LCC-2025-014 \\
                  --manager "J. Owusu" --manager-email j.owusu@lancashire.example \\
                  --due-days 45 --actor a.patel --role "Procurement Officer"

            A quarter's return is due a number of days after the quarter ends: the policy's
            returnDueDays (30 when it states none), or the contract's own, given here (0 to
            366). A return not made by then is late, in `svledger reconcile` and the
            Cabinet report alike. What this leaves out stays as arranged before
            (docs/calendar.md).
            """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option(help: "The officer who manages the contract's returns.") var manager: String?
        @Option(help: "Where that officer is reached.") var managerEmail: String?
        @Option(help: "Days after each quarter ends by which its return is due (0 to 366), in place of the policy's.") var dueDays: Int?

        func validate() throws {
            if manager == nil, managerEmail == nil, dueDays == nil { throw ValidationError("give --manager, --manager-email or --due-days") }
        }

        func run() throws {
            var fields = who.fields("reporting.arrange")
            fields["contract"] = .string(contract)
            if let manager { fields["contractManager"] = .string(manager) }
            if let managerEmail { fields["contractManagerEmail"] = .string(managerEmail) }
            if let dueDays { fields["returnDueDays"] = .integer(Int64(dueDays)) }
            try DomainCommand.run(
                fields, ledger: ledger,
                flags: FlagNames(["contractManager": "--manager", "contractManagerEmail": "--manager-email", "returnDueDays": "--due-days"]))
        }
    }
}
