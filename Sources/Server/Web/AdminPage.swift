import Access
import Credentials
import Hummingbird
import LedgerValues
import Ledger
import Reports

/// Administration: who holds which role, granted by whom and when, whether each person has
/// been invited and has chosen a password, and when they last signed in; and the forms that
/// grant a role, invite a person and revoke a role. Each form records the same access command
/// the API and `svledger access` record, with the administrator as the actor. Auditors see the
/// page without its forms (they read the access stream; only an administrator changes it).
extension LedgerServer {
    func adminPage(_ context: ServerContext, notice: HTML = .empty, errors: [WebPage.FieldError] = [], values: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let identity = try context.requireIdentity()
        let session = context.sessions.session
        let state = try await offload { try self.ledger.currentAccessState() }
        let signIns = try await offload { try self.credentials?.lastSignIns() ?? [:] }
        let administers = Authorization.allows(.accessCommand, identity.role)

        let rows: [HTML] = AccessListing.grants(state).map { grant in
            let facts = state.signIns[grant.account]
            let password: String
            if let set = facts?.passwordSetAt {
                let last = signIns[grant.account].flatMap { $0 }
                password = "Chosen \(set.date.longForm)" + (last.map { "; last signed in \($0.date.longForm)" } ?? "; not signed in since")
            } else if let invited = facts?.invitedAt {
                password = "Invited \(invited.date.longForm) by \(facts?.invitedBy ?? "–"); no password yet"
            } else {
                password = "Not invited"
            }
            let revoke: HTML = administers && grant.account != identity.account
                ? """
                    <form method="post" action="/app/admin/revoke" class="inline-form">\(WebPage.formToken(session!))
                    <input type="hidden" name="account" value="\(grant.account)"><input type="hidden" name="role" value="\(grant.role.rawValue)">
                    <button type="submit" class="link-button">Revoke<span class="visually-hidden"> \(grant.role.rawValue) from \(grant.account)</span></button></form>
                    """
                : .empty
            return """
                <tr><th scope="row">\(grant.account)</th><td>\(grant.role.rawValue)\(grant.supplier.map { " for \($0)" } ?? "")</td>
                <td>\(grant.grantedBy), \(grant.grantedAt.date.longForm)</td><td>\(password)</td><td>\(revoke)</td></tr>
                """
        }
        let forms: HTML = administers ? Self.adminForms(session: session!, state: state, errors: errors, values: values) : .empty
        return WebResponse.page(status: status, title: (errors.isEmpty ? "" : "Error: ") + "People and roles", session: session, main: """
            \(WebPage.errorSummary(errors))\(notice)
            <h1>People and roles</h1>
            <p>Every grant, revocation and invitation is an event in the ledger, with the administrator who made it. Passwords and links are kept apart from it, and never shown again.</p>
            <table>
            <thead><tr><th scope="col">Account</th><th scope="col">Role</th><th scope="col">Granted by</th><th scope="col">Password</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(forms)
            """)
    }

    static func adminForms(session: WebSession, state: AccessState, errors: [WebPage.FieldError], values: [String: String]) -> HTML {
        let roles: [HTML] = Role.allCases.map { role in
            "<option value=\"\(role.token)\"\(values["role"] == role.token ? HTML(" selected") : .empty)>\(role.rawValue)</option>"
        }
        let accounts = Array(Set(state.grants.map(\.account))).sorted()
        let invitees: [HTML] = accounts.map { "<option value=\"\($0)\"\(values["invite-account"] == $0 ? HTML(" selected") : .empty)>\($0)</option>" }
        return """
            <h2>Grant a role</h2>
            <form method="post" action="/app/admin/grant" novalidate>\(WebPage.formToken(session))
            \(WebPage.field("account", label: "Account", value: values["account"] ?? "", hint: "Letters, digits, '.', '_', '-' or '@', as people will sign in (an e-mail address fits)", errors: errors))
            <div class="field"><label for="role">Role</label><select id="role" name="role">\(roles)</select></div>
            \(WebPage.field("supplier", label: "Supplier organisation (for the Supplier role only)", value: values["supplier"] ?? "", hint: "As contracts name their supplier", errors: errors))
            <button type="submit" class="button">Grant</button>
            </form>
            <h2>Invite a person to choose a password</h2>
            <form method="post" action="/app/admin/invite" novalidate>\(WebPage.formToken(session))
            <div class="field"><label for="invite-account">Account</label><select id="invite-account" name="invite-account">\(invitees)</select></div>
            <button type="submit" class="button">Make an invitation link</button>
            </form>
            """
    }

    /// Runs one access command from the page, as the signed-in administrator.
    func adminCommand(_ request: Request, _ context: ServerContext, _ action: String) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = context.form ?? WebForm([:])
        let today = today()
        let command: AccessCommand
        var errors: [WebPage.FieldError] = []
        switch action {
        case "grant":
            let account = form.text("account"), supplier = form.text("supplier")
            guard let role = Role(named: form.text("role")) else { return try await adminPage(context, errors: [.init(field: "role", message: "Choose a role")], values: form.fields, status: .unprocessableContent) }
            if account.isEmpty { errors.append(.init(field: "account", message: "Enter the account to grant the role to")) }
            command = .grant(account: account, role: role, supplier: role == .supplier ? (supplier.isEmpty ? nil : supplier) : nil)
        case "invite":
            command = .invite(account: form.text("invite-account"), expiresOn: Invitations.lastDay(days: Invitations.defaultDays, today: today))
        default:
            guard let role = Role(named: form.text("role")) else { return WebResponse.refused("That revocation names no role, so nothing was done.") }
            command = .revoke(account: form.text("account"), role: role)
        }
        guard errors.isEmpty else { return try await adminPage(context, errors: errors, values: form.fields, status: .unprocessableContent) }
        guard let credentials else { return Self.signInUnavailable }
        let ledger = self.ledger, actor = ActorIdentity(id: identity.account, role: identity.role.rawValue)
        do {
            _ = try await committer.exclusive { try ledger.executeAccess(command, actor: actor, reason: nil, today: today) }
        } catch let error as AccessError {
            let field = error.rule == .supplierOrganisation ? "supplier" : action == "invite" ? "invite-account" : "account"
            return try await adminPage(context, errors: [.init(field: field, message: error.message)], values: form.fields, status: .unprocessableContent)
        }
        let notice: HTML
        switch command {
        case .invite(let account, let lastDay):
            let secret = try await offload { try credentials.invite(account: account, expiresAt: Timestamp.endOf(lastDay)) }
            notice = """
                <div class="notice success" role="status"><p>Send this link to <strong>\(account)</strong> yourself. It is shown only now, works once, and until the end of \(lastDay.longForm):</p>
                <p><code class="link">\(settings.tls == nil ? "http" : "https")://\(request.head.authority ?? "this-server")\(Invitations.path(secret))</code></p></div>
                """
        case .grant(let account, let role, _):
            notice = "<div class=\"notice success\" role=\"status\"><p>\(account) now holds the role \(role.rawValue). Invite them below to choose a password.</p></div>"
        default:
            notice = "<div class=\"notice success\" role=\"status\"><p>The role is revoked. Any session in it ends at its next request.</p></div>"
        }
        return try await adminPage(context, notice: notice)
    }
}
