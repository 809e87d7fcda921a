import LedgerValues
import Ledger
import SocialValue

/// The flags a subcommand builds a command's JSON fields from, so that an error about a
/// command typed as flags names the flag the user typed (`--value`), not the JSON field
/// (`estimatedWholeLifeValueGBP`). Errors about an `apply` file keep the JSON names.
struct FlagNames {
    /// JSON path → the flag that gives it. A list's key maps its elements too: `lines[0].quantity`
    /// is `--line #1 quantity`.
    let names: [String: String]

    static let common = [
        "actor": "--actor and --role", "actor.id": "--actor", "actor.role": "--role", "reason": "--reason",
        "effectiveDate": "--effective-date", "contract": "--contract",
    ]

    init(_ specific: [String: String] = [:]) { names = Self.common.merging(specific) { $1 } }

    /// The flag for a JSON path, or `nil` when no flag gives it.
    func flag(for path: String) -> String? {
        if let flag = names[path] { return flag }
        guard let open = path.firstIndex(of: "["), let close = path.firstIndex(of: "]"), open < close,
            let flag = names[String(path[..<open])], let index = Int(path[path.index(after: open)..<close])
        else { return nil }
        let rest = path[path.index(after: close)...]
        return "\(flag) #\(index + 1)" + (rest.hasPrefix(".") ? " \(rest.dropFirst())" : rest.isEmpty ? "" : String(rest))
    }

    /// The name a field is given on the command line: its flag, or its JSON name when no flag gives it.
    func name(_ path: String) -> String { flag(for: path) ?? path }

    /// The error as the user should read it: the fields it names (an input error's path, the
    /// fields a refusal's wording names) said as the flags that gave them. Nothing is read out
    /// of the message's text: errors carry their fields as fields (``Wording``). Kind, category
    /// and exit code stay the same.
    func translate(_ error: any Error) -> any Error {
        switch error {
        case let input as InputError:
            return FlagNamedError(kind: input.kind, category: input.category, line: "\(input.worded(naming: name)) (\(input.kind))")
        case let refusal as DomainError:
            return FlagNamedError(kind: refusal.kind, category: refusal.category, line: refusal.worded(naming: name))
        case let failure as CommandFailure:
            return FlagNamedError(kind: failure.kind, category: failure.category, line: failure.worded(naming: name))
        default:
            return error
        }
    }
}

/// An error whose line names flags instead of JSON fields (``FlagNames/translate(_:)``).
struct FlagNamedError: CategorizedError {
    let kind: String
    let category: ErrorCategory
    let line: String
    var description: String { line }
}
