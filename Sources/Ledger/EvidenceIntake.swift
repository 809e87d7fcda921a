import EventStore
import LedgerValues
import SocialValue

/// Checks the evidence files that a command's events cite against the bytes given with it,
/// while the command is decided, so that a wrong file refuses that command alone (in a group
/// commit, the others go on): each file a line cites must come with the command, or be kept
/// already, and its bytes must be what the line says (the hash, the size, the kind sniffed from
/// the bytes). The bytes are then written in the events' own transaction (``write(_:in:)``),
/// and an erasure removes the bytes it names there too.
enum EvidenceIntake {
    /// What to write once the batch is decided.
    struct Pending {
        /// By SHA-256 in hex.
        var bytes: [String: [UInt8]] = [:]
        var erased: [String] = []
    }

    /// Checks the files cited by `events` against `offered` and what `reader` keeps, and adds
    /// what they need written to `pending`.
    static func check(_ events: [ContractEvent], offered: [[UInt8]], reader: LedgerReader, into pending: inout Pending) throws {
        var byDigest: [String: [UInt8]] = [:]
        for bytes in offered { byDigest[hex(EventStore.evidenceDigest(bytes))] = bytes }
        var cited = Set<String>()
        for event in events {
            if case .evidenceErased(let erasure) = event { pending.erased.append(erasure.sha256) }
            for file in event.evidenceFiles {
                cited.insert(file.sha256)
                if let bytes = byDigest[file.sha256] ?? pending.bytes[file.sha256] {
                    // Given with this command, or with one before it in the batch.
                    try check(file, against: bytes)
                    pending.bytes[file.sha256] = bytes
                } else if let kept = try reader.evidence(digest(file.sha256)), !pending.erased.contains(file.sha256) {
                    try check(file, against: kept)
                } else {
                    throw DomainError(
                        .evidenceFile,
                        "evidence file \(DisplayText.quoted(file.name)) (sha256 \(file.sha256.prefix(12))…) is not in the ledger, and its bytes were not given: attach the file itself (--evidence-file MEASURE=PATH)")
                }
            }
        }
        if let stray = byDigest.keys.sorted().first(where: { !cited.contains($0) }) {
            throw DomainError(
                .evidenceFile,
                "a file was given whose bytes (sha256 \(stray.prefix(12))…) no line cites: its bytes are not those its line names (changed since it was hashed?), or it was given by mistake")
        }
    }

    /// Writes what the decided batch needs, in its write transaction: erasures after the bytes,
    /// so that a file given and erased in one batch is not kept.
    static func write(_ pending: Pending, in reader: LedgerReader) throws {
        for sha256 in pending.bytes.keys.sorted() { try reader.storeEvidence(pending.bytes[sha256]!) }
        for sha256 in pending.erased { try reader.eraseEvidence(digest(sha256)) }
    }

    /// Refuses bytes that are not the file the line describes.
    static func check(_ file: EvidenceFile, against bytes: [UInt8]) throws {
        guard bytes.count == file.size else {
            throw DomainError(.evidenceFile, "evidence file \(DisplayText.quoted(file.name)) is \(bytes.count) bytes, but its line says \(file.size)")
        }
        let sniffed = EvidenceSniffing.mediaType(of: bytes)
        guard sniffed == file.mediaType else {
            throw DomainError(
                .evidenceFile,
                "evidence file \(DisplayText.quoted(file.name)) is \(sniffed.map { "a file of type \($0)" } ?? "not a PDF, PNG, JPEG, CSV, XLSX or DOCX file"), but its line says \(file.mediaType)")
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 32 bytes of a checked SHA-256 in hex (``EvidenceFile`` checks the form).
    static func digest(_ hex: String) -> [UInt8] {
        let values = hex.utf8.map { $0 <= UInt8(ascii: "9") ? $0 - UInt8(ascii: "0") : $0 - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: values.count - 1, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }
}
