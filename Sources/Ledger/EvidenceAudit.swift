import EventStore
import LedgerValues
import SocialValue

/// Where each evidence file stands: kept with its bytes intact, erased by an administrator,
/// or missing or changed (which `verify` fails on). Built from the log alone, in the same pass
/// as `verify` (``visit(_:)``): what a line cites and what was erased are facts of the chain;
/// the bytes are then checked against them.
public struct EvidenceAudit: Sendable {
    public struct Citation: Sendable, Equatable {
        public let file: EvidenceFile
        public let contract: String
        public let quarter: String
        public let measure: String
        /// The position of the return or correction that cites it.
        public let position: UInt64
    }

    public enum Status: Sendable, Equatable {
        case kept
        /// Erased by the event at that position.
        case erased(position: UInt64)
        case missing
        /// The bytes kept under the file's hash hash to something else.
        case changed(actual: String)

        /// `kept`, `erased`, `missing` or `changed`.
        public var code: String {
            switch self {
            case .kept: "kept"
            case .erased: "erased"
            case .missing: "missing"
            case .changed: "changed"
            }
        }

        public var words: String {
            switch self {
            case .kept: "kept"
            case .erased(let position): "erased by event \(position)"
            case .missing: "missing"
            case .changed: "changed"
            }
        }
    }

    public private(set) var citations: [Citation] = []
    /// Erasures by contract and SHA-256: the position of the erasing event.
    public private(set) var erasures: [String: [String: UInt64]] = [:]

    public init() {}

    /// Takes note of what `event` cites or erases. Reads the stored payload's lines as they are,
    /// without decoding the whole event again (verify has folded it already).
    public mutating func visit(_ event: RecordedEvent) {
        guard let contract = ContractEvent.reference(ofStream: event.streamId) else { return }
        switch event.eventType {
        case "DeliveryReported", "DeliveryCorrected":
            guard let lines = event.payload["lines"]?.arrayValue, lines.contains(where: { $0["evidenceFiles"] != nil }),
                let decoded = try? ContractEvent(type: event.eventType, payload: event.payload)
            else { return }
            let quarter = event.payload["quarter"]?.stringValue ?? ""
            switch decoded {
            case .deliveryReported(let report):
                for line in report.lines { note(line, contract: contract, quarter: quarter, position: event.position) }
            case .deliveryCorrected(let correction):
                for line in correction.lines { note(line, contract: contract, quarter: quarter, position: event.position) }
            default: break
            }
        case "EvidenceErased":
            if let sha256 = event.payload["sha256"]?.stringValue { erasures[contract, default: [:]][sha256] = event.position }
        default: break
        }
    }

    private mutating func note(_ line: DeliveryLine, contract: String, quarter: String, position: UInt64) {
        for file in line.evidenceFiles {
            citations.append(Citation(file: file, contract: contract, quarter: quarter, measure: line.measure, position: position))
        }
    }

    /// Where a cited file stands in the ledger `reader` reads. `hashing`: the bytes are read
    /// and hashed (verify, a download); else only their presence is looked up (a listing, which
    /// would otherwise read every file of the contract).
    public func status(of citation: Citation, in reader: LedgerReader, hashing: Bool) throws -> Status {
        let file = citation.file
        if let position = erasures[citation.contract]?[file.sha256] { return .erased(position: position) }
        let stream = ContractEvent.stream(contract: citation.contract)
        guard let digest = EvidenceIntake.digest(file.sha256) else { return .missing }
        guard hashing else { return try reader.hasEvidence(digest, stream: stream) ? .kept : .missing }
        guard let bytes = try reader.evidence(digest, stream: stream) else { return .missing }
        let actual = EvidenceIntake.hex(EventStore.evidenceDigest(bytes))
        return actual == file.sha256 ? .kept : .changed(actual: actual)
    }

    /// The JSON of `svledger evidence list` and `GET /contracts/{contract}/evidence`
    /// (Schemas/read/evidence.schema.json).
    public static func json(_ entries: [(citation: Citation, status: Status)]) -> JSONValue {
        .object(["files": .array(entries.map { entry in
            let c = entry.citation
            var members: JSONObject = [
                "contract": .string(c.contract), "quarter": .string(c.quarter), "measure": .string(c.measure), "file": c.file.json,
                "status": .string(entry.status.code), "position": .integer(Int64(c.position)),
            ]
            if case .erased(let position) = entry.status { members["erasedAt"] = .integer(Int64(position)) }
            return .object(members)
        })])
    }

    /// Checks every cited file's bytes: a missing or changed file fails at the position of the
    /// event that cites it (missing said apart from changed); an erased one is reported.
    /// - Returns: what verify prints after the head when there are files.
    public func check(in reader: LedgerReader) throws -> [String] {
        guard !citations.isEmpty else { return [] }
        var kept = 0, erased: [String] = []
        for citation in citations {
            let name = "evidence file \(DisplayText.quoted(citation.file.name)) (sha256 \(citation.file.sha256.prefix(12))…) of contract \(citation.contract)"
            switch try status(of: citation, in: reader, hashing: true) {
            case .kept: kept += 1
            case .erased(let position): erased.append("\(name) erased by event \(position)")
            case .missing:
                throw VerificationFailure(position: citation.position, problem: "\(name) is missing: the ledger does not hold its bytes, and no event erased it")
            case .changed(let actual):
                throw VerificationFailure(position: citation.position, problem: "\(name) has changed: its bytes now hash to \(actual.prefix(12))…")
            }
        }
        return ["evidence: \(kept) file citation\(kept == 1 ? "" : "s") kept intact, \(erased.count) erased"] + erased
    }
}
