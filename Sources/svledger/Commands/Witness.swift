#if Server
import ArgumentParser
import LedgerValues
import Server
import Transparency

extension Root {
    /// `svledger witness`: a C2SP tlog-witness, thin over the Server module.
    struct Witness: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "Run a witness: cosign a council's checkpoints only when they extend what it cosigned before.",
            discussion: """
                A witness is run by someone other than the council (another council, an
                auditor, a civil-society body). It keeps, per log, the size and root it last
                cosigned, durably, and cosigns a new checkpoint only with a consistency proof
                from that one (C2SP tlog-witness: POST /add-checkpoint). A council that showed
                one history to the witness cannot later show another: the witness refuses it
                (409 with the size it holds, or 422 when the proof fails), and a checkpoint
                without the witnesses' cosignatures is not trusted.

                What it proves: that every checkpoint it cosigned extends the ones before, as
                far as this witness saw. What it does not: that the events are true, or
                anything about logs it was never shown.

                  svledger checkpoint key generate --witness --name audit.example/w1 \\
                      --out w1.key
                  svledger witness --state ./w1-state --key w1.key --log COUNCIL_VKEY \\
                      --listen 127.0.0.1:8090
                """)
        @Option(help: ArgumentHelp("The directory where it keeps what it cosigned (an LMDB environment; made if missing).", valueName: "dir"))
        var state: String
        @Option(help: ArgumentHelp("Its private cosigning key (svledger checkpoint key generate --witness).", valueName: "file"))
        var key: String
        @Option(help: ArgumentHelp("A log's checkpoint vkey to follow; repeat for more.", valueName: "vkey"))
        var log: [String]
        @Option(help: ArgumentHelp("The address and port to listen on (port 0: any free port).", valueName: "host:port"))
        var listen = "127.0.0.1:8090"

        func run() async throws {
            let signing = try CheckpointFiles.privateKey(key)
            guard signing.verifier.type == .cosignatureV1 else {
                throw CLIError(.input, "not-a-witness-key", "\(key) is a log's signing key; a witness cosigns with a key made by `checkpoint key generate --witness`")
            }
            let logs = try log.map { text in try CheckpointFiles.checked { try NoteVerifierKey(vkey: text) } }
            guard !logs.isEmpty, logs.allSatisfy({ $0.type == .ed25519 }) else {
                throw CLIError(.input, "bad-checkpoint-input", "give each log to follow as --log VKEY, the council's checkpoint vkey (type 0x01)")
            }
            let (host, port) = try ServerSettings.listen(listen)
            JSONLogHandler.bootstrap()
            let witness = WitnessServer(key: signing, logs: logs, state: try WitnessState(path: state))
            try await witness.run(host: host, port: port) { port in
                try? StandardOutput.writeNow("svledger witness: \(signing.verifier.vkey) listening on http://\(host):\(port), following \(logs.map(\.name).joined(separator: ", "))")
            }
        }
    }
}
extension Root.CheckpointGroup {
    /// Asks witnesses to cosign the ledger's last signed checkpoint (the CLI's way, for a
    /// council that signs each quarter rather than on every commit).
    struct WitnessRequest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "Ask witnesses to cosign the last checkpoint signed, and keep their cosignatures with it.",
            discussion: """
                Each witness is sent the checkpoint and a consistency proof from the size it
                last cosigned. It cosigns only if the ledger's history extends what it saw; a
                witness that refuses says why (a history that forks from the one it cosigned
                is refused). Exits 1 when fewer than --quorum cosigned.
                """)
        @OptionGroup var ledger: LedgerOptions
        @Option(help: ArgumentHelp("A witness, URL=VKEY; repeat for more.", valueName: "url=vkey")) var witness: [String]
        @Option(help: ArgumentHelp("How many must cosign (default: all given).", valueName: "count")) var quorum: Int?

        func run() async throws {
            let endpoints = try witness.map { text in try CheckpointFiles.checked { try WitnessEndpoint(text) } }
            guard !endpoints.isEmpty else { throw ValidationError("give at least one --witness URL=VKEY") }
            let store = try ledger.open()
            guard let signed = try store.read({ try $0.lastCheckpoint() }) else {
                throw CLIError(.notFound, "no-checkpoint", "this ledger has signed no checkpoint yet (svledger checkpoint sign)")
            }
            let collector = WitnessCollector(store: store, witnesses: endpoints, quorum: quorum ?? endpoints.count)
            let answers = await collector.collect(signed)
            for (endpoint, answer) in answers {
                switch answer {
                case .success: Terminal.progress("\(endpoint.key.name) cosigned size \(signed.checkpoint.size)")
                case .failure(let failure): Terminal.progress("\(endpoint.key.name) refused: \(failure)")
                }
            }
            let cosigned = answers.filter { if case .success = $0.answer { true } else { false } }.count
            guard cosigned >= collector.quorum else {
                throw CLIError(.refused, "not-witnessed", "\(cosigned) of \(endpoints.count) witnesses cosigned; \(collector.quorum) needed")
            }
            if let kept = try store.read({ try $0.lastCheckpoint() }) { print(kept.serialized, terminator: "") }
        }
    }
}
#endif
