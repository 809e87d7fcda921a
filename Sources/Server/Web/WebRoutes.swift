import Access
import Credentials
import Foundation
import Hummingbird
import HummingbirdAuth
import LedgerValues
import Ledger
import Queries
import Reports
import SocialValue

/// The web app's pages (docs/web-app.md): signing in, choosing a password from an invitation,
/// signing out, and the portfolio. Each route declares its access where it is registered; the
/// ``WebGate`` in front of it checks the session, the role and the form token first.
extension LedgerServer {
    func addWebRoutes(_ routes: RouteTable) {
        routes.add(.get, "/", access: .openPage, produces: ["text/html"]) { _, _ in WebResponse.redirect("/app") }
        routes.add(.get, "/app/style.css", access: .openPage, produces: ["text/css"]) { _, _ in WebStyle.response }
        // Browsers ask for an icon on every page: none, rather than a 404 in the log each time.
        routes.add(.get, "/favicon.ico", access: .openPage, produces: ["image/x-icon"]) { _, _ in Response(status: .noContent) }
        routes.add(.get, "/app/sign-in", access: .openPage, produces: ["text/html"]) { request, context in self.signInPage(request, context) }
        routes.add(.post, "/app/sign-in", access: .openPage, produces: ["text/html"]) { request, context in try await self.signIn(request, context) }
        routes.add(.get, "/app/invitations/{secret}", access: .openPage, produces: ["text/html"]) { _, context in try await self.invitationPage(context) }
        routes.add(.post, "/app/invitations/{secret}", access: .openPage, produces: ["text/html"]) { _, context in try await self.acceptInvitation(context) }
        routes.add(.get, "/app/sign-in/code", access: .openPage, produces: ["text/html"]) { request, context in try await self.codePage(request, context) }
        routes.add(.post, "/app/sign-in/code", access: .openPage, produces: ["text/html"]) { request, context in try await self.checkCode(request, context) }
        routes.add(.get, "/app/account", access: .page(nil), produces: ["text/html"]) { _, context in try await self.accountPage(context) }
        routes.add(.post, "/app/account/second-factor", access: .page(nil), produces: ["text/html"]) { _, context in self.startSecondFactor(context) }
        routes.add(.post, "/app/sign-out", access: .page(nil), produces: ["text/html"]) { _, context in self.signOut(context) }
        routes.add(.get, "/app", access: .page(.listContracts), produces: ["text/html"]) { request, context in try await self.portfolioPage(request, context) }
        routes.add(.get, "/app/contracts/{contract}", access: .page(.showContract), produces: ["text/html"]) { request, context in
            try await self.contractPage(request, context)
        }
        routes.add(.get, "/app/due", access: .page(.due), produces: ["text/html"]) { request, context in try await self.duePage(request, context) }
        routes.add(.get, "/app/audit", access: .page(.verify), produces: ["text/html"]) { request, context in try await self.auditPage(request, context) }
        routes.add(.get, "/app/audit/export.ndjson", access: .page(.exportNDJSON), produces: ["application/x-ndjson"]) { request, context in
            try await self.exportPage(request, context)
        }
        routes.add(.get, "/app/audit/compare", access: .page(.contractAudit), produces: ["text/html"]) { request, context in
            try await self.comparePage(request, context)
        }
        routes.add(.get, "/app/reports/cabinet", access: .page(.cabinetReport), produces: ["text/html"]) { request, context in self.reportPage(request, context) }
        routes.add(.get, "/app/reports/cabinet/report", access: .page(.cabinetReport), produces: ["text/html"]) { request, context in
            try await self.reportDocument(request, context)
        }
        routes.add(.get, "/app/admin", access: .page(.accessList), produces: ["text/html"]) { _, context in try await self.adminPage(context) }
        for action in ["grant", "invite", "revoke"] {
            routes.add(.post, "/app/admin/\(action)", access: .page(.accessCommand), produces: ["text/html"]) { request, context in
                try await self.adminCommand(request, context, action)
            }
        }
        routes.add(.get, "/app/contracts/{contract}/actions/{action}", access: .page(.command), produces: ["text/html"]) { _, context in
            try await self.actionPage(context)
        }
        routes.add(.post, "/app/contracts/{contract}/actions/{action}", access: .page(.command), produces: ["text/html"]) { _, context in
            try await self.submitAction(context)
        }
        routes.add(.get, "/app/contracts/{contract}/pledge", access: .page(.importPortal), produces: ["text/html"]) { _, context in
            try await self.pledgePage(context)
        }
        routes.add(.post, "/app/contracts/{contract}/pledge", access: .page(.importPortal), produces: ["text/html"]) { _, context in
            try await self.submitPledge(context)
        }
        routes.add(.get, "/app/register", access: .page(.command), produces: ["text/html"]) { _, context in try await self.registerPage(context) }
        routes.add(.post, "/app/register", access: .page(.command), produces: ["text/html"]) { _, context in try await self.submitRegister(context) }
        routes.add(.get, "/app/contracts/{contract}/review", access: .page(.command), produces: ["text/html"]) { _, context in
            try await self.reviewPage(context)
        }
        routes.add(.post, "/app/contracts/{contract}/review", access: .page(.command), produces: ["text/html"]) { _, context in
            try await self.submitReview(context)
        }
        routes.add(.get, "/app/contracts/{contract}/spreadsheet", access: .page(.command), produces: ["text/html"]) { _, context in
            try await self.spreadsheetPage(context)
        }
        routes.add(.post, "/app/contracts/{contract}/spreadsheet", access: .page(.command), produces: ["text/html"]) { _, context in
            try await self.submitSpreadsheet(context)
        }
        routes.add(.get, "/app/contracts/{contract}/spreadsheet/template", access: .page(.command),
                   produces: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"]) { request, context in
            try await self.spreadsheetTemplate(request, context)
        }
        routes.add(.get, "/app/contracts/{contract}/evidence/{sha256}", access: .page(.readEvidence), produces: ["application/octet-stream"]) { _, context in
            try await self.evidenceDownload(context)
        }
        for kind in [ReturnKind.report, .correction] {
            routes.add(.get, "/app/contracts/{contract}/\(kind.path)", access: .page(.command), produces: ["text/html"]) { request, context in
                try await self.returnPage(request, context, kind: kind)
            }
            routes.add(.post, "/app/contracts/{contract}/\(kind.path)", access: .page(.command), produces: ["text/html"]) { request, context in
                try await self.submitReturn(request, context, kind: kind)
            }
        }
    }

