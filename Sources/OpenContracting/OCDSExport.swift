import EventStore
import LedgerValues
import SocialValue

/// One export of the log as OCDS, read from one consistent snapshot.
///
/// A release package or NDJSON is one pass over the log (or over one contract's stream), each
/// release written as its event is read. A record package goes contract by contract, reading
/// each contract's stream through its index, so only one contract's releases are held at a time.
public struct OCDSExport {
    public let format: OCDSFormat
    /// Every ocid's prefix; each council's registered one (or svledger's) when `nil`.
    public let ocidPrefix: String?
    /// Only this contract's events; every contract's when `nil`.
    public let contract: String?
    /// The last position read; the head when `nil`.
    public let through: UInt64?
    /// Only the contracts bought for this council (its name: the one their policy names);
    /// every council's when `nil`.
    public let council: String?

    public init(format: OCDSFormat, ocidPrefix: String?, contract: String?, through: UInt64?, council: String? = nil) {
        self.format = format
        self.ocidPrefix = ocidPrefix
        self.contract = contract
        self.through = through
        self.council = council
    }

    /// Writes the export; returns how many releases (or records) it wrote, and whether any
    /// ocid was made with svledger's own prefix (``OCDSReleaseMaker/defaultOcidPrefix``).
    /// - Throws: ``OCDSExportError/unknownContract(_:)`` when `contract` has no events up to
    ///   `through`, ``OCDSExportError/nothingToExport`` when no contract has, or what reading
    ///   the log or `sink` throws.
    @discardableResult
    public func write(
        from reader: LedgerReader, reference: ReferenceData, publication: OCDSPublication, sink: @escaping ([UInt8]) throws -> Void
    ) throws -> (count: Int, usedDefaultPrefix: Bool) {
        if let contract, try firstPosition(of: contract, in: reader) == nil { throw OCDSExportError.unknownContract(contract) }
        let writer = OCDSPackageWriter(format: format, publication: publication, sink: sink)
        var maker = OCDSReleaseMaker(ocidPrefix: ocidPrefix, reference: reference, council: council)
        var usedDefault = false
        switch format {
        case .package, .ndjson:
            let visit: (RecordedEvent) throws -> Bool = { event in
                if let release = try maker.release(for: event) { try writer.add(release: release) }
                return true
            }
            if let contract {
                try reader.forEachEvent(inStream: ContractEvent.stream(contract: contract), through: through, visit)
            } else {
                try reader.forEachEvent(through: through, visit)
            }
        case .records:
            let streams = try contract.map { [ContractEvent.stream(contract: $0)] } ?? reader.streamIds(withPrefix: ContractEvent.streamPrefix)
            for stream in streams {
                // A fresh maker per contract: its state is the one contract's, dropped after.
                var one = OCDSReleaseMaker(ocidPrefix: ocidPrefix, reference: reference, council: council)
                defer { usedDefault = usedDefault || one.usedDefaultPrefix }
                var releases: [OCDSValue] = []
                try reader.forEachEvent(inStream: stream, through: through) { event in
                    if let release = try one.release(for: event) { releases.append(release) }
                    return true
                }
                if !releases.isEmpty { try writer.add(record: releases) }
            }
        }
        // OCDS packages hold at least one release or record: an empty one would not be valid.
        // Nothing has reached the sink yet (the writer holds the first megabyte).
        guard writer.count > 0 else { throw OCDSExportError.nothingToExport }
        try writer.finish()
        return (writer.count, usedDefault || maker.usedDefaultPrefix)
    }

    /// Where the contract's stream starts, if it does by `through`.
    private func firstPosition(of contract: String, in reader: LedgerReader) throws -> UInt64? {
        guard let position = try reader.position(inStream: ContractEvent.stream(contract: contract), version: 1) else { return nil }
        return through.map { position <= $0 } ?? true ? position : nil
    }
}

public enum OCDSExportError: Error, Equatable {
    /// No events for this contract where the export reads.
    case unknownContract(String)
    /// No contract has events where the export reads.
    case nothingToExport
}
