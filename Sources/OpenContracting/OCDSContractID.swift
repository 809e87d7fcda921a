import SocialValue

/// The contract id a notice's own id becomes. A notice's `contracts[].id` or `tender.id` is
/// whatever its publisher wrote ("LCC 2016 031", "DN123456 - Lot 2", ids longer than svledger's
/// limit), while a svledger contract id is at most 64 letters, digits and `-_./`. A notice id
/// that is one is kept as it is; any other is made into one, and the finding says so.
enum OCDSContractID {
    /// `given` as a contract id: each run of characters a contract id cannot hold becomes one
    /// `-`, a repeated `.` one `.`, then it is cut to the limit and trimmed to start and end with
    /// a letter or digit. Nil when nothing of it is left.
    static func derived(from given: String) -> String? {
        var scalars: [Unicode.Scalar] = []
        for scalar in given.unicodeScalars {
            let kept: Unicode.Scalar
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "/": kept = scalar
            case ".":
                if scalars.last == "." { continue }
                kept = "."
            default: kept = "-"
            }
            if kept == "-", scalars.last == "-" { continue }
            scalars.append(kept)
        }
        func trimmed(_ scalars: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
            let isAlphanumeric: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
            guard let first = scalars.firstIndex(where: isAlphanumeric), let last = scalars.lastIndex(where: isAlphanumeric) else { return [] }
            return scalars[first...last]
        }
        let cut = trimmed(trimmed(scalars[...]).prefix(TextRules.identifierLimit))
        guard !cut.isEmpty else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: cut)
        return TextRules.identifierProblem(text, .contract) == nil ? text : nil
    }
}
