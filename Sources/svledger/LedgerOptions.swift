import ArgumentParser
import EventStore
import LedgerValues
import Foundation
import Ledger
import LMDB
import Projections

/// The `--ledger` option every command shares.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger directory, an LMDB environment (default: $SVLEDGER_LEDGER, else ./svledger-data).",
            valueName: "path"))
    var ledger: String?

    var path: String {
        if let ledger { return ledger }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SVLEDGER_LEDGER"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./svledger-data"
    }

    /// Opens the ledger; a storage error says which ledger it was.
    func open(_ mode: EventStore.OpenMode = .readWrite) throws -> EventStore {
        do {
            return try EventStore(path: path, mode: mode)
        } catch let error as LMDBError {
            throw error.inContext("cannot open the ledger at \(path)")
        }
    }
}

extension LedgerOptions {
    /// Opens the ledger with its projections.
    func openLedger(_ mode: EventStore.OpenMode = .readWrite) throws -> Ledger {
        let store = try open(mode)
        return try Ledger(store: store)
    }
}

/// How a read command prints its answer.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
