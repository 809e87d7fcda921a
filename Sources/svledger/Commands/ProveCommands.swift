import ArgumentParser
import EventStore
import Ledger
import LedgerValues
import Queries
import Transparency

extension Root {
    /// Inclusion and consistency proofs from the ledger's Merkle tree.
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "Prove that an event is in a published checkpoint, or that one checkpoint extends another.",
            discussion: """
                A proof is a short list of hashes that anyone can check against a checkpoint's
                root without the ledger (tools/verify_ledger.py does, from RFC 9162 alone). It
                never holds an event's contents: an inclusion proof holds the event's leaf
                hash, which its canonical bytes (svledger log --format json) give back, and the
                hashes of the rest of the tree.

                  svledger prove inclusion 1234 --checkpoint 2025-26-Q2.checkpoint
                  svledger prove consistency --from 2025-26-Q1.checkpoint \\
                      --to 2025-26-Q2.checkpoint

                An inclusion proof shows that the event is in the history the checkpoint
                signed; it does not show that the event is true. A consistency proof shows that
                the later history only adds to the earlier one: nothing published was changed
                or removed.
                """,
            subcommands: [Inclusion.self, Consistency.self])

        struct Inclusion: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "inclusion", abstract: "Prove that one event is in the tree of a checkpoint (or of the head).")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The event: its position, or its event id.") var event: String
            @Option(help: "A checkpoint file: prove inclusion in the tree it signed (its size and root).") var checkpoint: String?
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let signed = try checkpoint.map(CheckpointFiles.checkpoint)
                let store = try ledger.open(.readOnly)
                let proof = try store.read { reader in
                    let position = try Prove.position(of: event, reader)
                    let proof = try Proofs.inclusion(reader, position: position, size: signed?.checkpoint.size)
                    if let signed { try Prove.match(proof.root, signed.checkpoint) }
                    return proof
                }
                Prove.show(lines: proof.lines, json: proof.json, format)
            }
        }

        struct Consistency: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "consistency", abstract: "Prove that the tree of a later checkpoint extends the tree of an earlier one.")
            @OptionGroup var ledger: LedgerOptions
            @Option(help: "The earlier checkpoint file.") var from: String
            @Option(help: "The later checkpoint file (default: the ledger's head).") var to: String?
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let earlier = try CheckpointFiles.checkpoint(from)
                let later = try to.map(CheckpointFiles.checkpoint)
                if let later, later.checkpoint.origin != earlier.checkpoint.origin {
                    throw CLIError(.input, "checkpoint-origin-mismatch", "the two checkpoints are of different logs, \(earlier.checkpoint.origin) and \(later.checkpoint.origin)")
                }
                let store = try ledger.open(.readOnly)
                let proof = try store.read { reader in
                    let proof = try Proofs.consistency(reader, from: earlier.checkpoint.size, to: later?.checkpoint.size)
                    try Prove.match(proof.fromRoot, earlier.checkpoint)
                    if let later { try Prove.match(proof.toRoot, later.checkpoint) }
                    do {
                        try ProofVerification.verifyConsistency(
                            proof.proof, size1: proof.from, size2: proof.to, root1: earlier.checkpoint.root, root2: later?.checkpoint.root ?? proof.toRoot)
                    } catch let failure as ProofFailure {
                        throw PlainError(.integrity, kind: "checkpoint-fork", failure.description)
                    }
                    return proof
                }
                Prove.show(lines: proof.lines, json: proof.json, format)
            }
        }

        static func show(lines: [String], json: JSONValue, _ format: OutputFormat) {
            switch format {
            case .text: lines.forEach { Terminal.print($0) }
            case .json: print(json.canonicalText)
            }
        }

        /// A position (digits) or an event id.
        static func position(of text: String, _ reader: LedgerReader) throws -> UInt64 {
            if let position = UInt64(text) { return position }
            guard let id = EventID(text) else {
                throw CLIError(.input, "bad-event", "\(DisplayText.quoted(text)) is neither a position nor an event id")
            }
            guard let position = try reader.position(of: id) else { throw CLIError(.notFound, "event-not-found", "no event has id \(id)") }
            return position
        }

        /// The ledger's root at a checkpoint's size must be the checkpoint's: otherwise the proof
        /// is of another history than the one published.
        static func match(_ root: TreeHash, _ checkpoint: Checkpoint) throws {
            guard root == checkpoint.root else {
                throw CheckpointError.forked(size: checkpoint.size, checkpointRoot: checkpoint.root.base64, ledgerRoot: root.base64)
            }
        }
    }
}
