import LedgerValues

/// One release of a notice, with where it sits in the file (for paths in findings).
public struct OCDSRelease: Sendable {
    /// Its position in the package's `releases`, from 0.
    public let index: Int
    public let id: String
    /// The release's `date`, as published (`2025-02-03T00:00:00Z`).
    public let date: String
    /// The day of `date`: for another publisher, the effective date of what the release records;
    /// svledger's own export gives that day in the event's field (OCDSEventDates), its `date`
    /// being when the event was recorded.
    public let day: CalendarDate
    public let json: OCDSValue

    public var path: String { "releases[\(index)]" }
}

/// Every release of one contracting process (one `ocid`), oldest first: the import reads a
/// notice as the merge of its releases in date order, as OCDS compiles a record.
public struct OCDSNotice: Sendable {
    public let ocid: String
    public let releases: [OCDSRelease]
    /// Each release is one recorded event (a package `svledger export ocds` published), so a
    /// correction restating a figure is still a correction. Other publishers repeat earlier
    /// observations in later notices, so there the same figure again is nothing new.
    public let releasesAreEvents: Bool
}

/// An OCDS release package read into notices.
public struct OCDSReleasePackage: Sendable {
    public let notices: [OCDSNotice]
    /// The package's `publisher.name`, when it has one (for the report only).
    public let publisher: String?

    /// Reads a release package's text.
    /// - Throws: ``OCDSPackageError`` when the text is not JSON, is another kind of document
    ///   (a record package, a single release), or a release lacks its ocid, id or date.
    public init(bytes: [UInt8]) throws(OCDSPackageError) {
        let document: OCDSValue
        do { document = try OCDSValue(parsing: bytes) } catch { throw OCDSPackageError("invalid-json", error.description) }
        guard document.members != nil else {
            throw OCDSPackageError("not-a-release-package", "an OCDS release package is a JSON object with \"releases\"; this is \(document.typeName)")
        }
        if document["records"] != nil {
            throw OCDSPackageError("not-a-release-package", "this is a record package (it has \"records\"); give the release package the records were compiled from")
        }
        guard let releases = document["releases"] else {
            let hint = document["ocid"] != nil ? "this looks like a single release; wrap it as {\"version\": \"1.1\", \"releases\": [ … ]}" : "it has no \"releases\""
            throw OCDSPackageError("not-a-release-package", "not an OCDS release package: \(hint)")
        }
        guard let list = releases.arrayValue else { throw OCDSPackageError("not-a-release-package", "\"releases\" must be an array, not \(releases.typeName)") }
        guard !list.isEmpty else { throw OCDSPackageError("empty-input", "the release package holds no releases") }

        // svledger's own export: its uri names the ledger's head (OCDSPublication); before
        // the uri did, the publisher's scheme did.
        let fromLedger = document["uri"]?.stringValue?.hasPrefix(OCDSPublication.uriPrefix) == true
            || document["publisher"]?["scheme"]?.stringValue == "svledger-ledger-head"
        var byOcid: [String: [OCDSRelease]] = [:]
        var order: [String] = []
        for (index, release) in list.enumerated() {
            let path = "releases[\(index)]"
            guard release.members != nil else { throw OCDSPackageError("invalid-release", "\(path) must be an object, not \(release.typeName)") }
            guard let ocid = release["ocid"]?.stringValue, !ocid.allSatisfy(\.isWhitespace) else {
                throw OCDSPackageError("missing-ocid", "\(path).ocid is missing: every release names its contracting process")
            }
            guard let id = release["id"]?.stringValue, !id.isEmpty else { throw OCDSPackageError("invalid-release", "\(path).id is missing: every release has an id") }
            guard let date = release["date"]?.stringValue, let day = OCDSDates.day(date) else {
                throw OCDSPackageError("invalid-release", "\(path).date must be a date-time such as 2025-02-03T00:00:00Z: releases are merged in date order")
            }
            if byOcid[ocid] == nil { order.append(ocid) }
            byOcid[ocid, default: []].append(OCDSRelease(index: index, id: id, date: date, day: day, json: release))
        }
        notices = order.map { ocid in
            // Date order, stable (releases of the same date keep the file's order). A ledger's own
            // export is already in the order its events were recorded, which is what the rules
            // judged (a correction recorded after a later quarter's return, though effective
            // before it), so that order is kept.
            let releases = byOcid[ocid]!
            let sorted = fromLedger ? releases : releases.enumerated()
                .sorted { ($0.element.day, $0.element.date, $0.offset) < ($1.element.day, $1.element.date, $1.offset) }.map(\.element)
            return OCDSNotice(ocid: ocid, releases: sorted, releasesAreEvents: fromLedger)
        }
        publisher = document["publisher"]?["name"]?.stringValue
    }
}

/// OCDS dates are date-times; svledger's effective dates are days.
enum OCDSDates {
    /// The day of `2025-02-03T00:00:00Z` (or of a bare `2025-02-03`).
    static func day(_ text: String) -> CalendarDate? {
        CalendarDate(String(text.prefix(10)))
    }
}
