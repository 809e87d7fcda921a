import ArgumentParser
import EventStore
import LedgerValues
import Foundation
import LMDB

@main
struct Root: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svledger",
        abstract: "A tamper-evident ledger of the social value that councils secure through procurement.",
        discussion: """
            Every action is an immutable event in an LMDB file, chained by SHA-256 so that
            any change to the past is detected. Start with:

              svledger init      make an empty ledger (./svledger-data, or --ledger PATH)
              svledger log       read the events
              svledger verify    check the hash chain and the indexes
              svledger stats     size, streams and head

            The ledger is the directory named by --ledger, else $SVLEDGER_LEDGER, else
            ./svledger-data.
            """,
        subcommands: Self.commands
    )

    static let commands: [any ParsableCommand.Type] = {
        var commands: [any ParsableCommand.Type] = [
            Init.self, Policy.self, Catalog.self, Council.self, Contract.self, Threshold.self, Exemption.self, Weighting.self,
            Bids.self, Pledge.self, Delivery.self, Review.self, KPIGroup.self, Apply.self,
            Contracts.self, Show.self, Reconcile.self, Figures.self, Due.self, Remind.self, Returns.self, Audit.self, Evidence.self, Report.self, Import.self, Export.self, Backup.self,
            AccessGroup.self, CheckpointGroup.self, Prove.self, Follow.self, Promote.self, Log.self, Verify.self, Stats.self, Append.self, AppendLoop.self, Generate.self,
        ]
        #if Server
        commands.insert(Serve.self, at: commands.firstIndex { $0 == Log.self } ?? commands.endIndex)
        commands.insert(Witness.self, at: commands.firstIndex { $0 == Log.self } ?? commands.endIndex)
        #endif
        return commands
    }()

    /// Parses and runs, answering every failure with one `error: …` line on stderr and a
    /// non-zero exit, never a crash trace; help and usage go where ArgumentParser sends them.
    static func main() async {
        var parsed: (any ParsableCommand.Type)?
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let first = arguments.first, !first.hasPrefix("-"), first != "help",
                !configuration.subcommands.contains(where: { commandName(of: $0) == first })
            {
                throw CLIError(.usage, "unknown-command", "unknown command '\(DisplayText.excerpt(first))'; run `svledger --help` for the list")
            }
            var command = try parseAsRoot(ledgerOptionMovedAfterSubcommand(Array(CommandLine.arguments.dropFirst())))
            parsed = type(of: command)
            // `serve` runs on Swift's concurrency threads, awaited here; every other command is synchronous.
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            try StandardOutput.finish()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as any CategorizedError {
            // The one place an error becomes an exit code (docs/errors.md).
            Terminal.fail(error.line, code: error.category.exitCode)
        } catch let error as NSError where error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain {
            // A file-system call that no command wrapped: say what and where, never the raw NSError.
            Terminal.fail("\(Terminal.fileSystemMessage(error)) (storage)", code: ErrorCategory.storage.exitCode)
        } catch {
            let code = exitCode(for: error)
            var message = fullMessage(for: error)
            // A usage error found while running (not while parsing) would show the root's usage:
            // show the subcommand's, as ArgumentParser does for one found while parsing.
            if let parsed, parsed != Root.self, error is ValidationError, let path = commandPath(to: parsed) {
                message = "\(Self.message(for: error))\nUsage: \(usageString(for: parsed))\n  See '\(path) --help' for more information."
            }
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            // ArgumentParser's usage text follows its message on lines of its own.
            Terminal.fail(Terminal.errorLine(message), code: code.rawValue, keepingNewlines: true)
        }
    }

    /// A subcommand's name as typed. Every command names itself (tools/check_command_names.py
    /// says why: a name derived from the type costs every start); ArgumentParser's own
    /// derivation stays behind it.
    static func commandName(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? command._commandName
    }

    /// `svledger contract register`: the words that name `command` on the command line.
    static func commandPath(to command: any ParsableCommand.Type, from root: any ParsableCommand.Type = Root.self, prefix: String = "svledger") -> String? {
        for sub in root.configuration.subcommands {
            let path = "\(prefix) \(commandName(of: sub))"
            if sub == command { return path }
            if let found = commandPath(to: command, from: sub, prefix: path) { return found }
        }
        return nil
    }

    /// `--ledger` belongs to every subcommand; a user may also write it first
    /// (`svledger --ledger PATH verify`), so a leading one is moved to the end.
    static func ledgerOptionMovedAfterSubcommand(_ arguments: [String]) -> [String] {
        guard let first = arguments.first else { return arguments }
        if first.hasPrefix("--ledger=") { return Array(arguments.dropFirst()) + [first] }
        if first == "--ledger", arguments.count >= 2 { return Array(arguments.dropFirst(2)) + Array(arguments.prefix(2)) }
        return arguments
    }
}

/// A failure found by the CLI itself (a file it cannot read, a contract a read names that
/// is not there), in the same contract as the modules' errors.
typealias CLIError = PlainError

extension PlainError {
    init(_ category: ErrorCategory, _ kind: String, _ description: String) {
        self.init(category, kind: kind, description)
    }
}

enum Terminal {
    /// Writes the one error line: control and invisible formatting characters made visible,
    /// and never longer than 4 KiB, whatever a message quoted.
    static func fail(_ message: String, code: Int32, keepingNewlines: Bool = false) -> Never {
        let line = DisplayText.bounded(DisplayText.escaped(message, keepingNewlines: keepingNewlines))
        fflush(cStandardOutput)
        fputs("error: " + line + "\n", cStandardError)
        exit(code)
    }

    /// Prints one line of text output (`--format text`, tables, what a command recorded). Every
    /// text output goes through here, so that no title, name or reason in a ledger can send a
    /// terminal a control sequence or reorder what it shows (``DisplayText/escaped(_:keepingNewlines:)``).
    /// JSON is printed as it is (its own escapes), and CSV through `CSVWriter`.
    static func print(_ line: some CustomStringConvertible = "") {
        Swift.print(DisplayText.escaped(line.description))
    }

    /// "PATH: reason", from the POSIX error under a Foundation file error.
    static func fileSystemMessage(_ error: NSError) -> String {
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        let posix = error.domain == NSPOSIXErrorDomain ? error : underlying?.domain == NSPOSIXErrorDomain ? underlying : nil
        let reason = posix.map { String(cString: strerror(Int32($0.code))) } ?? "file-system error \(error.code)"
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        return path.map { "\($0): \(reason)" } ?? reason
    }

    /// Strips ArgumentParser's own "Error: " so that every error line starts the same way.
    static func errorLine(_ message: String) -> String {
        message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
    }

    /// A warning: one `warning: …` line on stderr; the command goes on.
    static func warn(_ message: String) {
        fflush(cStandardOutput)
        fputs("warning: " + DisplayText.bounded(DisplayText.escaped(message)) + "\n", cStandardError)
    }

    /// Progress lines go to stderr, so that they never mix with a command's machine-readable stdout.
    /// (A progress line that cannot be written is dropped: it must not fail the command.)
    static func progress(_ line: String) {
        fputs(DisplayText.escaped(line) + "\n", cStandardError)
    }
}
