import ArgumentParser
import EventStore
import LedgerValues

extension Root {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create an empty ledger.",
            discussion: """
                Makes the directory named by --ledger (or $SVLEDGER_LEDGER, or ./svledger-data)
                and an empty LMDB environment in it. Refuses to touch a directory that already
                holds a ledger.
                """)

        @OptionGroup var options: LedgerOptions

        func run() throws {
            let ledger = try options.openLedger(.create)
            Terminal.print("created an empty ledger at \(ledger.store.environment.path)")
            Terminal.print(try ledger.store.head())
        }
    }
}
