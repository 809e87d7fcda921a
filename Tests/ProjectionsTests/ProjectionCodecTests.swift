import EventStore
import LedgerValues
import Foundation
import Ledger
import Projections
import SocialValue
import Testing
import TestSupport

@Suite("Projection codec")
struct ProjectionCodecTests {
    // MARK: - Fixtures

    /// A projection with every optional present, and values at the edges of their types.
    static func full() throws -> ContractProjection {
        var projection = try JSONDecoder().decode(ContractProjection.self, from: Data(fullJSON.utf8))
        projection.weighting!.percent = ExactDecimal(units: 150, scale: 2)
        projection.lines[0].current!.quantity = ExactDecimal(units: .max, scale: 36)
        projection.lines[1].original!.proxy = ExactDecimal(units: .min, scale: 0)
        projection.estimatedValue = Money(pence: .min)
        projection.award!.value = Money(pence: .max)
        projection.version = .max
        projection.position = .max - 1
        return projection
    }

    static let fullJSON = """
        {"reference": "RC-Ω-1", "title": "Café — \\"quoted\\" 🚧\\u0000", "buyerDepartment": "", "category": "works",
         "estimatedValue": "0", "startDate": "2024-02-29", "endDate": "9999-12-31", "areasServed": ["Chorley", "", "Preston"],
         "policyId": "lancashire-2024-28", "stage": "closed",
         "assessment": {"policyVersion": "2024.1", "outcome": "above", "threshold": "5000000.00", "statutoryDutyApplies": true, "assessedOn": "1000-01-01"},
         "exemption": {"status": "granted", "businessCase": "case", "decidedByRole": "Head of Procurement", "decidedOn": "2025-03-01", "reason": "why"},
         "weighting": {"percent": "1.5", "basis": "board-override", "policyMinimumPercent": "10", "overrideReason": "local need", "exemptionApplied": true},
         "supplier": "Safe Roads Ltd", "award": {"date": "2025-03-20", "value": "0"}, "commitmentCatalog": "portal-003@003.2",
         "pledgedOn": "2025-03-20", "closedOn": "2026-04-01", "commitmentsChangedOn": "2025-09-01",
         "migrated": true, "migrationReason": "Let in 2023, before the ledger", "closureReason": "Terminated: supplier in administration",
         "earlyTermination": true,
         "datesNotGiven": [{"eventType": "PledgeRecorded", "effectiveDate": "2025-03-20"},
                           {"eventType": "DeliveryReported", "quarter": "2025-26-Q1", "effectiveDate": "2025-07-01"}],
         "lines": [
           {"measure": "NT1", "unit": "FTE", "original": {"quantity": "4", "proxy": "30782.00", "value": "123128.00"}, "current": {"quantity": "3.0"}},
           {"measure": "NT10", "unit": "", "current": {"quantity": "-3.10", "proxy": "0.963812", "value": "-2.99"}, "original": {"quantity": "0"}},
           {"measure": "NT68", "unit": "%"}],
         "deliveries": [
           {"quarter": "2025-26-Q1", "measure": "NT1", "quantity": "1.0", "evidence": "EV-1", "pledged": true, "source": "0190f1a2-0000-7000-8000-000000000001", "corrected": false},
           {"quarter": "9998-99-Q4", "measure": "NT99", "quantity": "0.000000000001", "evidence": "", "pledged": false, "source": "ffffffff-ffff-ffff-ffff-ffffffffffff", "corrected": true}],
         "returnedQuarters": ["2025-26-Q1", "1000-01-Q1"],
         "version": 0, "position": 0}
        """

    /// The optionals of a projection, each of which a test clears on its own.
    enum OptionalField: CaseIterable, Sendable {
        case assessment, exemption, decidedByRole, decidedOn, exemptionReason, weighting, overrideReason
        case supplier, award, commitmentCatalog, pledgedOn, closedOn, commitmentsChangedOn, migrationReason, closureReason
        case undatedQuarter, original, current, proxy, value

