import EventStore
import LedgerValues
import SocialValue

/// Checks the evidence files that a command's events cite against the bytes given with it,
/// while the command is decided, so that a wrong file refuses that command alone (in a group
/// commit, the others go on): each file a line cites must come with the command, or be kept
/// already for the same contract, and bytes given must be what the line says (the hash, the
/// size, the kind sniffed from the bytes). The bytes are then written in the events' own
/// transaction (``write(_:in:)``), and an erasure removes the bytes it names there too.
///
/// A file kept already is not read again: the domain holds a contract's later citations of it
/// to what its first one said (`decide`), so a return may cite a kept file many times at no cost.
enum EvidenceIntake {
    /// A file's bytes as one contract keeps them: its SHA-256 (hex) and the contract's stream.
    struct Key: Hashable, Comparable {
        let sha256: String
        let stream: String

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.sha256, lhs.stream) < (rhs.sha256, rhs.stream) }
    }

    /// What to write once the batch is decided.
    struct Pending {
        var bytes: [Key: [UInt8]] = [:]
        var erased: [Key] = []
    }

    /// Checks the files cited by `events` (each with its contract's stream) against `offered`
    /// and what `reader` keeps, and adds what they need written to `pending`.
    static func check(_ events: [(stream: String, event: ContractEvent)], offered: [[UInt8]], reader: LedgerReader, into pending: inout Pending) throws {
        var byDigest: [String: [UInt8]] = [:]
        for bytes in offered { byDigest[hex(EventStore.evidenceDigest(bytes))] = bytes }
        var cited = Set<String>()
        for (stream, event) in events {
            if case .evidenceErased(let erasure) = event { pending.erased.append(Key(sha256: erasure.sha256, stream: stream)) }
            for file in event.evidenceFiles {
                let key = Key(sha256: file.sha256, stream: stream)
                cited.insert(file.sha256)
                if let bytes = byDigest[file.sha256] {
                    try check(file, against: bytes)
                    pending.bytes[key] = bytes
                } else if pending.bytes[key] != nil {
                    continue  // given with a command before it in the batch
                } else if let digest = digest(file.sha256), try reader.hasEvidence(digest, stream: stream), !pending.erased.contains(key) {
                    continue  // kept for this contract; decide held the line to what its first citation said
                } else {
                    throw DomainError(
                        .evidenceFile,
                        "evidence file \(DisplayText.quoted(file.name)) (sha256 \(file.sha256.prefix(12))…) is not kept for this contract, and its bytes were not given: attach the file itself (--evidence-file MEASURE=PATH)")
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
        for key in pending.bytes.keys.sorted() { try reader.storeEvidence(pending.bytes[key]!, stream: key.stream) }
        for key in pending.erased {
            if let digest = digest(key.sha256) { try reader.eraseEvidence(digest, stream: key.stream) }
        }
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

    /// The 32 bytes of a SHA-256 written in lowercase hex; `nil` for anything else (a command's
    /// is checked by ``EvidenceFile``, but a stored event of a tampered log may hold anything).
    static func digest(_ hex: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in hex.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): values.append(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        guard values.count == 64 else { return nil }
        return stride(from: 0, to: 64, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }
}
