import Credentials
import Hummingbird
import LedgerValues

/// A person's own account: who they are signed in as, and their second factor, which anyone
/// may set up (an administrator must). Setting it up takes the same steps as at sign-in: the
/// key to add to an authenticator app, then a code from it.
extension LedgerServer {
    func accountPage(_ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let session = context.sessions.session, let credentials else { return Self.signInUnavailable }
        let hasSecondFactor = try await offload { try credentials.secondFactor(account: identity.account) } != nil
        return WebResponse.page(title: "Your account", session: session, main: """
            <h1>Your account</h1>
            <dl class="summary">
            <div class="row"><dt>Account</dt><dd>\(identity.account)</dd></div>
            <div class="row"><dt>Role</dt><dd>\(identity.role.rawValue)\(identity.supplier.map { " for \($0)" } ?? "")</dd></div>
            <div class="row"><dt>Second factor</dt><dd>\(hasSecondFactor ? "Set up: every sign-in asks for a code from your authenticator app." : "Not set up.")</dd></div>
            </dl>
            <form method="post" action="/app/account/second-factor">\(WebPage.formToken(session))
            <button type="submit" class="button secondary">\(hasSecondFactor ? "Set up the second factor again, on a new phone" : "Set up a second factor")</button>
            </form>
            <p>To change your password, ask your administrator for a new invitation link.</p>
            """)
    }

    /// Starts setting up a second factor: the session asks for its code before anything else.
    func startSecondFactor(_ context: ServerContext) -> Response {
        guard var session = context.sessions.session else { return WebResponse.redirect("/app/sign-in") }
        session.secondFactor = .enrol(secret: SecondFactor.newSecret())
        _ = context.sessions.updateSession(session, expiresIn: WebSession.secondFactorWait)
        return WebResponse.redirect("/app/sign-in/code?next=/app/account")
    }
}
