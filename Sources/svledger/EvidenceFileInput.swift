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
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        guard let size else { throw CLIError(.notFound, "file-unreadable", "--evidence-file: no file can be read at \(path)") }
        // Refused before it is read: a file over the limit is never loaded.
        guard size <= EvidenceFile.maximumSize else {
            throw DomainError(.evidenceFile, "--evidence-file \(path) is \(size) bytes; an evidence file is at most \(EvidenceFile.maximumSize) bytes (25 MiB)")
        }
        let bytes = [UInt8](try Data(contentsOf: url))
        let file = try EvidenceFile.describing(bytes, name: url.lastPathComponent)
        return EvidenceFileInput(measure: parts[0].trimmingCharacters(in: .whitespaces), file: file, bytes: bytes)
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
