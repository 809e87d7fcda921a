import ArgumentParser
import EventStore
import Foundation
import Ledger
import LedgerValues
import Queries
import Transparency

extension Root {
    /// Signed checkpoints: the council's published, signed statement of its ledger's history.
    struct CheckpointGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Sign, show and check checkpoints: the ledger's history, signed, for others to hold the council to.",
            discussion: """
                A checkpoint names the council's log (its origin), the number of events, and
                the root of the Merkle tree over them, signed with the council's Ed25519 key
                (the C2SP tlog-checkpoint format). Published, it lets anyone later prove that
                the ledger they are shown still holds exactly that history, with a consistency
                proof, and that a given return is in it, with an inclusion proof (svledger
                prove).

                For a council, once:
                  svledger checkpoint key generate --name lancashire.gov.uk/svledger \\
                      --out /etc/svledger/checkpoint.key
                  svledger checkpoint key register VKEY --actor ada --reason "checkpoint key"
                then, whenever it publishes (each quarter, or after each commit with svledger
                serve):
                  svledger checkpoint sign --key /etc/svledger/checkpoint.key \\
                      --out 2025-26-Q2.checkpoint

                For an auditor, with the checkpoint the council published and its vkey:
                  svledger checkpoint verify 2025-26-Q2.checkpoint --vkey VKEY --ledger COPY

                What it proves: that the council's key signed that history, and that the ledger
                in front of you extends it unchanged. What it does not: that the history is
                true, or that the council did not keep a second ledger; witnesses (svledger
                witness), who cosign only checkpoints consistent with what they saw before,
                guard against the second.
                """,
            subcommands: Self.subcommands)

        static let subcommands: [any ParsableCommand.Type] = {
            var commands: [any ParsableCommand.Type] = [Key.self, Sign.self, Show.self, VerifyCheckpoint.self]
            #if Server
            commands.append(WitnessRequest.self)
            #endif
            return commands
        }()

        struct Key: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "key",
                abstract: "The keys that sign checkpoints: generate one, register it in the ledger, retire it, list them.",
                subcommands: [Generate.self, Register.self, Retire.self, List.self])
        }

        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "generate",
                abstract: "Make a new Ed25519 key: the private key to a file (mode 0600), the public vkey printed to publish.",
                discussion: """
                    Keep the private key outside the ledger's directory (it is refused inside one):
                    anyone holding it can sign checkpoints in the council's name. Publish the
                    printed vkey, and register it in the ledger (svledger checkpoint key register).
                    """)
            @Option(help: "The log's name (its origin), such as lancashire.gov.uk/svledger; for --witness, the witness's name.") var name: String
            @Option(help: "Where to write the private key; the file must not exist.") var out: String
            @Flag(help: "A witness's cosigning key (C2SP tlog-cosignature) instead of a log's signing key.") var witness = false

            func run() throws {
                let key = try CheckpointFiles.checked { try NoteSigningKey(name: name, type: witness ? .cosignatureV1 : .ed25519) }
                try CheckpointFiles.writePrivate(key.encoded + "\n", to: out)
                Terminal.print("wrote the private key to \(out) (mode 0600); publish this vkey:")
                Terminal.print(key.verifier.vkey)
            }
        }

        /// `--actor` and `--reason`: the administrator acting, and why.
        struct Administrator: ParsableArguments {
            @Option(help: "The administrator's account.") var actor: String
            @Option(help: "Why: recorded in the event and shown in the audit trail.") var reason: String?
        }

        struct Register: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "register",
                abstract: "Record in the ledger that a key signs its checkpoints (an administrator's act).")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The vkey that `checkpoint key generate` printed.") var vkey: String
            @OptionGroup var administrator: Administrator

            func run() throws { try CheckpointFiles.record(vkey, retiring: false, administrator, ledger: ledger) }
        }

        struct Retire: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "retire",
                abstract: "Record that a key signs no further checkpoints (after a rotation); what it signed stays valid.")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The vkey to retire.") var vkey: String
            @OptionGroup var administrator: Administrator

            func run() throws { try CheckpointFiles.record(vkey, retiring: true, administrator, ledger: ledger) }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "The keys registered to sign this ledger's checkpoints.")
            @OptionGroup var ledger: LedgerOptions
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let keys = try ledger.openLedger(.readOnly).checkpointKeys()
                switch format {
                case .text:
                    if keys.entries.isEmpty { Terminal.print("no checkpoint key registered (svledger checkpoint key register)") }
                    for entry in keys.entries {
                        Terminal.print("\(entry.key.vkey)  registered at \(entry.registeredAt)\(entry.retiredAt.map { ", retired at \($0)" } ?? "")")
                    }
                case .json:
                    let rows: [JSONValue] = keys.entries.map { entry in
                        ["vkey": .string(entry.key.vkey), "registeredAt": .integer(Int64(entry.registeredAt)),
                         "retiredAt": entry.retiredAt.map { .integer(Int64($0)) } ?? .null]
                    }
                    print(JSONValue.object(["origin": keys.origin.map(JSONValue.string) ?? .null, "keys": .array(rows)]).canonicalText)
                }
            }
        }

        struct Sign: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "sign",
                abstract: "Sign a checkpoint of the ledger's head with a registered key, and keep it as the last one signed.",
                discussion: """
                    The ledger never signs two checkpoints that disagree: a head at or below the
                    last checkpoint signed is refused, and so is a tree whose root at that size
                    changed.
                    """)
            @OptionGroup var ledger: LedgerOptions
            @Option(help: "The private key file that `checkpoint key generate` wrote.") var key: String
            @Option(help: "Also write the checkpoint to this file.") var out: String?

            func run() throws {
                let signingKey = try CheckpointFiles.privateKey(key)
                let signed = try ledger.openLedger().signCheckpoint(with: signingKey)
                if let out { try AtomicFile.write(signed.serialized, to: out) }
                print(signed.serialized, terminator: "")
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "The last checkpoint the ledger signed, with any witnesses' cosignatures.")
            @OptionGroup var ledger: LedgerOptions
            @Option(help: "text (the checkpoint as published) or json.") var format: OutputFormat = .text

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                guard let signed = try opened.store.read({ try $0.lastCheckpoint() }) else {
                    throw CLIError(.notFound, "no-checkpoint", "this ledger has signed no checkpoint yet (svledger checkpoint sign)")
                }
                switch format {
                case .text: print(signed.serialized, terminator: "")
                case .json:
                    print(JSONValue.object([
                        "origin": .string(signed.checkpoint.origin), "treeSize": .integer(Int64(signed.checkpoint.size)),
                        "root": .string(signed.checkpoint.root.base64), "note": .string(signed.serialized),
                        "signatures": .array(signed.note.signatures.map { .string($0.keyName) }),
                    ]).canonicalText)
                }
            }
        }

        struct VerifyCheckpoint: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "verify",
                abstract: "Check a published checkpoint: its signature, and that the ledger here extends it.",
                discussion: """
                    With --vkey, the checkpoint must be signed by that key (the one the council
                    published); without it, by a key the ledger registered. Then the ledger's
                    Merkle tree must have the checkpoint's root at the checkpoint's size: the
                    history the council published is still here, unchanged, however far the ledger
                    has grown since. It prints the consistency proof from the checkpoint to the
                    head, which anyone can check with the two roots alone.

                    It does not prove that the events are true, only that they are the ones
                    published.
                    """)
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The checkpoint file.") var file: String
            @Option(help: "The vkey the council published.") var vkey: String?
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let signed = try CheckpointFiles.checkpoint(file)
                let key = try vkey.map { text in try CheckpointFiles.checked { try NoteVerifierKey(vkey: text) } }
                let finding = try ledger.openLedger(.readOnly).check(signed, key: key)
                let checkpoint = finding.checkpoint.checkpoint
                switch format {
                case .text:
                    Terminal.print("checkpoint \(checkpoint.origin) size \(checkpoint.size) root \(checkpoint.root.base64): signed by \(finding.signer.name) (key id \(String(format: "%08x", finding.signer.keyID)))")
                    Terminal.print("the ledger extends it: its tree has that root at size \(checkpoint.size), and its head is at size \(finding.head.position) with root \(finding.root.base64)")
                    for (index, hash) in finding.proof.enumerated() { Terminal.print("consistency[\(index)] \(hash.base64)") }
                case .json:
                    print(JSONValue.object([
                        "origin": .string(checkpoint.origin), "treeSize": .integer(Int64(checkpoint.size)), "root": .string(checkpoint.root.base64),
                        "signer": .string(finding.signer.vkey), "headSize": .integer(Int64(finding.head.position)), "headRoot": .string(finding.root.base64),
                        "consistencyProof": .array(finding.proof.map { .string($0.base64) }),
                    ]).canonicalText)
                }
            }
        }
    }
}

