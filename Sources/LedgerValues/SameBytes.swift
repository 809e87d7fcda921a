extension String {
    /// Whether `other` is this text byte for byte (its UTF-8), and not merely canonically
    /// equivalent, as `==` on Swift strings is: "é" written as one code point equals "e" and a
    /// combining accent there. Names the ledger records (a supplier's above all) are compared
    /// this way wherever they scope or group figures, as the figures file defines them
    /// (Schemas/README.md §10) and as every other implementation of it compares them; so a
    /// supplier's account sees the contracts recorded under its name's exact bytes.
    public func sameBytes(as other: String?) -> Bool {
        guard let other else { return false }
        return utf8.elementsEqual(other.utf8)
    }
}

extension Optional<String> {
    /// ``Swift/String/sameBytes(as:)``; nothing is the same as nothing else, nil included.
    public func sameBytes(as other: String?) -> Bool { self?.sameBytes(as: other) ?? false }
}
