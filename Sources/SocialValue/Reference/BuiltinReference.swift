import LedgerValues
import Foundation

/// The policies and catalogs svledger ships, from the seed documents (Resources/). They are
/// not in force until adopted into a ledger with `svledger policy adopt` / `catalog publish`.
public enum BuiltinReference {
    public enum Kind: String, Sendable { case policies, catalogs }

    static func directory(_ kind: Kind) -> URL? {
        // `.copy("Resources")` puts the folder itself at the bundle's top level.
        Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(kind.rawValue)
    }

    /// The names (file names without `.json`) of the shipped documents of `kind`.
    public static func names(_ kind: Kind) -> [String] {
        guard let directory = directory(kind),
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The shipped document `name` of `kind`, parsed, or `nil` if there is none. A name is an
    /// identifier, never a path: `../` cannot reach a file outside the shipped folder.
    public static func document(_ kind: Kind, _ name: String) -> JSONValue? {
        guard name.unicodeScalars.count <= TextRules.identifierLimit, TextRules.identifierProblem(name, .reference) == nil,
            let url = directory(kind)?.appendingPathComponent("\(name).json"),
            let data = FileManager.default.contents(atPath: url.path)
        else { return nil }
        return try? JSONValue(parsing: [UInt8](data))
    }
}
