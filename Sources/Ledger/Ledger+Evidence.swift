import EventStore
import LedgerValues
import SocialValue

extension Ledger {
    /// Each evidence file a contract's returns cite (every contract's when `contract` is nil),
    /// in log order, with where it stands: kept, erased, missing or changed.
    public func evidence(contract: String? = nil) throws -> [(citation: EvidenceAudit.Citation, status: EvidenceAudit.Status)] {
        try store.read { reader in
            var audit = EvidenceAudit()
            let visit: (RecordedEvent) -> Bool = { event in
                audit.visit(event)
                return true
            }
            if let contract {
                try reader.forEachEvent(inStream: ContractEvent.stream(contract: contract), visit)
            } else {
                try reader.forEachEvent(visit)
            }
            return try audit.citations.map { ($0, try audit.status(of: $0, in: reader, hashing: false)) }
        }
    }

    /// The bytes of the file `sha256` that contract `contract` cites, checked against its hash.
    /// - Throws: `not-found` when the contract cites no such file; `evidence-erased` when an
    ///   administrator erased it; `evidence-missing` or `evidence-changed` (integrity) otherwise.
    public func evidenceBytes(contract: String, sha256: String) throws -> (file: EvidenceFile, bytes: [UInt8]) {
        let entries = try evidence(contract: contract)
        guard let entry = entries.first(where: { $0.citation.file.sha256 == sha256 }) else {
            throw PlainError(.notFound, kind: "evidence-not-found", "contract \(contract) cites no evidence file with sha256 \(DisplayText.excerpt(sha256)); `svledger evidence list --contract \(contract)` lists those it does")
        }
        let file = entry.citation.file
        switch entry.status {
        case .kept:
            let stream = ContractEvent.stream(contract: contract)
            let bytes = try store.read { reader in try EvidenceIntake.digest(sha256).flatMap { try reader.evidence($0, stream: stream) } }
            // Hashed here, the one file read: the listing only looked it up.
            guard let bytes, EvidenceIntake.hex(EventStore.evidenceDigest(bytes)) == sha256 else {
                throw PlainError(.integrity, kind: "evidence-changed", "the bytes of evidence file \(DisplayText.quoted(file.name)) no longer hash to its sha256; run `svledger verify`")
            }
            return (file, bytes)
        case .erased(let position):
            throw PlainError(.notFound, kind: "evidence-erased", "evidence file \(DisplayText.quoted(file.name)) was erased by event \(position): its hash stays in the ledger, its bytes do not")
        case .missing:
            throw PlainError(.integrity, kind: "evidence-missing", "the ledger does not hold the bytes of evidence file \(DisplayText.quoted(file.name)), and no event erased them; run `svledger verify`")
        case .changed:
            throw PlainError(.integrity, kind: "evidence-changed", "the bytes of evidence file \(DisplayText.quoted(file.name)) no longer hash to its sha256; run `svledger verify`")
        }
    }
}
