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

    /// Opens the ledger, turning storage errors into one readable line.
    func open(_ mode: EventStore.OpenMode = .readWrite) throws -> EventStore {
        do {
            return try EventStore(path: path, mode: mode)
        } catch let error as EventStoreError {
            throw CLIError(error.description)
        } catch let error as LMDBError {
            throw CLIError("cannot open the ledger at \(path): \(error)")
        } catch {
            throw CLIError("cannot open the ledger at \(path): \(error.localizedDescription)")
        }
    }
}

extension LedgerOptions {
    /// Opens the ledger with its projections.
    func openLedger(_ mode: EventStore.OpenMode = .readWrite) throws -> Ledger {
        let store = try open(mode)
        do { return try Ledger(store: store) } catch let error as ProjectionError { throw CLIError(error.description) }
    }
}

/// How a read command prints its answer.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
