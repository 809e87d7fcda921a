import Foundation
import Testing

/// The package around the releases, and what makes an export repeatable and checkable.
@Suite struct OCDSExportPackageTests {
    typealias J = OCDSJSON

    @Test func theUriNamesTheHeadThatVerifyPrints() throws {
        let ledger = try OCDSLedger.lifecycle()
        let package = try OCDSJSON.object(ledger.export())
        // `svledger verify` ends with "head <position> <hash>".
        let head = try #require(ledger.run(["verify"]).split(separator: "\n").last { $0.hasPrefix("head ") })
        let parts = head.split(separator: " ")
        let uid = "\(parts[1]):\(parts[2])"
        // The publisher is an organisation, the ledger's one council (named by its policy): no
        // ledger head in its identifier.
        #expect(J.value(package, "publisher") as? [String: String] == ["name": "Lancashire County Council"])
        // The uri adds the tree's root at that head, as a checkpoint of that size writes it.
        let proof = try OCDSJSON.object(ledger.run(["prove", "inclusion", "1", "--format", "json"]))
        let root = try #require(proof["root"] as? String)
        #expect(proof["treeSize"] as? Int == Int(parts[1]))
        #expect(package["uri"] as? String == "urn:svledger:ledger:\(uid):tree:\(root)")
        #expect(package["version"] as? String == "1.1")
        let extensions = try #require(package["extensions"] as? [String])
        #expect(extensions.count == 14 && extensions.allSatisfy { $0.hasPrefix("https://") && $0.hasSuffix("/extension.json") })
        // What completes the schema: the lots extension's SubmissionTerms, the UK extension's dependencies.
        #expect(extensions.contains { $0.contains("/ocds_submissionTerms_extension/") })
        #expect(extensions.contains("https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"))
        #expect((package["releases"] as? [Any])?.count == 15)
    }

    @Test func theSameLedgerExportsTheSameBytes() throws {
        let ledger = try OCDSLedger.lifecycle()
        for format in ["package", "records", "ndjson"] {
            let first = try ledger.export(["--format", format])
            #expect(!first.isEmpty)
            #expect(try ledger.export(["--format", format]) == first, "\(format) differs between two exports")
        }
        // The package is dated by its head event, not by the clock of the export.
        let published = try #require(try OCDSJSON.object(ledger.export())["publishedDate"] as? String)
        let headEvent = try #require(try ledger.run(["log", "--format", "json"]).split(separator: "\n").last)
        #expect(try OCDSJSON.object(String(headEvent))["recordedAt"] as? String == published)
    }

    @Test func releaseIdsAreTheEventIdsAndUnique() throws {
        let ledger = try OCDSLedger.lifecycle()
        let ids = try ledger.releases().compactMap { $0["id"] as? String }
        let events = try ledger.eventIds(stream: "contract/T-1").map(\.id) + ledger.eventIds(stream: "contract/T-2").map(\.id)
        #expect(Set(ids) == Set(events))
        #expect(Set(ids).count == ids.count)
    }

    @Test func recordsHoldEachContractsReleasesAndTheirCompiledRelease() throws {
        let ledger = try OCDSLedger.lifecycle()
        let package = try OCDSJSON.object(ledger.export(["--format", "records"]))
        let records = try #require(package["records"] as? [[String: Any]])
        #expect(records.compactMap { $0["ocid"] as? String } == ["ocds-svledger-T-1", "ocds-svledger-T-2"])
        #expect((records[0]["releases"] as? [Any])?.count == 11)
        let compiled = records[0]["compiledRelease"]
        #expect(J.value(compiled, "tag") as? [String] == ["compiled"])
        // `<ocid>-<date of its last release>`: when the last release was made.
        let last = (records[0]["releases"] as? [[String: Any]])?.last?["date"] as? String
        #expect(last != nil && J.value(compiled, "id") as? String == "ocds-svledger-T-1-\(last ?? "")")
        #expect(J.value(compiled, "contracts", 0, "status") as? String == "terminated")
        #expect(J.value(compiled, "awards", 0, "value", "currency") as? String == "GBP")
        // The council, its department, and the two bidders (one of them the supplier).
        #expect((J.value(compiled, "parties") as? [Any])?.count == 4)
    }

    @Test func ndjsonIsTheReleasePackagesReleasesOnePerLine() throws {
        let ledger = try OCDSLedger.lifecycle()
        let package = try OCDSJSON.object(ledger.export())
        let releases = try #require(package["releases"] as? [[String: Any]])
        let lines = try ledger.releases()
        #expect(lines.count == releases.count)
        #expect(lines.compactMap { $0["id"] as? String } == releases.compactMap { $0["id"] as? String })
    }

    @Test func outWritesTheFileAndSaysHowMany() throws {
        let ledger = try OCDSLedger.lifecycle()
        let out = ledger.directory.child("export.json")
        let said = try ledger.export(["--out", out])
        #expect(said.hasPrefix("exported 15 releases to \(out)\n"))
        // and how the export stands to the council's checkpoints: here none is signed yet
        #expect(said.contains("\nThe ledger has signed no checkpoint yet: the tree root stated is this export's alone, and only a checkpoint the council publishes can hold it to it.\n"))
        // and that its ocids use svledger's own prefix, which no one registered
        #expect(said.hasSuffix("start with ocds-svledger, which is not registered: register one with the Open Contracting Partnership and record it with `svledger council describe … --ocid-prefix ocds-xxxxxx`\n"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == ledger.export())
    }

