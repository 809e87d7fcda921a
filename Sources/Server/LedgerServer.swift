import Access
import Credentials
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import HummingbirdTLS
import LedgerValues
import Ledger
import Projections
import Queries
import SocialValue
import Logging
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// `svledger serve`: one ledger shared over HTTP by people in different roles.
///
/// It calls the same `Ledger`, `Queries` and `Reports` code as the CLI and answers with the
/// same JSON documents. Every request but `/healthz` and `/metrics` carries a bearer token,
/// checked against the ledger's own `access` stream; the identity it stands for decides what
/// the request may do, and is the actor recorded in the events it writes. Every error is
/// `application/problem+json`. Writes go through one writer, in arrival order.
public final class LedgerServer: Sendable {
    public let ledger: Ledger
    public let settings: ServerSettings
    public let metrics = ServerMetrics()
    let logger: Logger
    let committer: GroupCommitter
    let idempotency: IdempotencyStore
    let figureViews = FigureViewCache()
    /// Whether the work done at start, so that the first people wait for nothing, is done
    /// (`GET /readyz`).
    let warmedUp = Mutex(false)
    /// The web app's contract pages below their controls, by contract, version and reporting
    /// day (a few hundred KB at most: the pages of the contracts people are looking at).
    let webSections = Mutex(RecentlyUsed<String, ContractPageSections>(limit: 256))
    /// The log folded once at start and kept at the head by each commit (and by each read, for
    /// what another process wrote): every read at the head starts from it.
    public let live: LiveFold
    /// Collects witnesses' cosignatures of each checkpoint signed, when witnesses are configured.
    public let witnessing: WitnessCollector?
    let reads: ReadLimiter
    /// The web app's sign-in secrets (``CredentialStore``), beside the ledger; `nil` when they
    /// cannot be opened (a read-only copy), and then the web app's sign-in says so.
    let credentials: CredentialStore?
    /// Today's date (UTC), for token expiry and commands' default effective date; tests set it.
    let today: @Sendable () -> CalendarDate

    /// Folds the whole log once (``LiveFold``): at 1M events, a few seconds.
    public init(ledger: Ledger, settings: ServerSettings = ServerSettings(), logger: Logger? = nil, today: @escaping @Sendable () -> CalendarDate = { Timestamp.now().date }) throws {
        self.ledger = ledger
        // Today's report and its trend at the head need the commitments in force on these days:
        // folded in the same first pass.
        let (reportingDate, trendQuarters) = FigureView.inForceDays(at: ReadPoint(), period: nil, today: today(), trend: true)
        live = try LiveFold(store: ledger.store, inForceOn: [reportingDate] + trendQuarters.map(\.lastDay))
        self.settings = settings
        self.logger = logger ?? Logger(label: "svledger.server")
        self.today = today
        do {
            credentials = try CredentialStore(ledgerPath: ledger.store.environment.path)
        } catch {
            credentials = nil
            self.logger.warning("the web app's sign-in is not available: \(error)")
        }
        idempotency = IdempotencyStore(limit: settings.rememberedKeys)
        witnessing = settings.witnesses.isEmpty ? nil : WitnessCollector(
            store: ledger.store, witnesses: settings.witnesses, quorum: max(1, settings.witnessQuorum), logger: self.logger)
        reads = ReadLimiter(concurrent: settings.limits.concurrentReads, queued: settings.limits.queuedReads)
        committer = GroupCommitter(maxGroup: settings.groupCommit ? GroupCommitter.largestGroup : 1)
        committer.committing { [weak self] group in
            self?.commitGroup(group) ?? group.map { _ in StoredAnswer(Problem(.serviceUnavailable, kind: "shutting-down", category: "storage", "the server is stopping")) }
        }
    }

    // MARK: The application

    /// Every controller's routes: reads, commands, transfers and access.
    func controllers() -> [RouteTable] {
        let reads = RouteTable(), commands = RouteTable(), transfers = RouteTable(), access = RouteTable(), web = RouteTable()
        addReadRoutes(reads)
        addTransparencyRoutes(reads)
        addEvidenceRoutes(reads)
        addDueRoutes(reads)
        addCommandRoutes(commands)
        addTransferRoutes(transfers)
        addAccessRoutes(access)
        addWebRoutes(web)
        return [reads, commands, transfers, access, web]
    }

    /// The responder every request goes through, in Hummingbird's shape: a router whose
    /// middleware observes each request (problem+json for every error, then metrics and one
    /// log line once the body is written) and applies what Hummingbird's router lacks (405 with
    /// `Allow`, 406 for `Accept`, the transfer coding), and one `RouteCollection` per
    /// controller, each route behind its own gate (who may call it) and, for a heavy read, its
    /// turn in the ``ReadLimiter``.
    public func responder() -> RouterResponder<ServerContext> { responder(controllers()) }