        func clear(_ p: inout ContractProjection) {
            switch self {
            case .assessment: p.assessment = nil
            case .exemption: p.exemption = nil
            case .decidedByRole: p.exemption!.decidedByRole = nil
            case .decidedOn: p.exemption!.decidedOn = nil
            case .exemptionReason: p.exemption!.reason = nil
            case .weighting: p.weighting = nil
            case .overrideReason: p.weighting!.overrideReason = nil
            case .supplier: p.supplier = nil
            case .award: p.award = nil
            case .commitmentCatalog: p.commitmentCatalog = nil
            case .pledgedOn: p.pledgedOn = nil
            case .closedOn: p.closedOn = nil
            case .commitmentsChangedOn: p.commitmentsChangedOn = nil
            case .migrationReason: p.migrationReason = nil
            case .closureReason: p.closureReason = nil
            case .undatedQuarter: p.datesNotGiven[1].quarter = nil
            case .original: p.lines[0].original = nil
            case .current: p.lines[0].current = nil
            case .proxy: p.lines[0].original!.proxy = nil
            case .value: p.lines[0].original!.value = nil
            }
        }
    }

    /// The codec's layout written out by hand for `bare`: a change to the format shows here.
    static let bareBytes: [UInt8] =
        [4] + text("B-1") + text("T") + text("D") + text("works")
        + [0xC8, 0x01]  // £1.00: 100 pence, zigzag 200
        + [0xD2, 0x1F, 4, 1]  // 2025-04-01: zigzag 4050, month, day
        + [0xD4, 0x1F, 3, 31]  // 2026-03-31
        + [0] + text("P") + text("registered")  // no areas
        + [0, 0, 0, 0, 0, 0, 0, 0, 0]  // assessment … commitmentsChangedOn absent
        + [0, 0, 0, 0, 0]  // not migrated, no migration or closure reason, not early, no undated events
        + [0, 0, 0]  // no lines, deliveries or returned quarters
        + [1, 7]  // version 1, position 7

    static let bareJSON = """
        {"reference": "B-1", "title": "T", "buyerDepartment": "D", "category": "works", "estimatedValue": "1.00",
         "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": [], "policyId": "P", "stage": "registered",
         "migrated": false, "earlyTermination": false, "datesNotGiven": [],
         "lines": [], "deliveries": [], "returnedQuarters": [], "version": 1, "position": 7}
        """

    static func bare() throws -> ContractProjection { try JSONDecoder().decode(ContractProjection.self, from: Data(bareJSON.utf8)) }

    static func text(_ string: String) -> [UInt8] { [UInt8(string.utf8.count)] + Array(string.utf8) }

