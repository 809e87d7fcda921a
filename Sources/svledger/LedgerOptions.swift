import ArgumentParser
import EventStore
import LedgerValues
import Foundation
import Ledger
import LMDB

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

    /// `SVLEDGER_ACCEPT_LEDGER_TIME=1`: record after a last event whose time is ahead of this
    /// machine's clock (docs/operations.md, "A clock that disagrees with the ledger").
    static var acceptsLedgerTimeAhead: Bool { ProcessInfo.processInfo.environment["SVLEDGER_ACCEPT_LEDGER_TIME"] == "1" }

    /// Opens the ledger; a storage error says which ledger it was.
    func open(_ mode: EventStore.OpenMode = .readWrite) throws -> EventStore {
        do {
            let store = try EventStore(path: path, mode: mode, acceptLedgerTimeAhead: Self.acceptsLedgerTimeAhead)
            if store.environment.isLockless {
                Terminal.progress("note: reading \(path) without a lock, as this user may not write its lock.mdb: the answer holds only while nothing writes to this ledger")
            }
            return store
        } catch let error as LMDBError {
            throw error.inContext("cannot open the ledger at \(path)")
        }
    }
}

extension LedgerOptions {
    /// Opens the ledger: its store and the application layer over it.
    func openLedger(_ mode: EventStore.OpenMode = .readWrite) throws -> Ledger {
        try Ledger(store: try open(mode))
    }
}

/// How a read command prints its answer.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