/// Reading and writing the files checkpoints use, and their errors in the CLI's terms.
enum CheckpointFiles {
    /// Runs `body`, turning a key or note that does not read into an input error.
    static func checked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NoteError {
            throw CLIError(.input, "bad-checkpoint-input", error.description)
        }
    }

    static func privateKey(_ path: String) throws -> NoteSigningKey {
        try checked { try NoteSigningKey(encoded: try InputFile.text(path)) }
    }

    static func checkpoint(_ path: String) throws -> SignedCheckpoint {
        try checked { try SignedCheckpoint(parsing: try InputFile.text(path)) }
    }

    /// Registers or retires the key `vkey` names, as the administrator, and says so.
    static func record(_ vkey: String, retiring: Bool, _ administrator: Root.CheckpointGroup.Administrator, ledger options: LedgerOptions) throws {
        let key = try checked { try NoteVerifierKey(vkey: vkey) }
        let ledger = try options.openLedger()
        let role = try ledger.accessState().grant(of: administrator.actor, .administrator) == nil ? "Installer" : "Administrator"
        let outcome = try ledger.recordCheckpointKey(
            key, retiring: retiring, actor: ActorIdentity(id: administrator.actor, role: role), reason: administrator.reason, today: Timestamp.now().date)
        Terminal.print("\(retiring ? "retired" : "registered") checkpoint key \(key.name) (key id \(String(format: "%08x", key.keyID))) at position \(outcome.head.position)")
        Terminal.print(outcome.head)
    }

    /// Writes a private key: a new file (never over another), mode 0600 from the start,
    /// synced; refused inside a ledger's directory, where backups and copies would carry it.
    static func writePrivate(_ text: String, to path: String) throws {
        var folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while folder.path != "/" {
            if LedgerDirectory.holdsLedger(folder.path) {
                throw CLIError(.refused, "key-inside-ledger", "\(folder.path) holds a ledger: keep the private key outside it, where copies and backups of the ledger do not carry it")
            }
            folder.deleteLastPathComponent()
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw CLIError(.refused, "key-file-exists", "\(path) exists: a key is never written over another; choose a new file") }
            throw CLIError(.storage, "key-file-unwritable", "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw CLIError(.storage, "key-file-unwritable", "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
