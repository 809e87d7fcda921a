import LedgerValues

/// `Accept` (RFC 9110 §12.5.1), read only as far as a server with one representation per
/// route needs: does any media range the client lists, with a weight above zero, cover the
/// type the route answers with? A route that can answer with none of them is a 406.
enum AcceptHeader {
    /// Whether `header` admits `type` (`application/json`): by `*/*`, by `application/*` or by
    /// the type itself, case-insensitively, parameters other than `q` ignored.
    static func admits(_ header: String, _ type: String) -> Bool {
        let wanted = type.lowercased()
        let wantedMajor = wanted.split(separator: "/").first.map(String.init) ?? wanted
        for element in header.split(separator: ",") {
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: " \t").lowercased() }
            guard let range = parts.first, !range.isEmpty else { continue }
            let weight = parts.dropFirst().first(where: { $0.hasPrefix("q=") }).flatMap { Double($0.dropFirst(2)) } ?? 1
            guard weight > 0 else { continue }
            if range == "*/*" || range == wanted || range == wantedMajor + "/*" { return true }
        }
        return false
    }

    /// Whether `header` admits any of `types`; a missing or empty header admits everything.
    static func admitsAny(_ header: String?, _ types: [String]) -> Bool {
        guard let header, !header.trimmingCharacters(in: " \t").isEmpty else { return true }
        return types.contains { admits(header, $0) }
    }
}

/// `Content-Type`, read as far as a route that takes one kind of body needs: its media type,
/// without parameters, matched whole (`application/jsonx` is not JSON).
enum ContentType {
    /// `application/json; charset=utf-8` → `application/json`.
    static func essence(_ header: String) -> String {
        (header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? header)
            .trimmingCharacters(in: " \t").lowercased()
    }

    /// Refuses (415) a body that says it is none of `types`; a body that says nothing is read as the first.
    static func require(_ header: String?, _ types: [String], what: String) throws(Problem) {
        guard let header, !types.contains(essence(header)) else { return }
        throw Problem(
            .unsupportedMediaType,
            "send \(what) as \(types.joined(separator: ", ")), not \(DisplayText.quoted(header))")
    }
}

extension StringProtocol {
    /// The text without `characters` at either end.
    func trimmingCharacters(in characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
