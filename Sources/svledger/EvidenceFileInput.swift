import Foundation
import Ledger
import LedgerValues
import SocialValue

/// `--evidence-file MEASURE=PATH`: a file kept as the evidence of a return line. The file is
/// read once; what the line records of it (its SHA-256, size and sniffed type) is worked out
/// from those bytes, and the same bytes go to the ledger with the command.
struct EvidenceFileInput {
    let measure: String
    let file: EvidenceFile
    let bytes: [UInt8]

    static func read(_ flag: String) throws -> EvidenceFileInput {
        let parts = flag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty, !parts[1].isEmpty else {
            throw CLIError(.input, "invalid-evidence-file", "--evidence-file \(DisplayText.quoted(flag)) must look like NT1=payslips-q1.pdf: the line's measure, then the file")
        }
        let path = parts[1]
        let url = URL(fileURLWithPath: path)
        guard let bytes = try bytes(of: path) else { throw CLIError(.notFound, "file-unreadable", "--evidence-file: no file can be read at \(path)") }
        let file = try EvidenceFile.describing(bytes, name: url.lastPathComponent)
        return EvidenceFileInput(measure: parts[0].trimmingCharacters(in: .whitespaces), file: file, bytes: bytes)
    }

    /// The bytes of the file at `path`, or nil when there is none; a file over the limit is
    /// refused before it is read, so it is never loaded.
    static func bytes(of path: String) throws -> [UInt8]? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue else { return nil }
        guard size <= EvidenceFile.maximumSize else {
            throw DomainError(.evidenceFile, "evidence file \(path) is \(size) bytes; an evidence file is at most \(EvidenceFile.maximumSize) bytes (25 MiB)")
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// `lines` with each file added to the line of its measure.
    static func attach(_ files: [EvidenceFileInput], to lines: [JSONValue]) throws -> [JSONValue] {
        var lines = lines
        for input in files {
            guard let index = lines.firstIndex(where: { $0["measure"]?.stringValue == input.measure }), case .object(var members) = lines[index] else {
                throw CLIError(.input, "invalid-evidence-file", "--evidence-file \(input.measure)=…: no --line is for measure \(input.measure)")
            }
            let listed = members["evidenceFiles"]?.arrayValue ?? []
            members["evidenceFiles"] = .array(listed + [input.file.json])
            lines[index] = .object(members)
        }
        return lines
    }
}
