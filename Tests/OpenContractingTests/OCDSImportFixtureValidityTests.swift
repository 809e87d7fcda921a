import Foundation
import Testing
import TestSupport

/// The hand-written notices are real OCDS: valid against OCDS 1.1.5 with the UK profile's
/// extensions (../shared/ocds, beside the repository), so the import is tested on the shape
/// publishers actually send. Without that folder the check is skipped (tools/test says so),
/// except under CI, where it must run.
@Suite("import ocds: the test notices are valid OCDS")
struct OCDSImportFixtureValidityTests {
    static let ocds = CommandRunner.repositoryRoot + "/../shared/ocds"
    static let available = FileManager.default.fileExists(atPath: ocds + "/validate.py")
        || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test("Find a Tender and Contracts Finder fixtures validate, with no field outside the schema", .enabled(if: available),
          arguments: [OCDSImportFixtures.findATender, OCDSImportFixtures.contractsFinder])
    func validates(_ fixture: String) throws {
        let result = try CommandRunner.run("/usr/bin/env", ["python3", Self.ocds + "/validate.py", fixture])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 documents checked, 0 errors"), "\(result.stdout)")
    }
}
