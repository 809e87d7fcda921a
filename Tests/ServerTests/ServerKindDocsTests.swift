import Foundation
@testable import Server
import TestSupport
import Testing

/// docs/errors.md says each of the server's own kinds with its status and category, in lists
/// such as "`missing-parameter`, `unknown-parameter` … (400, `usage`)": the kinds are an enum
/// in the code (``ServerKind``), and this holds the prose to it.
@Suite("the server's kinds and docs/errors.md agree")
struct ServerKindDocsTests {
    static let categories = ["access", "http", "usage", "input", "refused", "notFound", "storage"]

    /// The status and category docs/errors.md gives `kind`: the first "(NNN" after it, and the
    /// first category named after that.
    static func documented(_ kind: String, in text: String) -> (status: Int, category: String)? {
        guard let at = text.range(of: "`\(kind)`") else { return nil }
        let rest = text[at.upperBound...]
        guard let open = rest.range(of: #"\((\d{3})"#, options: .regularExpression) else { return nil }
        let status = Int(rest[open].dropFirst())!
        let after = rest[open.upperBound...]
        let category = categories.compactMap { name in after.range(of: "`\(name)`").map { ($0.lowerBound, name) } }.min { $0.0 < $1.0 }?.1
        return category.map { (status, $0) }
    }

    @Test("every ServerKind is documented with its status and category", arguments: ServerKind.allCases)
    func documented(_ kind: ServerKind) throws {
        let text = try String(contentsOfFile: CommandRunner.repositoryRoot + "/docs/errors.md", encoding: .utf8)
        let server = String(text[try #require(text.range(of: "The server's own kinds")).lowerBound...])
        let found = try #require(Self.documented(kind.rawValue, in: server), "docs/errors.md does not list \(kind.rawValue)")
        #expect(found.status == Int(kind.status.code), "\(kind.rawValue): docs say \(found.status), the code \(kind.status.code)")
        #expect(found.category == kind.category, "\(kind.rawValue): docs say \(found.category), the code \(kind.category)")
    }
}
