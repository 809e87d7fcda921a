import Foundation
import LedgerValues
import SocialValue
import Testing

/// Each command's fields are declared once (``CommandName/fields``), and the schemas in
/// Schemas/commands/ say the same: a field added to one and not the other fails here.
@Suite("Commands: one declaration of their fields")
struct CommandFieldsTests {
    /// Schemas/commands, found from this file (the domain's tests reach no storage or test support).
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/commands").path

    static func schema(_ name: CommandName) throws -> JSONValue {
        let path = schemas + "/\(name.rawValue).schema.json"
        return try JSONValue(parsing: try String(contentsOfFile: path, encoding: .utf8))
    }

    @Test("every command's allowed and required fields are its schema's properties and required", arguments: CommandName.allCases)
    func matchesSchema(_ name: CommandName) throws {
        let schema = try Self.schema(name)
        let properties = Set(schema["properties"]?.objectValue?.keys ?? [])
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(properties == name.fields.allowed, "\(name.rawValue): schema \(properties.sorted()), declared \(name.fields.allowed.sorted())")
        let declared = Set(["command", "actor"]).union(name.fields.required).union(name.fields.requiredByRule)
        #expect(required == declared, "\(name.rawValue): schema \(required.sorted()), declared \(declared.sorted())")
        #expect(name.fields.required.isDisjoint(with: name.fields.requiredByRule))
    }

    @Test("the names are the schemas' and the JSON form's; an unknown name is refused, never read as another command")
    func names() throws {
        #expect(LedgerCommand.names == CommandName.allCases.map(\.rawValue))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemas)
            .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }
        // council.describe is the councils' own command; command and common are shared definitions.
        #expect(Set(files).subtracting(["command", "common", "council.describe"]) == Set(LedgerCommand.names))
        let unknown = try JSONValue(parsing: #"{"command": "contract.reopen", "actor": {"id": "a", "role": "r"}, "contract": "C-1"}"#)
        #expect(throws: InputError.self) { try LedgerCommand.parse(unknown, today: CalendarDate("2026-01-01")!) }
    }

    @Test("a missing required field is named, from the declaration, before anything else is read")
    func required() throws {
        let award = try JSONValue(parsing: #"{"command": "contract.award", "actor": {"id": "a", "role": "r"}, "contract": "C-1", "supplier": "S"}"#)
        do {
            _ = try LedgerCommand.parse(award, today: CalendarDate("2026-01-01")!)
            Issue.record("an award without a value was read")
        } catch {
            #expect(error.path == "valueGBP" && error.problem == "is required", "\(error)")
        }
    }
}
