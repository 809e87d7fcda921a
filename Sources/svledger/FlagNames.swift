import LedgerValues
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

    /// The error as the user should read it: an input error's path, or the JSON field names in a
    /// refusal's message, given as flags. Kind, category and exit code stay the same.
    func translate(_ error: any Error) -> any Error {
        if let input = error as? InputError {
            return InputError(path: flag(for: input.path) ?? input.path, problem: translate(text: input.problem, leading: false))
        }
        guard let categorized = error as? any CategorizedError else { return error }
        let leading = ["invalid-identifier", "text-too-long"].contains(categorized.kind)
        let line = translate(text: categorized.line, leading: leading)
        return line == categorized.line ? error : FlagNamedError(kind: categorized.kind, category: categorized.category, line: line)
    }

    /// Replaces each JSON field name in `text` that reads as one (camelCase, or a path with `.`
    /// or `[`) by its flag; with `leading`, also the plain name a text rule starts its message
    /// with, after the first ": " (`refused: title "…" is 300 characters long`).
    func translate(text: String, leading: Bool) -> String {
        let leadingStart = leading ? text.firstRange(of: ": ")?.upperBound : nil
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            guard Self.isNameCharacter(text[index]) else {
                result.append(text[index])
                index = text.index(after: index)
                continue
            }
            var end = index
            while end < text.endIndex, Self.isNameCharacter(text[end]) { end = text.index(after: end) }
            var name = text[index..<end]
            while name.last == "." { name.removeLast() }
            // A name typed as a flag already (`--reason`) stays as it is.
            let afterDash = index > text.startIndex && text[text.index(before: index)] == "-"
            let looksLikeField = name.contains { $0.isUppercase || $0 == "[" || $0 == "." }
            if !afterDash, looksLikeField || index == leadingStart, let flag = flag(for: String(name)) {
                result += flag
                result += text[name.endIndex..<end]
            } else {
                result += text[index..<end]
            }
            index = end
        }
        return result
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "." || character == "[" || character == "]")
    }
}

/// An error whose line names flags instead of JSON fields (``FlagNames/translate(_:)``).
struct FlagNamedError: CategorizedError {
    let kind: String
    let category: ErrorCategory
    let line: String
    var description: String { line }
}
