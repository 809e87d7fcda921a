import EventStore
import LedgerValues
import SocialValue

/// The stored form of a ``ContractProjection`` in `projection-contracts`: a compact binary
/// layout written and read by hand. Foundation's JSON coders were the main cost of loading a
/// snapshot, of a durable append and of a rebuild; this form is read in place from LMDB's map.
///
/// A projection is a cache of the log, never evidence: `svledger verify` compares it with a
/// fresh replay and `svledger rebuild` rewrites it, so the layout may change with a new
/// version byte (a ledger with the old one is then rebuilt, not migrated).
///
/// Layout, version 4 (version 3 lacked migrated … datesNotGiven; version 2 also
/// commitmentsChangedOn; version 1 also held a map of return sources that nothing read). `?`
/// marks an optional: one byte 0 for absent or 1 for present, then the value; a list is a
/// varint count, then its elements:
/// - `u8` format version;
/// - reference, title, buyerDepartment, category: strings; estimatedValue: money;
///   startDate, endDate: dates; areasServed: list of strings; policyId, stage: strings;
/// - assessment?: policyVersion, outcome, threshold (money), statutoryDutyApplies (bool),
///   assessedOn (date);
/// - exemption?: status, businessCase, decidedByRole?, decidedOn? (date), reason?;
/// - weighting?: percent (decimal), basis, policyMinimumPercent (decimal), overrideReason?,
///   exemptionApplied (bool);
/// - supplier?; award?: date, value (money); commitmentCatalog?; pledgedOn?; closedOn?;
///   commitmentsChangedOn?;
/// - migrated (bool), migrationReason?, closureReason?, earlyTermination (bool);
///   datesNotGiven: list of eventType, quarter?, effectiveDate (date);
/// - lines: list of measure, unit, original? and current? figures, a figure being quantity
///   (decimal), proxy? (decimal), value? (money);
/// - deliveries: list of quarter, measure, quantity (decimal), evidence, pledged (bool),
///   source (16 bytes), corrected (bool);
/// - returnedQuarters: list of quarters;
/// - version, position: varints.
///
/// Scalars: a varint is unsigned LEB128 in its shortest form; signed numbers are zigzag
/// varints; a string is a varint byte count, then UTF-8; a bool is one byte 0 or 1; money is
/// its pence; a decimal is its scale (one byte, 0…36), then its units, so that 1.50 and 1.5
/// stay distinct; a date is its year (signed), then month and day bytes; a quarter is its
/// start year (signed), then its number byte.
public enum ProjectionCodec {
    public static let formatVersion: UInt8 = 4

    /// The stored bytes of `projection`: the same projection always gives the same bytes.
    public static func encode(_ projection: ContractProjection) -> [UInt8] {
        var writer = ProjectionWriter(capacity: estimatedSize(projection))
        writer.byte(formatVersion)
        writer.projection(projection)
        return writer.bytes
    }

    /// Enough that a typical projection is written without growing the buffer: a delivered
    /// figure takes about 40 bytes (16 of them its source id).
    static func estimatedSize(_ projection: ContractProjection) -> Int {
        512 + 64 * (projection.lines.count + projection.deliveries.count)
    }
}

/// Why stored bytes are not a projection. `offset` counts from the version byte.
public enum ProjectionCodecError: Error, Equatable, CustomStringConvertible {
    case unsupportedVersion(UInt8)
    case truncated(offset: Int)
    case invalid(String, offset: Int)
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        // Ledgers written before this codec stored JSON, whose first byte is "{".
        case .unsupportedVersion(UInt8(ascii: "{")): "it is in the JSON form of an earlier svledger"
        case .unsupportedVersion(let version): "format version \(version) is not one this svledger reads (\(ProjectionCodec.formatVersion))"
        case .truncated(let offset): "the value ends early, at byte \(offset)"
        case .invalid(let what, let offset): "\(what) at byte \(offset)"
        case .trailingBytes(let offset): "unexpected bytes after the projection, from byte \(offset)"
        }
    }
}

// MARK: - Writing