    // MARK: Signing in

    func signInPage(_ request: Request, _ context: ServerContext, account: String = "", errors: [WebPage.FieldError] = [], status: HTTPResponse.Status = .ok) -> Response {
        if context.sessions.session != nil, errors.isEmpty { return WebResponse.redirect("/app") }
        let query = request.uri.queryParameters
        let notice: HTML = query["notice"].map { "<div class=\"notice\" role=\"status\"><p>\(String($0))</p></div>" } ?? .empty
        let next = Self.localPath(query["next"].map(String.init)) ?? "/app"
        return WebResponse.page(status: status, title: errors.isEmpty ? "Sign in" : "Error: Sign in", main: """
            \(WebPage.errorSummary(errors))\(notice)
            <h1>Sign in</h1>
            <form method="post" action="/app/sign-in?next=\(next.addingFormEncoding)" novalidate>
            \(WebPage.field("account", label: "Account", value: account, autocomplete: "username", errors: errors))
            \(WebPage.field("password", label: "Password", type: "password", autocomplete: "current-password", errors: errors))
            <button type="submit" class="button">Sign in</button>
            </form>
            <p>No password yet? Ask your administrator for an invitation link.</p>
            """)
    }

    func signIn(_ request: Request, _ context: ServerContext) async throws -> Response {
        let form = context.form ?? WebForm([:])
        let account = form.text("account"), password = form["password"] ?? ""
        guard !account.isEmpty, !password.isEmpty else {
            var errors: [WebPage.FieldError] = []
            if account.isEmpty { errors.append(.init(field: "account", message: "Enter your account")) }
            if password.isEmpty { errors.append(.init(field: "password", message: "Enter your password")) }
            return signInPage(request, context, account: account, errors: errors, status: .unprocessableContent)
        }
        guard let credentials else { return Self.signInUnavailable }
        let now = Timestamp.now()
        let outcome = try await offload { try credentials.signIn(account: account, password: password, now: now) }
        let state = try await offload { try self.ledger.currentAccessState() }
        switch outcome {
        case .signedIn:
            if let grant = state.grants(of: account).first {
                // A second factor when the account has one, and always for an administrator
                // (who sets one up now if it has none).
                let secret = try await offload { try credentials.secondFactor(account: account) }
                let pending: WebSession.PendingFactor? =
                    secret != nil ? .code : grant.role == .administrator ? .enrol(secret: SecondFactor.newSecret()) : nil
                // A new session id at every sign-in: an id known before it (fixation) is dropped.
                if let old = request.cookies[WebSession.cookie]?.value { try? credentials.removeSession(String(old)) }
                context.sessions.createSession(
                    WebSession(
                        account: account, role: grant.role, grantedAt: grant.grantedAt.millisecondsSinceEpoch,
                        formToken: Bytes.base64url(Bytes.random(32)), startedAt: now.millisecondsSinceEpoch, seenAt: now.millisecondsSinceEpoch,
                        secondFactor: pending),
                    expiresIn: pending == nil ? WebSession.idle : WebSession.secondFactorWait)
                let next = Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "/app"
                guard pending == nil else {
                    logger.notice("password accepted; second factor asked", metadata: ["account": .string(account)])
                    return WebResponse.redirect("/app/sign-in/code?next=" + next.addingFormEncoding)
                }
                logger.notice("signed in", metadata: ["account": .string(account), "role": .string(grant.role.rawValue)])
                return WebResponse.redirect(next)
            }
            logger.notice("sign-in refused: the account holds no role", metadata: ["account": .string(account)])
        case .refused:
            logger.notice("sign-in refused", metadata: ["account": .string(account)])
        case .slowed(let until):
            logger.warning("sign-in slowed: too many failures", metadata: ["account": .string(account), "until": .string(until.description)])
            let minutes = max(1, Int((until.millisecondsSinceEpoch - now.millisecondsSinceEpoch + 59_999) / 60_000))
            return signInPage(request, context, account: account, errors: [
                .init(field: "password", message: "There have been too many attempts to sign in to this account. Wait \(minutes) minute\(minutes == 1 ? "" : "s") and try again."),
            ], status: .tooManyRequests)
        }
        return signInPage(request, context, account: account, errors: [
            .init(field: "password", message: "The account or password is not right. Check them and try again."),
        ], status: .unauthorized)
    }