    /// Sorted-key JSON: ``ExactDecimal``'s `==` ignores trailing zeros, its text form keeps them.
    static func json(_ projection: ContractProjection) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(projection), as: UTF8.self)
    }

    static func expectExactRoundTrip(_ projection: ContractProjection, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = ProjectionCodec.encode(projection)
        let decoded = try ProjectionCodec.decode(bytes)
        #expect(decoded == projection, sourceLocation: sourceLocation)
        #expect(try json(decoded) == json(projection), sourceLocation: sourceLocation)
        #expect(ProjectionCodec.encode(decoded) == bytes, sourceLocation: sourceLocation)
    }

    /// How decoding `bytes` fails, in a form a test can compare, or `nil` if it succeeds.
    static func failure(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ProjectionCodec.decode(bytes)
            return nil
        } catch {
            switch error {
            case .unsupportedVersion(let version): return "version \(version)"
            case .truncated(let offset): return "truncated at \(offset)"
            case .invalid(_, let offset): return "invalid at \(offset)"
            case .trailingBytes(let offset): return "trailing at \(offset)"
            }
        }
    }

    // MARK: - Round trips

    @Test("a projection with every optional present round-trips exactly")
    func fullRoundTrip() throws {
        let projection = try Self.full()
        try Self.expectExactRoundTrip(projection)
        let decoded = try ProjectionCodec.decode(ProjectionCodec.encode(projection))
        #expect(decoded.lines[0].current!.quantity.units == .max)
        #expect(decoded.lines[0].current!.quantity.scale == 36)
        #expect(decoded.lines[1].original!.proxy!.units == .min)
        #expect(decoded.estimatedValue.pence == .min)
    }

    @Test("each optional, cleared on its own, round-trips as nil", arguments: OptionalField.allCases)
    func optionalCleared(_ field: OptionalField) throws {
        var projection = try Self.full()
        field.clear(&projection)
        try Self.expectExactRoundTrip(projection)
        #expect(ProjectionCodec.encode(projection) != ProjectionCodec.encode(try Self.full()))
    }

    @Test("a projection with every optional absent matches the layout written by hand")
    func bareLayout() throws {
        let projection = try Self.bare()
        #expect(ProjectionCodec.encode(projection) == Self.bareBytes)
        #expect(try ProjectionCodec.decode(Self.bareBytes) == projection)
        try Self.expectExactRoundTrip(projection)
    }

    @Test("1.50 and 1.5 are equal as numbers but stored apart, each keeping its scale")
    func decimalScale() throws {
        var oneFifty = try Self.bare(), oneFive = try Self.bare()
        oneFifty.weighting = try Self.full().weighting
        oneFive.weighting = oneFifty.weighting
        oneFive.weighting!.percent = ExactDecimal(units: 15, scale: 1)
        #expect(oneFifty == oneFive)
        #expect(ProjectionCodec.encode(oneFifty) != ProjectionCodec.encode(oneFive))
        let decoded = try ProjectionCodec.decode(ProjectionCodec.encode(oneFifty)).weighting!.percent
        #expect((decoded.units, decoded.scale) == (150, 2))
        let other = try ProjectionCodec.decode(ProjectionCodec.encode(oneFive)).weighting!.percent
        #expect((other.units, other.scale) == (15, 1))
    }

    @Test("a weighting and a returned quarter read as the layout says")
    func handWrittenFields() throws {
        // Weighting: scale 2, units 150 (zigzag 300), basis "matrix", 0, no override reason, exemption applied.
        var bytes = Self.bareBytes
        bytes.replaceSubrange(41...41, with: [1, 2, 0xAC, 0x02] + Self.text("matrix") + [0, 0, 0, 1])
        bytes[bytes.count - 3] = 1  // one returned quarter: 2025 (zigzag 4050), Q2
        bytes.insert(contentsOf: [0xD2, 0x1F, 2], at: bytes.count - 2)
        let projection = try ProjectionCodec.decode(bytes)
        #expect(projection.weighting?.percent.description == "1.50")
        #expect(projection.weighting?.policyMinimumPercent == .zero)
        #expect(projection.weighting?.basis == .matrix)
        #expect(projection.weighting?.exemptionApplied == true)
        #expect(projection.returnedQuarters == [FinancialQuarter("2025-26-Q2")!])
        #expect(ProjectionCodec.encode(projection) == bytes)
    }

    @Test("the hand-worked contract, folded from a real ledger, round-trips and is stored in this form")
    func foldedContract() throws {
        let fixture = ProjectionTests()
        let ledger = try fixture.makeLedger()
        try fixture.handWorkedContract(ledger)
        var fold = ContractFold()
        try ledger.store.read { reader in try reader.forEachEvent { try fold.apply($0); return true } }
        let folded = try #require(fold.contracts["HW-1"])
        #expect(folded.deliveries.count == 12)
        try Self.expectExactRoundTrip(folded)
        let stored = try #require(try ledger.snapshot().contract("HW-1"))
        #expect(try Self.json(stored) == Self.json(folded))
        try ledger.projections.verifyAgainstReplay()
    }

    @Test("a stored value that does not decode is named, with the reason, by verify and by a snapshot")
    func undecodableStoredValue() throws {
        let fixture = ProjectionTests()
        do {
            let ledger = try fixture.makeLedger()
            try fixture.handWorkedContract(ledger)
        }
        var length = 0
        try LedgerTampering.alterProjection(fixture.directory.child("ledger"), contract: "HW-1") { bytes in
            bytes.removeLast()
            length = bytes.count
        }
        let ledger = try Ledger(store: try EventStore(path: fixture.directory.child("ledger"), mode: .readWrite))
        let expected = ProjectionError.differs("contract HW-1", "stored projection does not decode: the value ends early, at byte \(length)")
        #expect(throws: expected) { try ledger.projections.verifyAgainstReplay() }
        #expect(throws: expected) { try ledger.snapshot() }
    }

    @Test("verify sees a stored quantity whose value is equal but whose written scale differs")
    func scaleDifferenceIsCaught() throws {
        let fixture = ProjectionTests()
        do {
            let ledger = try fixture.makeLedger()
            try fixture.handWorkedContract(ledger)
        }
        let path = fixture.directory.child("ledger")
        try LedgerTampering.alterProjection(path, contract: "HW-1") { bytes in
            var projection = try! ProjectionCodec.decode(bytes)
            let quantity = projection.deliveries[0].quantity
            // The same number with one more decimal place: `==` cannot tell them apart.
            projection.deliveries[0].quantity = ExactDecimal(units: quantity.units * 10, scale: quantity.scale + 1)
            #expect(projection.deliveries[0].quantity == quantity)
            bytes = ProjectionCodec.encode(projection)
        }
        let ledger = try Ledger(store: try EventStore(path: path, mode: .readWrite))
        let error = #expect(throws: ProjectionError.self) { try ledger.projections.verifyAgainstReplay() }
        #expect(error?.description.contains("contract HW-1") == true, "\(String(describing: error))")
    }

    @Test("the same projection always gives the same bytes")
    func deterministic() throws {
        let projection = try Self.full()
        #expect(ProjectionCodec.encode(try Self.full()) == ProjectionCodec.encode(projection))
        #expect(ProjectionCodec.encode(try ProjectionCodec.decode(ProjectionCodec.encode(projection))) == ProjectionCodec.encode(projection))
    }

    // MARK: - Refusals

    @Test("every truncation throws")
    func truncations() throws {
        for bytes in [ProjectionCodec.encode(try Self.full()), Self.bareBytes] {
            for length in 0..<bytes.count {
                #expect(Self.failure(Array(bytes[..<length])) != nil, "prefix of \(length) bytes decoded")
            }
        }
        #expect(Self.failure([]) == "truncated at 0")
        #expect(Self.failure(Array(Self.bareBytes.dropLast())) == "truncated at 57")
    }

    @Test("another format version throws", arguments: [0, 1, 2, 3, 5, 0x7B, 0xFF] as [UInt8])
    func wrongVersion(_ version: UInt8) throws {
        var bytes = Self.bareBytes
        bytes[0] = version
        #expect(Self.failure(bytes) == "version \(version)")
    }

    @Test("a value stored as JSON by an earlier svledger throws, saying so")
    func earlierJSONForm() throws {
        let json = Array(try Self.json(try Self.bare()).utf8)
        #expect(Self.failure(json) == "version 123")
        #expect(throws: ProjectionCodecError.unsupportedVersion(123)) { try ProjectionCodec.decode(json) }
        #expect(ProjectionCodecError.unsupportedVersion(123).description.contains("JSON"))
    }

    @Test("bytes after the projection throw")
    func trailingBytes() throws {
        let bytes = ProjectionCodec.encode(try Self.full())
        #expect(Self.failure(bytes + [0]) == "trailing at \(bytes.count)")
        #expect(Self.failure(Self.bareBytes + [1, 2, 3]) == "trailing at 58")
    }

    struct Corruption: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        let expected: String

        init(_ name: String, _ expected: String, _ change: (inout [UInt8]) -> Void) {
            var bytes = ProjectionCodecTests.bareBytes
            change(&bytes)
            self.testDescription = name
            self.bytes = bytes
            self.expected = expected
        }
    }

    static let corruptions: [Corruption] = [
        Corruption("a string that is not UTF-8", "invalid at 2") { $0[2] = 0xFF },
        Corruption("an overlong UTF-8 encoding", "invalid at 2") { $0.replaceSubrange(1...4, with: [3, 0xC0, 0xAF, 0x31]) },
        Corruption("a UTF-16 surrogate in UTF-8", "invalid at 2") { $0.replaceSubrange(1...4, with: [3, 0xED, 0xA0, 0x80]) },
        Corruption("a UTF-8 sequence cut at the string's end", "invalid at 2") { $0.replaceSubrange(1...4, with: [3, 0x31, 0xE2, 0x82]) },
        Corruption("month 13", "invalid at 17") { $0[19] = 13 },
        Corruption("day 0", "invalid at 21") { $0[24] = 0 },
        Corruption("29 February in 2026", "invalid at 21") { $0.replaceSubrange(23...24, with: [2, 29]) },
        Corruption("an optional's tag of 2", "invalid at 39") { $0[39] = 2 },
        Corruption("a count beyond the end", "invalid at 25") { $0[25] = 0x7F },
        Corruption("a string length beyond the end", "invalid at 9") { $0[9] = 0x80 },
        Corruption("a number cut short", "truncated at 58") { $0[57] = 0x80 },
        Corruption("a number longer than needed", "invalid at 15") { $0.replaceSubrange(15...16, with: [0xC8, 0x81, 0x00]) },
        Corruption("a number beyond 64 bits", "invalid at 56") { $0.replaceSubrange(56...56, with: Array(repeating: 0xFF, count: 9) + [0x7F]) },
        Corruption("a number of eleven bytes", "invalid at 56") { $0.replaceSubrange(56...56, with: Array(repeating: 0x80, count: 10) + [0x01]) },
        Corruption("a decimal scale of 37", "invalid at 42") { $0.replaceSubrange(41...41, with: [1, 37, 0] + text("matrix") + [0, 0, 0, 1]) },
        Corruption("a bool of 2", "invalid at 54") { $0.replaceSubrange(41...41, with: [1, 2, 0] + text("matrix") + [0, 0, 0, 2]) },
        Corruption("a weighting basis outside the domain's vocabulary", "invalid at 44") { $0.replaceSubrange(41...41, with: [1, 2, 0] + text("x") + [0, 0, 0, 1]) },
        Corruption("quarter 5", "invalid at 55") { $0.replaceSubrange(54...54, with: [1, 0xD2, 0x1F, 5]) },
    ]

    @Test("impossible values throw where they are", arguments: corruptions)
    func corrupted(_ corruption: Corruption) throws {
        #expect(Self.failure(corruption.bytes) == corruption.expected)
    }

    @Test("garbage never traps: every byte of a stored projection changed, and random bytes")
    func garbage() throws {
        let bytes = ProjectionCodec.encode(try Self.full())
        for index in bytes.indices {
            for replacement: UInt8 in [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF] where replacement != bytes[index] {
                var changed = bytes
                changed[index] = replacement
                _ = Self.failure(changed)
            }
        }
        var random = SplitMix64(seed: 2026)
        for _ in 0..<2_000 {
            let length = Int(random.next() % 200)
            let garbage = [ProjectionCodec.formatVersion] + (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Self.failure(garbage) != nil)
        }
    }
}

/// A seeded generator, so that a failing garbage input can be found again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
