import Foundation
import LedgerValues
import OpenContracting
import SocialValue
import Testing

/// Two real Contracts Finder tender notices of 2014 (Fixtures/contracts-finder-2014/SOURCE.md),
/// each put in a release package as a publisher's package holds it: what svledger makes of a
/// notice it did not write.
@Suite("import ocds: real Contracts Finder notices")
struct OCDSRealNoticeTests {
    static let folder = OCDSImportFixtures.folder + "/contracts-finder-2014"

    /// The notice whose file name holds `key`, as published, and as a package holding it.
    static func notice(_ key: String, edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.contains(key) && $0.hasSuffix(".json") })
        var release = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))) as! [String: Any]
        var tender = release["tender"] as! [String: Any]
        edit(&tender)
        release["tender"] = tender
        let package: [String: Any] = [
            "uri": "https://www.contractsfinder.service.gov.uk/", "version": "1.1", "publishedDate": release["date"]!,
            "publisher": ["name": "Contracts Finder"], "releases": [release],
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: package), as: UTF8.self)
    }

    @Test("each real notice is planned with every gap named: the too-long tender id made valid, and the category, term and area it does not state", arguments: [
        ("59429", "ocds-b5fd17-2c330cf9-adc8-11e6-9901-0019b9f3037b-metofc-9mgh-ghl"),
        ("59433", "ocds-b5fd17-2c3de2dc-adc8-11e6-9901-0019b9f3037b-sougl-swce-9ejb"),
    ])
    func gapsNamed(key: String, reference: String) throws {
        let plan = try OCDSImportFixtures.plan(try Self.notice(key))
        #expect(plan.notices.first?.reference == reference)
        #expect(reference.count == 64)
        #expect(plan.findings.contains { $0.kind == .defaulted && $0.path == "releases[0].tender.id" && $0.message.contains("longer than 64 characters") })
        #expect(Set(plan.blocking.map(\.path)) == [
            "releases[0].tender.mainProcurementCategory", "releases[0].tender.contractPeriod", "releases[0].tender.items[].deliveryAddresses",
        ])
        #expect(plan.blocking.allSatisfy { $0.kind == .missingField })
        #expect(plan.steps.isEmpty)
        // What the notice says and svledger has no place for is said, field by field.
        let notMapped = Set(plan.findings.filter { $0.kind == .notMapped }.map(\.path))
        for path in ["releases[0].parties[0].contactPoint", "releases[0].tender.tenderPeriod", "releases[0].tender.description"] {
            #expect(notMapped.contains(path), "\(path)")
        }
    }

    @Test("given what it lacks, the notice registers with its title as written, without the stray spaces, and its 2014 date meets the policy's first day")
    func titleTrimmed() throws {
        let text = try Self.notice("59429") { tender in
            tender["mainProcurementCategory"] = "services"
            tender["contractPeriod"] = ["startDate": "2015-04-01T00:00:00Z", "endDate": "2018-03-31T00:00:00Z"]
        }
        let plan = try OCDSImportFixtures.plan(text, areas: ["Exeter"])
        guard case .register(let registration) = plan.steps.first?.command.action else { Issue.record("not registered: \(plan.blocking.map(\.message))"); return }
        #expect(registration.title == "Climate Science for Service Partnership (CSSP): Calls for Expressions of Interest")
        #expect(registration.buyerDepartment == "Met Office")
        #expect(registration.identifiers.first == ContractIdentifier(scheme: "ocid", id: "ocds-b5fd17-2c330cf9-adc8-11e6-9901-0019b9f3037b"))
        // A tender of December 2014 under a policy whose first version took effect in 2024.
        #expect(plan.blocking.contains { $0.kind == .refusedByRule && $0.message.contains("was in force on 2014-12-17: its first version") })
    }
}
