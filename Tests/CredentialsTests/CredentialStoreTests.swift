import Credentials
import Foundation
import LedgerValues
import TestSupport
import Testing

@Suite("passwords: long enough, and not a common one")
struct PasswordPolicyTests {
    @Test("refused, with the reason shown beside the field", arguments: [
        ("short-pass1", PasswordPolicy.Refusal.tooShort),
        ("1qaz2wsx3edc", .common),                  // on the list as it is
        ("QAZWSXEDCRFV", .common),                 // on the list, in another case (qazwsxedcrfv)
        ("passwordpassword", .common),             // a common one, twice
        ("password123456", .common),               // a common one, then digits
        ("zzzzzzzzzzzzzzzz", .common),             // one character
        (String(repeating: "é", count: 40), .tooLong),  // 80 bytes: bcrypt would read only 72
    ])
    func refused(password: String, refusal: PasswordPolicy.Refusal) {
        #expect(throws: refusal) { try PasswordPolicy.check(password) }
        #expect(!refusal.message.isEmpty)
    }

    @Test("a few words together pass, whatever characters they use", arguments: ["correct horse battery staple", "Blue kettle on the moor", "ÀÉÎõü lanterns 7"])
    func accepted(password: String) throws {
        try PasswordPolicy.check(password)
    }
}

@Suite("credentials: invitations, passwords, failed sign-ins and sessions, apart from the ledger")
struct CredentialStoreTests {
    let directory = TemporaryDirectory("svledger-credentials")
    let now = Timestamp("2026-12-05T10:00:00.000Z")!

    func later(_ minutes: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch + minutes * 60_000) }

    @Test("an invitation works once, until it expires, and a new one replaces it")
    func invitations() throws {
        let store = try CredentialStore(ledgerPath: directory.path)
        #expect(store.path == directory.child("credentials"))
        let first = try store.invite(account: "sam", expiresAt: later(60))
        #expect(first.hasPrefix("inv_") && first.count == 47)
        #expect(try store.invitation(secret: first, now: now)?.account == "sam")
        #expect(try store.invitation(secret: first, now: later(60)) == nil, "expired at its instant")
        #expect(try store.invitation(secret: first + "x", now: now) == nil)

        let second = try store.invite(account: "sam", expiresAt: later(60))
        #expect(try store.invitation(secret: first, now: now) == nil, "the newer invitation replaced it")
        let hash = CredentialStore.hash(password: "correct horse battery staple")
        #expect(hash.hasPrefix("$2b$12$"), "bcrypt at cost 12")
        #expect(try store.acceptInvitation(secret: second, passwordHash: hash, now: later(1))?.account == "sam")
        #expect(try store.acceptInvitation(secret: second, passwordHash: hash, now: later(1)) == nil, "used up")
        #expect(try store.hasPassword(account: "sam"))
        #expect(try store.signIn(account: "sam", password: "correct horse battery staple", now: later(2)) == .signedIn)
    }

    @Test("ten failures in 15 minutes slow an account down, known or not, until the window passes")
    func failures() throws {
        let store = try CredentialStore(ledgerPath: directory.path)
        let secret = try store.invite(account: "sam", expiresAt: later(60))
        _ = try store.acceptInvitation(secret: secret, passwordHash: CredentialStore.hash(password: "correct horse battery staple"), now: now)
        for account in ["sam", "nobody"] {
            for attempt in 0..<CredentialStore.failureLimit {
                #expect(try store.signIn(account: account, password: "wrong password \(attempt)", now: later(Int64(attempt))) == .refused)
            }
            // The right password, too, waits: the eleventh attempt is not tried at all.
            #expect(try store.signIn(account: account, password: "correct horse battery staple", now: later(10)) == .slowed(until: later(15)))
        }
        #expect(try store.signIn(account: "sam", password: "correct horse battery staple", now: later(16)) == .signedIn, "the oldest failure has left the window")
        #expect(try store.signIn(account: "nobody", password: "correct horse battery staple", now: later(30)) == .refused)
    }

    @Test("a second factor's time step is used once: the same or an earlier step is refused")
    func secondFactorSteps() throws {
        let store = try CredentialStore(ledgerPath: directory.path)
        #expect(try store.secondFactor(account: "ada") == nil)
        #expect(try !store.useSecondFactorStep(account: "ada", step: 10), "no second factor set up")
        try store.setSecondFactor(account: "ada", secret: "key", usedStep: 100)
        #expect(try store.secondFactor(account: "ada") == "key")
        #expect(try !store.useSecondFactorStep(account: "ada", step: 100), "the step that confirmed it")
        #expect(try store.useSecondFactorStep(account: "ada", step: 101))
        #expect(try !store.useSecondFactorStep(account: "ada", step: 101), "a code seen once is not taken twice")
        #expect(try !store.useSecondFactorStep(account: "ada", step: 99))
        // Wrong codes count with wrong passwords: the tenth in 15 minutes slows the account.
        for attempt in 0..<(CredentialStore.failureLimit - 1) {
            #expect(try store.recordFailure(account: "ada", now: later(Int64(attempt))) == nil)
        }
        #expect(try store.recordFailure(account: "ada", now: later(9)) == later(15))
    }

    @Test("a session is read back until it expires, and not after it is removed")
    func sessions() throws {
        let store = try CredentialStore(ledgerPath: directory.path)
        try store.putSession("id-1", value: Array("one".utf8), expires: later(30), now: now)
        try store.putSession("id-2", value: Array("two".utf8), expires: later(5), now: now)
        #expect(try store.session("id-1", now: later(29)) == Array("one".utf8))
        #expect(try store.session("id-2", now: later(5)) == nil, "expired")
        #expect(try store.sessionWithExpiry("id-1", now: now)?.expires == later(30))
        try store.removeSession("id-1")
        #expect(try store.session("id-1", now: now) == nil)
    }

    @Test("no secret is stored as it was given: invitations and sessions under their SHA-256, passwords as bcrypt")
    func nothingInClear() throws {
        let secret: String, password = "correct horse battery staple"
        do {
            let store = try CredentialStore(ledgerPath: directory.path)
            secret = try store.invite(account: "sam", expiresAt: later(60))
            try store.putSession("session-secret-id", value: [1, 2, 3], expires: later(30), now: now)
            let other = try store.invite(account: "kim", expiresAt: later(60))
            _ = try store.acceptInvitation(secret: other, passwordHash: CredentialStore.hash(password: password), now: now)
        }
        let file = try Data(contentsOf: URL(fileURLWithPath: directory.child("credentials/data.mdb")))
        for text in [secret, "session-secret-id", password] {
            #expect(file.range(of: Data(text.utf8)) == nil, "\(text) is in the file as it was given")
        }
    }
}