    @Test func theCouncilDescribedIsThePublisher() throws {
        let ledger = try OCDSLedger.lifecycle()
        let council = try ledger.file("council.ndjson", """
            {"command": "council.describe", "actor": {"id": "r.shah", "role": "Head of Procurement"}, "effectiveDate": "2025-04-01", \
            "councilId": "lancs", "name": "LANCASHIRE County Council", "author": "Director of Finance", \
            "contact": {"name": "R. Shah", "role": null, "phone": null, "email": "sv@testshire.example"}, "directorates": [], "themes": []}
            """)
        try ledger.run(["apply", council])
        // Its name as described, which the policy's names ignoring case.
        #expect(J.value(try OCDSJSON.object(ledger.export()), "publisher", "name") as? String == "LANCASHIRE County Council")
        // A council only some other policy names makes two: the ledger publishes, never the two joined.
        let other = try ledger.file("other.ndjson", """
            {"command": "council.describe", "actor": {"id": "r.shah", "role": "Head of Procurement"}, "effectiveDate": "2025-04-01", \
            "councilId": "testshire", "name": "Testshire County Council", "author": "Director of Finance", \
            "contact": {"name": "R. Shah", "role": null, "phone": null, "email": "sv@testshire.example"}, "directorates": [], "themes": []}
            """)
        try ledger.run(["apply", other])
        #expect(J.value(try OCDSJSON.object(ledger.export()), "publisher", "name") as? String == "svledger ledger")
    }

    /// A council records the ocid prefix it registered, and its contracts' processes are named
    /// with it: the export used to name every process with a made-up prefix.
    @Test func theCouncilsRegisteredPrefixNamesItsProcesses() throws {
        let ledger = try OCDSLedger.lifecycle()
        let describe = ["council", "describe", "--id", "lancs", "--name", "Lancashire County Council", "--author", "Director of Finance",
                        "--contact", "R. Shah", "--email", "sv@lancashire.example"] + OCDSLedger.head
        // The event of a description without a prefix has no such key: earlier events keep their bytes.
        try ledger.run(describe)
        let first = try ledger.run(["log", "--format", "json"]).split(separator: "\n").last.map(String.init) ?? ""
        #expect(first.contains("CouncilDescribed") && !first.contains("ocidPrefix"))
        let refused = try ledger.attempt(describe + ["--ocid-prefix", "ocds-ABC"])
        #expect(refused.status != 0 && refused.stderr.contains("ocds- and six lower-case letters or digits"), "\(refused.stderr)")
        try ledger.run(describe + ["--ocid-prefix", "ocds-b5fd17"])
        let releases = try ledger.releases(["--contract", "T-1"])
        #expect(!releases.isEmpty && releases.allSatisfy { $0["ocid"] as? String == "ocds-b5fd17-T-1" })
        // A prefix given to the export still wins, and nothing is said about registering one.
        #expect(try ledger.releases(["--contract", "T-1", "--ocid-prefix", "ocds-other"]).allSatisfy { $0["ocid"] as? String == "ocds-other-T-1" })
        let said = try ledger.export(["--out", ledger.directory.child("lancs.json")])
        #expect(!said.contains("not registered"), "\(said)")
    }
}

/// Choosing what to export, and refusing what cannot be.
@Suite struct OCDSExportFilterTests {
    @Test func contractLimitsTheExportToOneContract() throws {
        let ledger = try OCDSLedger.lifecycle()
        let releases = try ledger.releases(["--contract", "T-2"])
        #expect(releases.count == 4)
        #expect(releases.allSatisfy { $0["ocid"] as? String == "ocds-svledger-T-2" })
        let records = try OCDSJSON.object(ledger.export(["--contract", "T-2", "--format", "records"]))["records"] as? [[String: Any]]
        #expect(records?.compactMap { $0["ocid"] as? String } == ["ocds-svledger-T-2"])
    }

    @Test func anUnknownContractIsAClearError() throws {
        let ledger = try OCDSLedger.lifecycle()
        let result = try ledger.attempt(["export", "ocds", "--contract", "T-3"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no events for contract T-3") && result.stderr.contains("(contract-not-found)"))
        #expect(result.stdout.isEmpty)
        // Nor is there a contract before its registration.
        let early = try ledger.attempt(["export", "ocds", "--contract", "T-1", "--at", "2"])
        #expect(early.status == 66 && early.stderr.contains("up to position 2"))
    }

    @Test func aLedgerWithNoContractHasNothingToExport() throws {
        let ledger = OCDSLedger()
        try ledger.run(["init"])
        let out = ledger.directory.child("empty.json")
        for format in ["package", "records", "ndjson"] {
            let result = try ledger.attempt(["export", "ocds", "--format", format, "--out", out])
            #expect(result.status == 66 && result.stderr.contains("no contract events to export"), "\(format): \(result.stderr)")
        }
        // OCDS packages may not be empty, so none was written.
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theOcidPrefixIsConfigurable() throws {
        let ledger = try OCDSLedger.lifecycle()
        let releases = try ledger.releases(["--ocid-prefix", "ocds-abc123", "--contract", "T-1"])
        #expect(releases.allSatisfy { $0["ocid"] as? String == "ocds-abc123-T-1" })
        let refused = try ledger.attempt(["export", "ocds", "--ocid-prefix", "has space"])
        #expect(refused.status == 64 && refused.stderr.contains("--ocid-prefix"))
    }

    @Test func atAPositionTheExportStopsThere() throws {
        let ledger = try OCDSLedger.lifecycle()
        // Positions 1-2 are the policy and the catalog; 3 onwards T-1's events.
        let releases = try ledger.releases(["--at", "7"])
        #expect(releases.count == 5)
        let package = try OCDSJSON.object(ledger.export(["--at", "7"]))
        #expect((package["uri"] as? String)?.hasPrefix("urn:svledger:ledger:7:") == true)
    }
}
