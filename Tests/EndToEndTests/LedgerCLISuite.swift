import Testing
import TestSupport

/// A suite that runs the built `svledger` on a ledger of its own, in its own temporary directory.
protocol LedgerCLISuite {
    var directory: TemporaryDirectory { get }
}

extension LedgerCLISuite {
    var ledger: String { directory.child("ledger") }

    /// Runs `svledger arguments --ledger LEDGER`; unless told otherwise, expects it to succeed.
    @discardableResult
    func svledger(
        _ arguments: [String], environment: [String: String] = [:], expectSuccess: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandResult {
        let result = try CommandRunner.svledger(arguments + ["--ledger", ledger], environment: environment)
        if expectSuccess {
            #expect(result.status == 0, "\(arguments.prefix(3)): \(result.stderr)", sourceLocation: sourceLocation)
        }
        return result
    }
}