/// Appends the layout's scalars to a byte buffer reserved up front.
struct ProjectionWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func presence(_ isPresent: Bool) { bytes.append(isPresent ? 1 : 0) }

    mutating func varint<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Zigzag keeps small negative numbers as short as small positive ones.
    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: value << 1 ^ value >> 63)) }

    mutating func string(_ value: String) {
        var value = value
        // Contiguous UTF-8 makes `utf8.count` O(1) and the append a copy (bridged strings are not).
        value.makeContiguousUTF8()
        varint(UInt(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optionalString(_ value: String?) {
        presence(value != nil)
        if let value { string(value) }
    }

    mutating func money(_ value: Money) { signed(value.pence) }

    mutating func decimal(_ value: ExactDecimal) {
        byte(UInt8(truncatingIfNeeded: value.scale))
        varint(UInt128(bitPattern: value.units << 1 ^ value.units >> 127))
    }

    mutating func date(_ value: CalendarDate) {
        signed(Int64(value.year))
        byte(UInt8(truncatingIfNeeded: value.month))
        byte(UInt8(truncatingIfNeeded: value.day))
    }

    mutating func optionalDate(_ value: CalendarDate?) {
        presence(value != nil)
        if let value { date(value) }
    }

    mutating func quarter(_ value: FinancialQuarter) {
        signed(Int64(value.startYear))
        byte(UInt8(truncatingIfNeeded: value.number))
    }
}

extension ProjectionWriter {
    /// Every field in the order of the layout above; ``ProjectionReader/projection()`` mirrors it.
    mutating func projection(_ p: ContractProjection) {
        string(p.reference)
        string(p.title)
        string(p.buyerDepartment)
        string(p.category.rawValue)
        money(p.estimatedValue)
        date(p.startDate)
        date(p.endDate)
        varint(UInt(p.areasServed.count))
        for area in p.areasServed { string(area) }
        string(p.policyId)
        string(p.stage.rawValue)

        presence(p.assessment != nil)
        if let a = p.assessment {
            string(a.policyVersion)
            string(a.outcome.rawValue)
            money(a.threshold)
            bool(a.statutoryDutyApplies)
            date(a.assessedOn)
        }
        presence(p.exemption != nil)
        if let e = p.exemption {
            string(e.status.rawValue)
            string(e.businessCase)
            optionalString(e.decidedByRole)
            optionalDate(e.decidedOn)
            optionalString(e.reason)
        }
        presence(p.weighting != nil)
        if let w = p.weighting {
            decimal(w.percent)
            string(w.basis.rawValue)
            decimal(w.policyMinimumPercent)
            optionalString(w.overrideReason)
            bool(w.exemptionApplied)
        }
        optionalString(p.supplier)
        presence(p.award != nil)
        if let award = p.award {
            date(award.date)
            money(award.value)
        }
        optionalString(p.commitmentCatalog)
        optionalDate(p.pledgedOn)
        optionalDate(p.closedOn)
        optionalDate(p.commitmentsChangedOn)
        bool(p.migrated)
        optionalString(p.migrationReason)
        optionalString(p.closureReason)
        bool(p.earlyTermination)
        varint(UInt(p.datesNotGiven.count))
        for undated in p.datesNotGiven {
            string(undated.eventType)
            presence(undated.quarter != nil)
            if let quarter = undated.quarter { self.quarter(quarter) }
            date(undated.effectiveDate)
        }

        varint(UInt(p.lines.count))
        for line in p.lines {
            string(line.measure)
            string(line.unit)
            optionalFigure(line.original)
            optionalFigure(line.current)
        }
        varint(UInt(p.deliveries.count))
        for delivery in p.deliveries {
            quarter(delivery.quarter)
            string(delivery.measure)
            decimal(delivery.quantity)
            string(delivery.evidence)
            bool(delivery.pledged)
            bytes.append(contentsOf: delivery.source.bytes)
            bool(delivery.corrected)
        }
        varint(UInt(p.returnedQuarters.count))
        for returned in p.returnedQuarters { quarter(returned) }
        varint(p.version)
        varint(p.position)
    }

    private mutating func optionalFigure(_ figure: ContractProjection.Figure?) {
        presence(figure != nil)
        guard let figure else { return }
        decimal(figure.quantity)
        presence(figure.proxy != nil)
        if let proxy = figure.proxy { decimal(proxy) }
        presence(figure.value != nil)
        if let value = figure.value { money(value) }
    }
}

extension ProjectionCodecError: CategorizedError {
    public var kind: String { "projection-undecodable" }
    public var category: ErrorCategory { .integrity }
}