    func responder(_ controllers: [RouteTable]) -> RouterResponder<ServerContext> {
        let router = Router(context: ServerContext.self, options: .autoGenerateHeadEndpoints)
        let table = controllers.flatMap(\.routes)
        router.add(middleware: ObservedRequests(server: self, routes: table))
        router.add(middleware: RouteRules(routes: table))
        if let credentials {
            // The web app's session: HttpOnly, SameSite=Strict, Secure over TLS; the id is stored
            // hashed, and ends after 30 idle minutes (``WebSession``).
            let cookie = SessionCookieParameters(name: WebSession.cookie, path: "/", secure: settings.tls != nil, sameSite: .strict)
            router.add(middleware: SessionMiddleware(
                storage: CredentialSessionDriver(credentials: credentials),
                configuration: SessionMiddlewareConfiguration(sessionCookieParameters: cookie, keyPrefix: "", defaultSessionExpiration: WebSession.idle)))
        }
        for controller in controllers { router.addRoutes(controller.collection(gatedBy: self)) }
        return router.buildResponder()
    }

    /// The Hummingbird application on the settings' address, over TLS when given a certificate.
    /// - Parameter onListening: called with the port bound (useful with port 0).
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> Application<RouterResponder<ServerContext>> {
        try settings.check()
        let limits = settings.limits
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(headerTimeout: TimeAmount(limits.headerTimeout), bodyTimeout: TimeAmount(limits.bodyTimeout))],
            idleTimeout: TimeAmount(limits.idleTimeout))
        let server: HTTPServerBuilder
        if let tls = settings.tls {
            server = try .tls(.http1(configuration: http1), tlsConfiguration: try Self.tlsConfiguration(tls))
        } else {
            server = .http1(configuration: http1)
        }
        return Application(
            responder: responder(), server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: "svledger",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    static func tlsConfiguration(_ files: ServerSettings.TLSFiles) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
            guard !chain.isEmpty else { throw PlainError(.input, kind: "tls-unreadable", "\(files.certificate) holds no PEM certificate") }
            let key = try NIOSSLPrivateKey(file: files.key, format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            // Made once here, so that a key that is not the certificate's is said before listening.
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch NIOSSLError.failedToLoadPrivateKey {
                throw PlainError(
                    .input, kind: "tls-key-mismatch",
                    "the key \(files.key) is not the private key of the certificate \(files.certificate): give the key the certificate was issued for")
            }
            return configuration
        } catch let error as PlainError {
            throw error
        } catch {
            throw PlainError(.input, kind: "tls-unreadable", "cannot use the certificate \(files.certificate) with the key \(files.key): \(error)")
        }
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully (swift-service-lifecycle):
    /// the listener closes, requests in flight finish and are answered within the drain
    /// deadline (then cancelled), writes acknowledged before are durable (each is acknowledged
    /// only after its commit).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(onListening: onListening)
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Past the drain deadline what is still under way (a slow client, a long read) is
        // cancelled; a write is answered within a commit, far inside it.
        configuration.maximumGracefulShutdownDuration = settings.limits.drain
        configuration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: configuration)
        let warm = Task(priority: .background) {
            await self.rememberDecisionStates()
            await self.preparePortfolioPage()     // what people open first in the web app
            await self.prepareDefaultReport()
            self.warmedUp.withLock { $0 = true }
        }
        defer { warm.cancel() }
        let witnesses = Task(priority: .background) { await self.witnessing?.run() }
        defer { witnesses.cancel() }
        try await group.run()
        logger.info("stopped")
    }

    /// Folds every contract's decision state once the server is up and hands them to the ledger
    /// (``Ledger/remember(_:)``), so that no first command on a contract replays its stream. In
    /// the background, after the first fold: starting stays one pass, and a state whose stream
    /// has moved on meanwhile is simply not used.
    func rememberDecisionStates() async {
        let ledger = self.ledger
        _ = try? await offload {
            var states = ContractStates()
            try DecodedLog.forEach(store: ledger.store, through: try ledger.store.head().position, chained: false) { decoded in
                guard case .contract(let facts, let event) = consume decoded, let reference = ContractEvent.reference(ofStream: facts.streamId) else { return }
                states.evolve(reference, event, eventId: facts.eventId, effectiveDate: facts.effectiveDate, version: facts.streamVersion, position: facts.position)
            }
            ledger.remember(states)
        }
    }

    // MARK: Authentication

    /// The identity a request's bearer token stands for, from the access state folded once
    /// per change of the access stream.
    func authenticate(_ request: Request) throws -> AccessState.Identity {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthenticated("this route needs an Authorization: Bearer <token> header (svledger access token issue)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Problem.unauthenticated("the Authorization header must be Bearer <token>", kind: "invalid-authorization")
        }
        let state = try ledger.currentAccessState()
        do {
            return try state.identity(sha256: AccessToken.sha256(String(parts[1])), on: today())
        } catch {
            throw Problem.unauthenticated(error.message, kind: error.rule.rawValue)
        }
    }
}

/// Runs blocking ledger work (LMDB reads, verification, reports) off Swift's cooperative
/// threads, which a long read would otherwise hold, on a pool of a fixed size: however many
/// requests arrive, at most ``readThreads`` read transactions are open at once, well inside
/// LMDB's reader table (126 slots), and the rest wait their turn.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await readPool.runIfActive(work)
}

let readThreads = 8

/// One pool for the process, started once and never stopped (a stopped pool refuses work).
let readPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: readThreads)
    pool.start()
    return pool
}()

