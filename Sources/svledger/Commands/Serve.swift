#if Server
import ArgumentParser
import Dispatch
import Foundation
import LedgerValues
import Server
import Synchronization

extension Root {
    /// `svledger serve`: thin over the Server module, as every command is over its module.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the ledger over HTTP(S) to people in different roles, each with a bearer token.",
            discussion: """
                Every route but /healthz and /metrics needs `Authorization: Bearer <token>`, a
                token from `svledger access token issue`; what a request may do is its role's,
                and the actor recorded in the events it writes is the token's account and role,
                never the request body's. Errors are application/problem+json. Logs are JSON
                lines on stderr (LOG_LEVEL sets the level); SIGTERM or SIGINT stops it
                gracefully: requests in flight finish first.

                Plain HTTP is served on loopback only, unless --allow-remote-http: bearer
                tokens must not cross a network in clear. Give --tls-cert and --tls-key (PEM)
                to serve HTTPS directly.

                What one client can hold is bounded: idle connections close after
                --idle-timeout, a request head must arrive within --header-timeout and a body
                within --body-timeout, at most --max-connections are open, and reads that fold
                the ledger run --concurrent-reads at once with --queued-reads waiting (then 503
                busy). SIGTERM lets requests in flight finish for --drain seconds, then cancels
                the rest.

                With --checkpoint-key (a key registered with `svledger checkpoint key
                register`), each commit also signs the ledger's new head in the same
                transaction, at most once every --checkpoint-every seconds (0: every commit);
                GET /checkpoint serves the last one.

                  svledger serve --ledger ./ledger
                  svledger serve --ledger ./ledger --listen 0.0.0.0:8443 --tls-cert cert.pem \\
                      --tls-key key.pem
                  svledger serve --ledger ./ledger \\
                      --checkpoint-key /etc/svledger/checkpoint.key
                """)
        @OptionGroup var ledger: LedgerOptions
        @Option(help: ArgumentHelp("The address and port to listen on (port 0: any free port).", valueName: "host:port"))
        var listen = "127.0.0.1:8080"
        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("The certificate chain, PEM.", valueName: "file")) var tlsCert: String?
        @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's private key, PEM.", valueName: "file")) var tlsKey: String?
        @Flag(help: "Serve plain HTTP on an address other than loopback (tokens then cross the network in clear).")
        var allowRemoteHttp = false
        @Flag(help: "Commit each command on its own instead of grouping the commands that arrive together (for comparison).")
        var oneCommitPerRequest = false
        @Option(help: ArgumentHelp("Close a connection that sends no request for this long, keep-alive included.", valueName: "seconds"))
        var idleTimeout = 30
        @Option(help: ArgumentHelp("A new connection must send its first request's head within this.", valueName: "seconds"))
        var headerTimeout = 10
        @Option(help: ArgumentHelp("A request's body must arrive whole within this of its head.", valueName: "seconds"))
        var bodyTimeout = 30
        @Option(help: ArgumentHelp("Connections open at once; more wait in the listen backlog.", valueName: "count"))
        var maxConnections = 512
        @Option(help: ArgumentHelp("Reads that fold or scan the ledger (figures, reports, audit, log, verify, export) running at once (default: twice the cores, at least 4).", valueName: "count"))
        var concurrentReads: Int?
        @Option(help: ArgumentHelp("Such reads waiting their turn; past it a read is answered 503 busy with Retry-After.", valueName: "count"))
        var queuedReads = 256
        @Option(help: ArgumentHelp("On SIGTERM, cancel what is still under way after this and stop.", valueName: "seconds"))
        var drain = 5
        @Option(help: ArgumentHelp("Sign a checkpoint of the head as commits are made, with this private key (svledger checkpoint key generate).", valueName: "file"))
        var checkpointKey: String?
        @Option(help: ArgumentHelp("With --checkpoint-key: sign at most once in this many seconds (0: after every commit).", valueName: "seconds"))
        var checkpointEvery = 0
        @Option(help: ArgumentHelp("A witness to ask for a cosignature of each checkpoint signed, URL=VKEY (svledger witness); repeat for more.", valueName: "url=vkey"))
        var witness: [String] = []
        @Option(help: ArgumentHelp("How many witnesses' cosignatures make a checkpoint witnessed (default: all given).", valueName: "count"))
        var witnessQuorum: Int?
        @Flag(help: "Serve a follower's ledger (svledger follow): every read, and every write answered 503 read-only-follower; GET /healthz gives the lag behind the primary.")
        var readOnly = false
        @Option(help: ArgumentHelp("With --read-only: the primary's base URL, given to writers as where to send them (Location).", valueName: "url"))
        var primary: String?

        func validate() throws {
            if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give --tls-cert and --tls-key together") }
            for (name, value) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--drain", drain)]
            where !(1...3600).contains(value) {
                throw ValidationError("\(name) takes 1 to 3600 seconds, got \(value)")
            }
            for (name, value) in [("--max-connections", maxConnections), ("--concurrent-reads", concurrentReads ?? 1)] where value < 1 {
                throw ValidationError("\(name) takes at least 1, got \(value)")
            }
            if queuedReads < 0 { throw ValidationError("--queued-reads takes 0 or more, got \(queuedReads)") }
            if let witnessQuorum, !(1...max(1, witness.count)).contains(witnessQuorum) {
                throw ValidationError("--witness-quorum takes 1 to the number of --witness given (\(witness.count)), got \(witnessQuorum)")
            }
            if !(0...86_400).contains(checkpointEvery) { throw ValidationError("--checkpoint-every takes 0 to 86400 seconds, got \(checkpointEvery)") }
            if readOnly, checkpointKey != nil || !witness.isEmpty {
                throw ValidationError("a read-only follower signs no checkpoint and asks no witness: its primary does (drop --checkpoint-key and --witness)")
            }
            if primary != nil, !readOnly { throw ValidationError("--primary goes with --read-only") }
            if let primary, URL(string: primary)?.host == nil { throw ValidationError("--primary takes a URL such as https://svledger.council.example, got \(primary)") }
        }

        var limits: ServerSettings.Limits {
            var limits = ServerSettings.Limits()
            limits.idleTimeout = .seconds(idleTimeout)
            limits.headerTimeout = .seconds(headerTimeout)
            limits.bodyTimeout = .seconds(bodyTimeout)
            limits.maxConnections = maxConnections
            if let concurrentReads { limits.concurrentReads = concurrentReads }
            limits.queuedReads = queuedReads
            limits.drain = .seconds(drain)
            return limits
        }

        func run() async throws {
            let (host, port) = try ServerSettings.listen(listen)
            var settings = ServerSettings(
                host: host, port: port, tls: tlsCert.map { ServerSettings.TLSFiles(certificate: $0, key: tlsKey ?? "") },
                allowRemoteHTTP: allowRemoteHttp, groupCommit: !oneCommitPerRequest, limits: limits)
            settings.witnesses = try witness.map { text in try CheckpointFiles.checked { try WitnessEndpoint(text) } }
            settings.witnessQuorum = witnessQuorum ?? witness.count
            settings.readOnly = readOnly
            settings.primary = primary
            try settings.check()
            // A follower's server only reads: the follower process is the ledger's one writer.
            let opened = try ledger.openLedger(readOnly ? .readOnly : .readWrite)
            if let checkpointKey {
                let key = try CheckpointFiles.privateKey(checkpointKey)
                // Refused now, not at the first commit: a key the ledger would not let sign.
                try opened.checkRegistered(key)
                opened.signCheckpointsOnCommit(with: key, every: .seconds(checkpointEvery)) { error in
                    Terminal.progress("svledger serve: no checkpoint signed at this commit: \(error)")
                }
            }
            JSONLogHandler.bootstrap()
            Terminal.progress("svledger serve: folding the log…")
            let server = try LedgerServer(ledger: opened, settings: settings)
            let (events, seconds) = server.live.startup
            Terminal.progress("svledger serve: folded \(DisplayText.counted(Int(events), "event")) in \(String(format: "%.2f", seconds)) s (\(seconds > 0 ? Int(Double(events) / seconds) : 0) events/s)")
            let scheme = settings.tls == nil ? "http" : "https"
            let shownHost = host.contains(":") ? "[\(host)]" : host
            try await server.run { port in
                try? StandardOutput.writeNow("svledger serve: listening on \(scheme)://\(shownHost):\(port) (ledger \(ledger.path)\(readOnly ? ", read-only follower" : ""))")
            }
        }
    }
}
#endif
