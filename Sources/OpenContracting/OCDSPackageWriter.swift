/// What `svledger export ocds` writes.
public enum OCDSFormat: String, Sendable, CaseIterable {
    /// A release package: every release, in the log's order.
    case package
    /// A record package: a record per contract, its releases and their compiled release.
    case records
    /// One release per line, with no package around them.
    case ndjson
}

/// Writes releases or records as they come, never holding more than a buffer: the package's
/// opening, then each item, then its close. The bytes go to `sink` about a megabyte at a time.
public final class OCDSPackageWriter {
    public let format: OCDSFormat
    private let sink: ([UInt8]) throws -> Void
    private var buffer: [UInt8] = []
    private var items = 0

    public init(format: OCDSFormat, publication: OCDSPublication, sink: @escaping ([UInt8]) throws -> Void) {
        self.format = format
        self.sink = sink
        buffer.reserveCapacity(1 << 20 + 1 << 16)
        guard format != .ndjson else { return }
        // The package object, open: its metadata, then the array the items go in.
        OCDSValue.object(publication.members).appendJSON(to: &buffer)
        buffer.removeLast()
        buffer.append(contentsOf: (format == .records ? ",\"records\":[" : ",\"releases\":[").utf8)
    }

    /// How many releases or records were written.
    public var count: Int { items }

    /// A release (package or NDJSON).
    public func add(release: OCDSValue) throws {
        precondition(format != .records, "a record package takes records")
        separate()
        release.appendJSON(to: &buffer)
        if format == .ndjson { buffer.append(0x0A) }
        try flushIfFull()
    }

    /// A record: the contract's releases in merge order and their compiled release.
    public func add(record releases: [OCDSValue]) throws {
        precondition(format == .records, "only a record package takes records")
        let ordered = OCDSMerge.ordered(releases)
        guard let compiled = OCDSMerge.compiled(ordered), let ocid = compiled["ocid"] else { return }
        separate()
        OCDSValue.object(("ocid", ocid), ("releases", .array(ordered)), ("compiledRelease", compiled)).appendJSON(to: &buffer)
        try flushIfFull()
    }

    /// Closes the package and writes what is left.
    public func finish() throws {
        if format != .ndjson { buffer.append(contentsOf: "]}\n".utf8) }
        try sink(buffer)
        buffer.removeAll()
    }

    private func separate() {
        if items > 0, format != .ndjson { buffer.append(UInt8(ascii: ",")) }
        items += 1
    }

    private func flushIfFull() throws {
        guard buffer.count >= 1 << 20 else { return }
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
