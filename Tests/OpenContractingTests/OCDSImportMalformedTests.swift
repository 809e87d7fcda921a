import Foundation
import Testing
import TestSupport

@Suite("import ocds: malformed input gets a clear error and leaves the ledger byte for byte as it was")
struct OCDSImportMalformedTests {
    /// Imports `text`, expecting `status` and `message` on stderr, and data.mdb unchanged.
    func refuses(_ text: String, status: Int32, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ledger = try OCDSImportLedger().prepared()
        _ = try ledger.importing(OCDSImportFixtures.contractsFinder)
        let before = try ledger.dataFile()
        let path = try ledger.write(text, "bad.json")
        let result = try ledger.importing(path, expectSuccess: false)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try ledger.dataFile() == before, sourceLocation: sourceLocation)
    }

    @Test("not JSON") func notJSON() throws {
        try refuses("ocid,title\nocds-h6vhtk-1,Roads\n", status: 65, "(invalid-json)")
    }

    @Test("a record package, not a release package") func recordPackage() throws {
        try refuses(#"{"version": "1.1", "records": [{"ocid": "ocds-h6vhtk-1", "releases": []}]}"#, status: 65, "record package (it has \"records\")")
    }

    @Test("a single release, not a package") func singleRelease() throws {
        try refuses(#"{"ocid": "ocds-h6vhtk-1", "id": "1", "date": "2025-01-01T00:00:00Z"}"#, status: 65, "(not-a-release-package)")
    }

    @Test("a release without its ocid") func missingOcid() throws {
        let text = try OCDSImportFixtures.text(OCDSImportFixtures.findATender)
            .replacingOccurrences(of: "\"ocid\": \"ocds-h6vhtk-04f2c3\",\n      \"id\": \"ocds-h6vhtk-04f2c3-uk7", with: "\"id\": \"ocds-h6vhtk-04f2c3-uk7")
        try refuses(text, status: 65, "releases[1].ocid is missing")
    }

    @Test("an amount in euros") func unknownCurrency() throws {
        let text = try OCDSImportFixtures.text(OCDSImportFixtures.findATender)
            .replacingOccurrences(of: "\"amount\": 4180000.00, \"currency\": \"GBP\"}", with: "\"amount\": 4180000.00, \"currency\": \"EUR\"}")
        try refuses(text, status: 1, "unsupported-currency")
    }

    @Test("fractions of a penny are refused, not rounded") func fractionOfPenny() throws {
        let text = try OCDSImportFixtures.text(OCDSImportFixtures.findATender)
            .replacingOccurrences(of: "\"amount\": 4250000.00", with: "\"amount\": 4250000.005")
        try refuses(text, status: 1, "invalid-value")
    }

    @Test("a 50 MB file is refused before it is read") func fiftyMegabytes() throws {
        let ledger = try OCDSImportLedger().prepared()
        let before = try ledger.dataFile()
        let path = ledger.directory.child("huge.json")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("{\"releases\": [".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        let result = try ledger.importing(path, expectSuccess: false)
        #expect(result.status == 65)
        #expect(result.stderr.contains("the release package is 52428800 bytes long; the limit is 33554432 bytes (input-too-long)"))
        #expect(try ledger.dataFile() == before)
    }
}