    func signOut(_ context: ServerContext) -> Response {
        if let session = context.sessions.session { logger.notice("signed out", metadata: ["account": .string(session.account)]) }
        context.sessions.clearSession()
        return WebResponse.redirect("/app/sign-in?notice=" + "You have signed out.".addingFormEncoding)
    }

    /// `next` when it is a path of this server's (not `//elsewhere`), else `nil`.
    static func localPath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return nil }
        return next
    }

    static var signInUnavailable: Response {
        WebResponse.page(status: .serviceUnavailable, title: "Signing in is not available", main: """
            <h1>Signing in is not available</h1>
            <p>This server could not open its sign-in credentials (the ledger's folder, credentials/). Ask whoever runs it to look at its log.</p>
            """)
    }

    // MARK: Invitations

    func invitationPage(_ context: ServerContext, errors: [WebPage.FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let credentials else { return Self.signInUnavailable }
        let secret = context.parameters.get("secret") ?? ""
        let now = Timestamp.now()
        guard let invitation = try await offload({ try credentials.invitation(secret: secret, now: now) }) else { return Self.invitationGone }
        return WebResponse.page(status: status, title: errors.isEmpty ? "Choose your password" : "Error: Choose your password", main: """
            \(WebPage.errorSummary(errors))
            <h1>Choose your password</h1>
            <p>You have been invited to svledger as <strong>\(invitation.account)</strong>. This link works once, until the end of \(invitation.lastDay.longForm).</p>
            <form method="post" action="/app/invitations/\(secret)" novalidate>
            <input type="text" name="account" value="\(invitation.account)" autocomplete="username" hidden>
            \(WebPage.field("password", label: "Password", type: "password", hint: "At least \(PasswordPolicy.minimumLength) characters. Three or four random words together make a strong password that is easy to remember.", autocomplete: "new-password", errors: errors))
            \(WebPage.field("confirm", label: "Type the password again", type: "password", autocomplete: "new-password", errors: errors))
            <button type="submit" class="button">Set password</button>
            </form>
            """)
    }

    func acceptInvitation(_ context: ServerContext) async throws -> Response {
        guard let credentials else { return Self.signInUnavailable }
        let secret = context.parameters.get("secret") ?? ""
        let form = context.form ?? WebForm([:])
        let password = form["password"] ?? "", confirm = form["confirm"] ?? ""
        let now = Timestamp.now()
        guard let invitation = try await offload({ try credentials.invitation(secret: secret, now: now) }) else { return Self.invitationGone }
        var errors: [WebPage.FieldError] = []
        do {
            try PasswordPolicy.check(password)
            if password != confirm { errors.append(.init(field: "confirm", message: "The two passwords are not the same. Type the same password twice.")) }
        } catch {
            errors.append(.init(field: "password", message: error.message))
        }
        guard errors.isEmpty else { return try await invitationPage(context, errors: errors, status: .unprocessableContent) }

        let state = try await offload { try self.ledger.currentAccessState() }
        guard let grant = state.grants(of: invitation.account).first else { return Self.invitationGone }
        let hash = try await offload { CredentialStore.hash(password: password) }
        let ledger = self.ledger, today = today()
        // The fact first (who chose a password, when), then the secret: a failure between the
        // two leaves the link open, to be used again.
        _ = try await committer.exclusive {
            try ledger.executeAccess(
                .setPassword(account: invitation.account), actor: ActorIdentity(id: invitation.account, role: grant.role.rawValue), reason: nil, today: today)
        }
        guard try await offload({ try credentials.acceptInvitation(secret: secret, passwordHash: hash, now: now) }) != nil else { return Self.invitationGone }
        logger.notice("password set from an invitation", metadata: ["account": .string(invitation.account)])
        return WebResponse.redirect("/app/sign-in?notice=" + "Your password is set. Sign in with it now.".addingFormEncoding)
    }

    static var invitationGone: Response {
        WebResponse.page(status: .notFound, title: "This link does not work", main: """
            <h1>This link does not work</h1>
            <p>It may have expired, or been used already, or a newer invitation may have replaced it. Ask your administrator to invite you again.</p>
            <p>If you have set your password, <a href="/app/sign-in">sign in</a>.</p>
            """)
    }
}
