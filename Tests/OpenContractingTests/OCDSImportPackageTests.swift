import OpenContracting
import SocialValue
import Testing

@Suite("import ocds: reading a release package")
struct OCDSImportPackageTests {
    static func package(publisherScheme: String?, uri: String? = nil) -> String {
        let publisher = publisherScheme.map { #", "publisher": {"name": "p", "scheme": "\#($0)"}"# } ?? ""
        let uri = uri.map { #", "uri": "\#($0)""# } ?? ""
        return #"""
            {"version": "1.1"\#(publisher)\#(uri), "releases": [
              {"ocid": "ocds-a1b2c3-X", "id": "late", "date": "2025-08-01T00:00:00Z"},
              {"ocid": "ocds-a1b2c3-Y", "id": "other", "date": "2025-01-01T00:00:00Z"},
              {"ocid": "ocds-a1b2c3-X", "id": "early", "date": "2025-02-03T00:00:00Z"},
              {"ocid": "ocds-a1b2c3-X", "id": "same-day", "date": "2025-02-03T00:00:00Z"}
            ]}
            """#
    }

    @Test("releases are grouped by ocid and merged in date order, ties kept in the file's order")
    func dateOrder() throws {
        let package = try OCDSImportFixtures.package(Self.package(publisherScheme: nil))
        #expect(package.notices.map(\.ocid) == ["ocds-a1b2c3-X", "ocds-a1b2c3-Y"])
        #expect(package.notices[0].releases.map(\.id) == ["early", "same-day", "late"])
        #expect(package.notices[0].releasesAreEvents == false)
    }

    @Test("a ledger's own export, known by its uri (or, from before, its publisher's scheme), keeps the order its events were recorded in")
    func ledgerOrder() throws {
        let head = "urn:svledger:ledger:4:" + String(repeating: "ab", count: 32) + ":tree:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        for text in [Self.package(publisherScheme: nil, uri: head), Self.package(publisherScheme: "svledger-ledger-head")] {
            let package = try OCDSImportFixtures.package(text)
            #expect(package.notices[0].releases.map(\.id) == ["late", "early", "same-day"])
            #expect(package.notices[0].releasesAreEvents)
        }
        // Another publisher's uri is not svledger's.
        let other = try OCDSImportFixtures.package(Self.package(publisherScheme: nil, uri: "https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages"))
        #expect(!other.notices[0].releasesAreEvents)
    }

    @Test("numbers keep their text: an amount is never a binary float on the way")
    func exactNumbers() throws {
        let json = try OCDSValue(parsing: Array(#"{"a": 0.1, "b": 4250000.005, "c": -1.5e-3, "d": 12}"#.utf8))
        #expect(json["a"] == .number("0.1"))
        #expect(json["b"] == .number("4250000.005"))
        #expect(json["c"] == .number("-1.5e-3"))
        #expect(json["d"] == .number("12"))
        #expect(json["c"]?.numberValue == ExactDecimal(units: -15, scale: 4))
        #expect(OCDSValue.number("1.2e6").numberValue == ExactDecimal(1_200_000))
        #expect(throws: (any Error).self) { try OCDSValue(parsing: Array(#"{"a": 1, "a": 2}"#.utf8)) }
        #expect(throws: (any Error).self) { try OCDSValue(parsing: Array(#"{"a": 01}"#.utf8)) }
    }
}

/// What the import takes only from svledger's own export, and never from another publisher's.
@Suite("import ocds: svledger's own fields")
struct OCDSOwnExportFieldsTests {
    static let own = "urn:svledger:ledger:4:" + String(repeating: "ab", count: 32) + ":tree:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

    @Test("a package that calls itself svledger's, with sections that are not objects, gives findings, never a crash")
    func malformedOwnExport() throws {
        let text = #"""
            {"version": "1.1", "uri": "\#(Self.own)", "releases": [
              {"ocid": "ocds-svledger-X", "id": "a", "date": "2025-02-03T10:00:00.000Z", "planning": null, "tender": "x",
               "contracts": [{"id": "X", "implementation": ["not", "an", "object"]}]}
            ]}
            """#
        let plan = try OCDSImportFixtures.plan(text)
        #expect(!plan.findings.isEmpty)
    }

    @Test("another publisher's procuring entity is not taken for the buying department, and is said")
    func procuringEntityOfAnotherPublisher() throws {
        let text = try OCDSImportFixtures.text(OCDSImportFixtures.findATender).replacingOccurrences(
            of: #""tender": {"#, with: #""tender": {"procuringEntity": {"id": "GB-PPON-CCS", "name": "Crown Commercial Service"}, "#)
        #expect(text.contains("Crown Commercial Service"))
        let plan = try OCDSImportFixtures.plan(text)
        guard case .register(let registration) = plan.steps.first(where: { $0.eventType == "ContractRegistered" })?.command.action else {
            Issue.record("not registered"); return
        }
        #expect(registration.buyerDepartment == "Leeds City Council, Highways and Transportation")
        #expect(plan.findings.contains { $0.kind == .notMapped && $0.path.hasSuffix("tender.procuringEntity") })
    }
}
