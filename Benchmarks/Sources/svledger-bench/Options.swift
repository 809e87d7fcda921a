import Foundation

/// The command line of `svledger-bench`. Kept to hand-parsed flags: the bench target does not
/// depend on ArgumentParser, and its few flags do not need it.
struct Options: Sendable {
    enum Mode: Sendable, Equatable {
        /// Run every size (each in a child process) and print one table.
        case orchestrate
        /// Internal: measure one size in this process and print its result as JSON on stdout.
        case child(size: Int)
        /// Build (if needed) a ledger in `ledger` and run one operation on it, for callgrind.
        case profile(operation: ProfileOperation)
    }

    enum ProfileOperation: String, Sendable {
        case prepare, fold, verify, append, bulk
    }

    var mode: Mode = .orchestrate
    var quick = false
    var json = false
    var sizes: [Int] = [10_000, 100_000, 1_000_000]
    /// Synced commits for the one-event-per-commit measurements.
    var commits = 2_000
    var seed: UInt64 = 2025
    /// For `--profile`: the ledger directory and its size.
    var ledger: String?
    var events = 20_000

    static let usage = """
        usage: svledger-bench [--quick] [--json] [--sizes 10000,100000,...] [--commits N] [--seed N]
               svledger-bench --profile prepare|fold|verify|append --ledger DIR [--events N] [--commits N]

          --quick      10,000 and 100,000 events, 1,000 synced commits (under 3 minutes)
          --json       machine-readable output instead of the table
          --profile    run one operation alone (for valgrind --tool=callgrind); `prepare`
                       only writes the synthetic ledger into DIR; `append` executes
                       --commits single delivery.correct commands (default 200 here)
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var explicitSizes: [Int]?
        var explicitCommits: Int?
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            return next
        }
        func integer(_ flag: String) throws -> Int {
            let text = try value(flag).replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
            guard let number = Int(text), number > 0 else { throw UsageError("\(flag) needs a positive integer") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--json": options.json = true
            case "--sizes":
                explicitSizes = try value(argument).split(separator: ",").map {
                    guard let size = Int($0.replacingOccurrences(of: "_", with: "")), size > 0 else {
                        throw UsageError("--sizes takes positive integers separated by commas")
                    }
                    return size
                }
            case "--commits": explicitCommits = try integer(argument)
            case "--seed": options.seed = UInt64(try integer(argument))
            case "--child": options.mode = .child(size: try integer(argument))
            case "--profile":
                guard let operation = ProfileOperation(rawValue: try value(argument)) else {
                    throw UsageError("--profile takes prepare, fold, verify, append or bulk")
                }
                options.mode = .profile(operation: operation)
            case "--ledger": options.ledger = try value(argument)
            case "--events": options.events = try integer(argument)
            case "--help", "-h": throw UsageError(nil)
            default: throw UsageError("unknown argument \(argument)")
            }
        }
        if options.quick {
            options.sizes = [10_000, 100_000]
            options.commits = 1_000
        }
        if let explicitSizes { options.sizes = explicitSizes }
        if let explicitCommits { options.commits = explicitCommits } else if case .profile = options.mode { options.commits = 200 }
        if case .profile = options.mode, options.ledger == nil { throw UsageError("--profile needs --ledger DIR") }
        return options
    }

    /// The flags a child process needs to measure one size the way the parent was asked to.
    func childArguments(size: Int) -> [String] {
        let arguments = ["--child", String(size), "--commits", String(commits), "--seed", String(seed)]
        return arguments
    }
}

struct UsageError: Error, CustomStringConvertible {
    let message: String?
    init(_ message: String?) { self.message = message }
    var description: String { (message.map { "error: \($0)\n" } ?? "") + Options.usage }
}
