import Foundation
import LedgerValues
import OpenContracting
import SocialValue

/// The hand-written notices and the reference data the import tests plan against.
enum OCDSImportFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let findATender = "\(folder)/fts-release-package.json"
    static let contractsFinder = "\(folder)/contracts-finder-release-package.json"

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func package(_ text: String) throws -> OCDSReleasePackage { try OCDSReleasePackage(bytes: Array(text.utf8)) }

    /// The demo council's policy (fixed 10% minimum, £100,000 threshold) and the portal catalog.
    static func reference() throws -> ReferenceData {
        var reference = ReferenceData()
        let policy = try Policy(document: BuiltinReference.document(.policies, "lancashire-2024-28")!)
        let adopted = try reference.adopt(policy)
        try reference.evolve(eventType: adopted.event.type, payload: adopted.event.payload)
        let catalog = try Catalog(document: BuiltinReference.document(.catalogs, "portal-003")!)
        let published = try reference.publish(catalog)
        try reference.evolve(eventType: published.event.type, payload: published.event.payload)
        return reference
    }

    static let officer = ActorIdentity(id: "a.patel", role: "Procurement Officer")

    /// Plans `text` against an empty ledger holding only the reference data.
    static func plan(_ text: String, confirm: Bool = true, areas: [String] = []) throws -> OCDSImportPlan {
        let options = OCDSImportOptions(
            areas: areas, actor: officer, attributionConfirmed: confirm, today: CalendarDate(year: 2026, month: 11, day: 1)!)
        return try OCDSImportPlan(package: package(text), reference: reference(), options: options) { _ in OCDSRecordedContract() }
    }
}
