import ArgumentParser
import EventStore
import Foundation
#if Server
import Hub
#endif
import Ledger
import LedgerValues
import Replication

/// The token a follower reads its primary with: `--token-file`, else `$SVLEDGER_TOKEN`, else
/// `--token` (which other users of the machine can see in the process list).
struct PrimaryTokenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An auditor's token on the primary (it reads the whole log and its evidence files, and writes nothing). Prefer --token-file or $SVLEDGER_TOKEN: a token on the command line shows in the process list.", valueName: "token"))
    var token: String?
    @Option(help: ArgumentHelp("A file holding the token.", valueName: "file"))
    var tokenFile: String?

    func resolved() throws -> String {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CLIError(.input, "unreadable-file", "cannot read the token file \(DisplayText.quoted(tokenFile))")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SVLEDGER_TOKEN"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let token { return token }
        throw CLIError(.usage, "missing-token", "give the primary's token: --token-file FILE, $SVLEDGER_TOKEN, or --token")
    }
}

extension Root {
    struct Follow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow",
            abstract: "Keep a verified copy of another svledger server's ledger: a follower, for reads and as a standby.",
            discussion: """
                  svledger follow https://svledger.council.example --ledger ./follower \\
                      --token-file auditor.token
                  svledger serve --read-only --ledger ./follower \\
                      --primary https://svledger.council.example
                  svledger follow https://svledger.council.example \\
                      --postgres postgres://hub@db/hub --council lancashire

                A follower pages through its primary's GET /log from its own head and appends
                every event byte for byte, after checking that it continues its own chain: the
                position, the previous hash, the hash of the bytes, the canonical form, the
                stream version. Each page is one durable transaction, so a follower stopped at
                any moment (kill -9 included) resumes where it was. It fetches the evidence
                files the events cite, and erases them when the primary records an erasure.
                Where the primary signs checkpoints, the latest is checked at each poll against
                the follower's own tree and with the primary's consistency proof, and kept.

                It stops, keeping what it holds and overwriting nothing, when the primary's
                history differs from its own (a fork, a primary restored from an old backup) or
                an event was altered on the way: exit 3, naming the position. An unreachable
                primary is tried again.

                The token must be an auditor's (or an administrator's): it reads the whole log
                and the evidence files, and writes nothing. It goes over HTTPS, or plain HTTP
                on this machine only, and never to where a redirect points. The follower writes
                follower.json beside its ledger after every poll; `svledger serve --read-only`
                reports its lag from it (GET /healthz).

                With --postgres, the follower keeps the events in a hub's PostgreSQL instead
                (the schema made and migrated by svledger; the chain checked again from the
                rows at each start). Its views (contracts, commitments, deliveries,
                pledged_against_delivered) answer across councils, and SELECT
                svledger_figures_digest('lancashire', '2025-26-Q2') gives the digest `svledger
                figures --digest` gives, worked out in SQL from the hub's rows. See
                docs/operations.md, "More than one machine".
                """)
        @Argument(help: ArgumentHelp("The primary's base URL (http://host:port or https://…).", valueName: "url"))
        var url: String
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var token: PrimaryTokenOptions
        @Flag(help: "Catch up once and stop, instead of following until interrupted.")
        var once = false
        @Option(help: ArgumentHelp("How often to ask the primary for new events.", valueName: "seconds"))
        var interval = 0.2
        @Option(help: ArgumentHelp("Events asked for in one request (1 to 10,000).", valueName: "count"))
        var pageSize = 2_000
        @Option(help: ArgumentHelp("Follow into a hub's PostgreSQL instead of a ledger: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (add ?sslmode=disable on a trusted network, ?host=/run/postgresql for a socket). The schema is made and migrated by svledger.", valueName: "url"))
        var postgres: String?
        @Option(help: ArgumentHelp("With --postgres: the council this primary's ledger is (its rows' `council`).", valueName: "id"))
        var council: String?
        @Flag(help: "Read a primary that is not on this machine over plain HTTP (its token then crosses the network in clear).")
        var allowRemoteHttp = false
        @Flag(help: "Let a ledger that recorded its own commands (a former primary) follow this one: it must hold no event the new primary lacks, or it is refused as a fork. See docs/operations.md before using it.")
        var rejoin = false
        @Option(help: "The summary's format with --once.") var format: OutputFormat = .text
        /// For tools/bench-follow: one line per event appended, how long after its primary
        /// recorded it (milliseconds, on this machine's clock).
        @Option(help: .hidden) var lagLog: String?

        func validate() throws {
            guard (1...10_000).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 10000") }
            if (postgres == nil) != (council == nil) { throw ValidationError("--postgres and --council go together") }
            if let council, council.isEmpty || council.count > 200 { throw ValidationError("--council takes 1 to 200 characters") }
            if postgres != nil, ledger.ledger != nil || rejoin || lagLog != nil { throw ValidationError("a hub (--postgres) keeps no ledger: drop --ledger, --rejoin and --lag-log") }
            guard interval > 0, interval <= 3600 else { throw ValidationError("--interval must be more than 0 and at most 3600 seconds") }
        }

        func run() async throws {
            guard let primaryURL = URL(string: url), let scheme = primaryURL.scheme, ["http", "https"].contains(scheme), primaryURL.host != nil else {
                throw CLIError(.usage, "invalid-url", "the primary is a URL such as https://svledger.council.example, got \(DisplayText.quoted(url))")
            }
            if scheme == "http", !allowRemoteHttp, !["127.0.0.1", "localhost", "::1", "[::1]"].contains(primaryURL.host ?? "") {
                throw CLIError(.usage, "remote-http-refused", "the token would cross the network in clear to \(primaryURL.host ?? ""): use https://, or --allow-remote-http on a network you trust")
            }
            let client = PrimaryClient(url: primaryURL, token: try token.resolved())
            if let postgres, let council {
                #if Server
                try await followIntoHub(client, settings: try HubSettings(url: postgres), council: council)
                return
                #else
                _ = (postgres, council)
                throw CLIError(.usage, "no-hub", "this svledger was built without the Server trait, and so without the hub (follow --postgres)")
                #endif
            }
            let store = try openFollowerLedger(primary: primaryURL.absoluteString)
            let lags = try lagLog.map { path -> FileHandle in
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError(.storage, "write-failed", "cannot write \(path)") }
                return handle
            }
            let follower = Follower(ledger: try Ledger(store: store), primary: client, directory: ledger.path, pageSize: pageSize, rejoining: rejoin) { page, head in
                Terminal.progress("appended \(page.count) events; at position \(head.position)")
                if let lags { lags.write(Data(Self.lagLines(page).utf8)) }
            }
            let start = try store.head().position
            if once {
                let pass = try await follower.catchUp()
                try? FollowerStatus(primary: primaryURL.absoluteString, head: pass.head, primaryHead: pass.primaryHead)
                    .with(caughtUpAt: pass.head.position >= pass.primaryHead ? Timestamp.now() : nil).write(ledgerDirectory: ledger.path)
                switch format {
                case .json:
                    let json: JSONValue = [
                        "appended": .integer(Int64(pass.appended)), "head": pass.head.json, "primaryHead": .integer(Int64(pass.primaryHead)),
                        "checkpointChecked": pass.checkpointChecked.map { .integer(Int64($0)) } ?? .null,
                    ]
                    print(json.canonicalText)
                case .text:
                    Terminal.print("appended \(pass.appended) events from \(primaryURL.absoluteString); this follower is at \(pass.head.position) (\(pass.head.hash.hex)), the primary at \(pass.primaryHead)")
                    if let size = pass.checkpointChecked { Terminal.print("checked the primary's checkpoint of \(size) events, and kept it") }
                }
                return
            }
            Terminal.progress("following \(primaryURL.absoluteString) from position \(start) into \(ledger.path); stop with Ctrl-C")
            let directory = ledger.path
            try await follower.run(every: .milliseconds(Int(interval * 1000)), say: { Terminal.progress($0) }) { status in
                try? status.write(ledgerDirectory: directory)
            }
        }

        #if Server
        /// `follow --postgres`: the council's events into the hub's `events` table, after the
        /// schema is migrated and the chain already there checked again.
        func followIntoHub(_ client: PrimaryClient, settings: HubSettings, council: String) async throws {
            let store = HubStore(settings: settings)
            do {
                try await followIntoHub(client, store: store, settings: settings, council: council)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }

        func followIntoHub(_ client: PrimaryClient, store: HubStore, settings: HubSettings, council: String) async throws {
            let applied = try await store.migrate()
            if !applied.isEmpty { Terminal.progress("hub: applied migrations \(applied.map(String.init).joined(separator: ", ")) to \(settings.shown)") }
            let replica = HubReplica(store: store, council: council)
            let start = try await replica.head()
            Terminal.progress("hub: \(council) holds \(start.position) events in \(settings.shown), their chain checked again")
            let follower = Follower(replica: replica, primary: client, pageSize: pageSize) { page, head in
                Terminal.progress("hub: appended \(page.count) events of \(council); at position \(head.position)")
            }
            if once {
                let pass = try await follower.catchUp()
                switch format {
                case .json:
                    let json: JSONValue = ["council": .string(council), "appended": .integer(Int64(pass.appended)), "head": pass.head.json, "primaryHead": .integer(Int64(pass.primaryHead))]
                    print(json.canonicalText)
                case .text:
                    Terminal.print("appended \(pass.appended) events of \(council) to the hub; it holds \(pass.head.position) (\(pass.head.hash.hex)), the primary \(pass.primaryHead)")
                }
            } else {
                Terminal.progress("hub: following \(client.url.absoluteString) for \(council); stop with Ctrl-C")
                try await follower.run(every: .milliseconds(Int(interval * 1000)), say: { Terminal.progress("hub: \($0)") })
            }
        }

        #endif

        /// Milliseconds from each event's `recordedAt` (its primary's clock) to now.
        static func lagLines(_ page: [ReplicatedEvent]) -> String {
            let now = Timestamp.now().millisecondsSinceEpoch
            return page.compactMap { event in
                (try? event.canonical.withUnsafeBytes { bytes throws(EnvelopeDecodingError) in try RecordedEvent(canonical: bytes, hash: event.hash) })
                    .map { "\(now - $0.recordedAt.millisecondsSinceEpoch)\n" }
            }.joined()
        }

        /// The follower's ledger: made when missing, marked as following `primary`; an existing
        /// one only when it follows already (or is empty), or with --rejoin.
        func openFollowerLedger(primary: String) throws -> EventStore {
            let dataFile = (ledger.path as NSString).appendingPathComponent("data.mdb")
            if !FileManager.default.fileExists(atPath: dataFile) {
                let store = try ledger.open(.create)
                try store.setFollowedPrimary(primary)
                Terminal.progress("made a new follower ledger at \(ledger.path)")
                return store
            }
            let store = try ledger.open(.readWrite)
            let (followed, head) = try store.read { (try $0.followedPrimary(), try $0.head()) }
            if followed == nil, head.position > 0, !rejoin {
                throw CLIError(
                    .refused, "not-a-follower",
                    "the ledger at \(ledger.path) records its own commands (\(head.position) events): it is a primary, or was promoted. Following \(primary) would make it a copy of that ledger. Move it aside and follow into a new folder, or, for a former primary rejoining, pass --rejoin (docs/operations.md)")
            }
            if followed == nil, head.position == 0 { try store.setFollowedPrimary(primary) }   // an empty ledger is taken over
            // The ledger is marked as following this primary once the primary shows it holds
            // the ledger's head (``Follower``): a fork leaves it as it was.
            if let followed, followed != primary { Terminal.progress("this ledger followed \(followed); it follows \(primary) once that primary shows it holds its head") }
            return store
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promote",
            abstract: "Make a follower the primary: a last attempt to catch up, then the promotion recorded as an event.",
            discussion: """
                  svledger promote --ledger ./follower --token-file auditor.token \\
                      --actor ops.lead --reason "primary's disk failed"

                Stop `svledger follow` on the ledger first. Then this tries once more to catch
                up with the primary it follows (a request that gets no answer within
                --catch-up-timeout is given up); a primary that cannot be reached is the usual
                reason to promote, so that is reported, not refused. Then it records
                FollowerPromoted in the `replication` stream, with the former primary and the
                last event taken from it, and the ledger stops following: `svledger serve`
                (without --read-only) then takes commands on it.

                Before it, make sure the former primary is stopped and stays stopped: two
                primaries would each record commands the other lacks. If it comes back, it does
                not follow this one without an operator's step (`svledger follow --rejoin`,
                refused if it recorded anything this one lacks). docs/operations.md gives the
                whole runbook.
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var token: PrimaryTokenOptions
        @Option(help: ArgumentHelp("Who promotes it (recorded as the event's actor).", valueName: "id")) var actor: String
        @Option(help: ArgumentHelp("Their role.", valueName: "role")) var role = "Administrator"
        @Option(help: "Why (recorded with the event).") var reason: String
        @Option(help: ArgumentHelp("How long the last catch-up may take.", valueName: "seconds")) var catchUpTimeout = 30.0
        @Flag(help: "Skip the last catch-up (the primary is known to be gone).") var noCatchUp = false

        func run() async throws {
            let store = try ledger.open(.readWrite)
            guard let followed = try store.read({ try $0.followedPrimary() }) else { throw PromotionError.notAFollower }
            let promoting = try Ledger(store: store)
            var caughtUp = false
            if noCatchUp {
                Terminal.progress("no last catch-up (--no-catch-up)")
            } else if let url = URL(string: followed) {
                let follower = Follower(ledger: promoting, primary: PrimaryClient(url: url, token: try token.resolved(), timeout: catchUpTimeout), directory: ledger.path)
                do {
                    let pass = try await follower.catchUp()
                    caughtUp = pass.head.position >= pass.primaryHead
                    Terminal.progress("last catch-up: appended \(pass.appended) events; at \(pass.head.position) of the primary's \(pass.primaryHead)")
                } catch let unavailable as PrimaryUnavailable {
                    Terminal.progress("the primary could not be read for a last catch-up (\(unavailable)); promoting with what this follower holds")
                }
            }
            let outcome = try promoting.recordPromotion(
                caughtUp: caughtUp, actor: ActorIdentity(id: actor, role: role), reason: reason, today: Timestamp.now().date)
            try? FileManager.default.removeItem(atPath: (ledger.path as NSString).appendingPathComponent(FollowerStatus.fileName))
            Terminal.print("promoted: this ledger no longer follows \(followed); FollowerPromoted recorded at position \(outcome.head.position) (\(outcome.head.hash.hex))")
            Terminal.print("start it with `svledger serve --ledger \(ledger.path)` and point clients at it")
        }
    }
}

extension FollowerStatus {
    func with(caughtUpAt: Timestamp?) -> FollowerStatus {
        var status = self
        status.caughtUpAt = caughtUpAt
        status.checkedAt = Timestamp.now()
        return status
    }
}
