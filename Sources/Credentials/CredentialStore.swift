import Crypto
import HummingbirdBcrypt
import LMDB
import LedgerValues

/// The secrets that let people sign in: invitations, password hashes, sessions, and the recent
/// failed sign-ins that slow an account down.
///
/// They are kept apart from the ledger, in an LMDB environment of their own (the folder
/// `credentials` inside the ledger's folder), because they are secrets and some are personal
/// data: the chained log is exported, verified and read by auditors, and backed up whole. What
/// happens to access stays in the log as facts (granted, invited, password set: who and when),
/// never the secret. A backup of the ledger does not hold this folder: back it up separately
/// (docs/web-app.md, "Backing up sign-ins").
public final class CredentialStore: Sendable {
    public let path: String
    private let environment: Environment
    private let invitations: Database
    private let passwords: Database
    private let sessions: Database
    private let failures: Database
    private let secondFactors: Database

    /// The bcrypt cost of new password hashes: 2^12 rounds, about a quarter of a second here.
    public static let bcryptCost: UInt8 = 12
    /// Failed sign-ins to one account within ``failureWindow`` before it is slowed down.
    public static let failureLimit = 10
    /// 15 minutes.
    public static let failureWindowMilliseconds: Int64 = 15 * 60 * 1000

    /// The credentials folder of the ledger at `ledgerPath`.
    public static func path(forLedger ledgerPath: String) -> String { ledgerPath + "/credentials" }

    /// Opens the ledger's credentials, creating them on first use.
    public init(ledgerPath: String) throws {
        path = Self.path(forLedger: ledgerPath)
        var options = Environment.Options()
        options.mapSize = 1 << 26
        environment = try Environment(path: path, options: options)
        (invitations, passwords, sessions, failures, secondFactors) = try environment.write { transaction in
            (
                try transaction.openDatabase("invitations", flags: .create), try transaction.openDatabase("passwords", flags: .create),
                try transaction.openDatabase("sessions", flags: .create), try transaction.openDatabase("failures", flags: .create),
                try transaction.openDatabase("second-factors", flags: .create)
            )
        }
    }

    // MARK: - Invitations

    /// A one-time invitation to choose a password, as stored under its secret's SHA-256.
    public struct Invitation: Sendable, Equatable {
        public let account: String
        public let expiresAt: Timestamp

        /// The last day it works (it stops at the end of it).
        public var lastDay: CalendarDate { Timestamp(millisecondsSinceEpoch: expiresAt.millisecondsSinceEpoch - 1).date }

        public init(account: String, expiresAt: Timestamp) {
            self.account = account
            self.expiresAt = expiresAt
        }
    }

    /// Stores a new invitation for `account` and returns its secret, which goes into the link
    /// and is shown once: only its SHA-256 is kept. An earlier invitation still open for the
    /// same account stops working.
    public func invite(account: String, expiresAt: Timestamp) throws -> String {
        let secret = "inv_" + Bytes.base64url(Bytes.random(32))
        try environment.write { transaction in
            let stale: [[UInt8]] = try transaction.withCursor(invitations) { cursor in
                var stale: [[UInt8]] = []
                var entry = try cursor.first()
                while let found = entry {
                    if Self.decodeInvitation(Array(found.value))?.account == account { stale.append(Array(found.key)) }
                    entry = try cursor.next()
                }
                return stale
            }
            for key in stale { try transaction.delete(invitations, key: key) }
            let record: JSONValue = ["account": .string(account), "expiresAt": .string(expiresAt.description)]
            try transaction.put(invitations, key: Self.digest(secret), value: record.canonicalBytes)
        }
        return secret
    }

    /// The open invitation a secret stands for: `nil` when there is none, it was used, or it has expired.
    public func invitation(secret: String, now: Timestamp) throws -> Invitation? {
        let stored = try environment.read { try $0.get(invitations, key: Self.digest(secret)) }
        guard let stored, let invitation = Self.decodeInvitation(stored), invitation.expiresAt > now else { return nil }
        return invitation
    }

    /// Sets the password of the invitation's account and uses the invitation up, in one
    /// transaction. The caller has checked the invitation (``invitation(secret:now:)``) and the
    /// password (``PasswordPolicy``), and recorded the fact in the ledger.
    public func acceptInvitation(secret: String, passwordHash: String, now: Timestamp) throws -> Invitation? {
        try environment.write { transaction in
            let key = Self.digest(secret)
            guard let stored = try transaction.get(invitations, key: key), let invitation = Self.decodeInvitation(stored),
                invitation.expiresAt > now
            else { return nil }
            try transaction.delete(invitations, key: key)
            let record: JSONValue = ["bcrypt": .string(passwordHash), "setAt": .string(now.description)]
            try transaction.put(passwords, key: Array(invitation.account.utf8), value: record.canonicalBytes)
            try transaction.delete(failures, key: Array(invitation.account.utf8))
            return invitation
        }
    }

    /// bcrypt of `password` at ``bcryptCost``: slow on purpose, so call it off the event loop.
    public static func hash(password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }

    // MARK: - Signing in

    public enum SignIn: Sendable, Equatable {
        case signedIn
        /// The account or the password is wrong (which one is never said).
        case refused
        /// Too many failures lately: no password is tried until `until`.
        case slowed(until: Timestamp)
    }

    /// Checks `password` for `account`. A failure is counted against the account name whether
    /// or not it exists, and an unknown account costs the same bcrypt as a known one, so the
    /// answer and its timing never tell whether an account exists.
    public func signIn(account: String, password: String, now: Timestamp) throws -> SignIn {
        let key = Array(account.utf8)
        let (stored, recent) = try environment.read { transaction in
            (try transaction.get(passwords, key: key), Self.recentFailures(try transaction.get(failures, key: key), now: now))
        }
        if let until = Self.slowedUntil(recent) { return .slowed(until: until) }
        let hash = stored.flatMap { try? JSONValue(parsing: $0)["bcrypt"]?.stringValue } ?? Self.unknownAccountHash
        if Bcrypt.verify(password, hash: hash), let stored, case .object(var record) = try? JSONValue(parsing: stored) {
            record["lastSignInAt"] = .string(now.description)
            try environment.write { transaction in
                try transaction.delete(failures, key: key)
                try transaction.put(passwords, key: key, value: JSONValue.object(record).canonicalBytes)
            }
            return .signedIn
        }
        try recordFailure(account: account, now: now)
        return .refused
    }

    /// When each account that has a password last signed in (`nil`: not since choosing it).
    public func lastSignIns() throws -> [String: Timestamp?] {
        try environment.read { transaction in
            try transaction.withCursor(passwords) { cursor in
                var found: [String: Timestamp?] = [:]
                var entry = try cursor.first()
                while let row = entry {
                    let record = try? JSONValue(parsing: Array(row.value))
                    found[String(decoding: Array(row.key), as: UTF8.self)] = record?["lastSignInAt"]?.stringValue.flatMap(Timestamp.init)
                    entry = try cursor.next()
                }
                return found
            }
        }
    }

    /// Whether `account` has chosen a password.
    public func hasPassword(account: String) throws -> Bool {
        try environment.read { try $0.get(passwords, key: Array(account.utf8)) } != nil
    }

    /// A hash of a password nobody has, verified against for an unknown account.
    private static let unknownAccountHash = Bcrypt.hash(Bytes.base64url(Bytes.random(16)), cost: bcryptCost)

    private static func recentFailures(_ stored: [UInt8]?, now: Timestamp) -> [Timestamp] {
        guard let stored, let times = (try? JSONValue(parsing: stored))?.arrayValue else { return [] }
        let since = now.millisecondsSinceEpoch - failureWindowMilliseconds
        return times.compactMap { $0.stringValue.flatMap(Timestamp.init) }.filter { $0.millisecondsSinceEpoch > since }
    }

    // MARK: - Second factors

    /// The TOTP secret an account set up, if any.
    public func secondFactor(account: String) throws -> String? {
        let stored = try environment.read { try $0.get(secondFactors, key: Array(account.utf8)) }
        return stored.flatMap { try? JSONValue(parsing: $0)["secret"]?.stringValue }
    }

    /// Sets up (or replaces) an account's TOTP secret, with the time step of the code that
    /// confirmed it as already used.
    public func setSecondFactor(account: String, secret: String, usedStep: Int64) throws {
        let record: JSONValue = ["secret": .string(secret), "lastStep": .integer(usedStep)]
        try environment.write { try $0.put(secondFactors, key: Array(account.utf8), value: record.canonicalBytes) }
    }

    /// Marks a code's time step as used, in one transaction: false when that step, or a later
    /// one, was already used, so that a code seen over a shoulder cannot be used again.
    public func useSecondFactorStep(account: String, step: Int64) throws -> Bool {
        try environment.write { transaction in
            guard let stored = try transaction.get(secondFactors, key: Array(account.utf8)),
                case .object(var record) = try JSONValue(parsing: stored)
            else { return false }
            if let last = record["lastStep"]?.integerValue, step <= last { return false }
            record["lastStep"] = .integer(step)
            try transaction.put(secondFactors, key: Array(account.utf8), value: JSONValue.object(record).canonicalBytes)
            return true
        }
    }

    /// Counts a failed attempt against `account` (a wrong second-factor code counts as a wrong
    /// password does), and says until when it is slowed down, if it now is.
    @discardableResult
    public func recordFailure(account: String, now: Timestamp) throws -> Timestamp? {
        let key = Array(account.utf8)
        let failed = try environment.write { transaction in
            let failed = Self.recentFailures(try transaction.get(failures, key: key), now: now) + [now]
            try transaction.put(failures, key: key, value: JSONValue.array(failed.map { .string($0.description) }).canonicalBytes)
            return failed
        }
        return Self.slowedUntil(failed)
    }

    private static func slowedUntil(_ recent: [Timestamp]) -> Timestamp? {
        guard recent.count >= failureLimit, let oldest = recent.first else { return nil }
        return Timestamp(millisecondsSinceEpoch: oldest.millisecondsSinceEpoch + failureWindowMilliseconds)
    }

    // MARK: - Sessions

    /// The stored value of session `id`, unless it has expired.
    public func session(_ id: String, now: Timestamp) throws -> [UInt8]? { try sessionWithExpiry(id, now: now)?.value }

    /// The stored value of session `id` and when it expires, unless it has.
    public func sessionWithExpiry(_ id: String, now: Timestamp) throws -> (value: [UInt8], expires: Timestamp)? {
        guard let stored = try environment.read({ try $0.get(sessions, key: Self.digest(id)) }), stored.count >= 8,
            let expires = Bytes.readBigEndian(stored), Int64(bitPattern: expires) > now.millisecondsSinceEpoch
        else { return nil }
        return (Array(stored[8...]), Timestamp(millisecondsSinceEpoch: Int64(bitPattern: expires)))
    }

    /// Stores session `id` (under its SHA-256: a stolen copy of this folder holds no cookie)
    /// until `expires`; expired sessions are swept out on the way.
    public func putSession(_ id: String, value: [UInt8], expires: Timestamp, now: Timestamp) throws {
        try environment.write { transaction in
            try transaction.put(sessions, key: Self.digest(id), value: Bytes.bigEndian(UInt64(bitPattern: expires.millisecondsSinceEpoch)) + value)
            try sweepSessions(transaction, now: now)
        }
    }

    public func removeSession(_ id: String) throws {
        // Whether a session was there to delete does not matter: signing out twice is fine.
        _ = try environment.write { try $0.delete(sessions, key: Self.digest(id)) }
    }

    /// Deletes up to a few expired sessions: each write does a little of the sweeping.
    private func sweepSessions(_ transaction: Transaction, now: Timestamp) throws {
        let expired: [[UInt8]] = try transaction.withCursor(sessions) { cursor in
            var expired: [[UInt8]] = []
            var entry = try cursor.first()
            while let found = entry, expired.count < 16 {
                if let expires = Bytes.readBigEndian(found.value), Int64(bitPattern: expires) <= now.millisecondsSinceEpoch {
                    expired.append(Array(found.key))
                }
                entry = try cursor.next()
            }
            return expired
        }
        for key in expired { try transaction.delete(sessions, key: key) }
    }

    // MARK: -

    private static func digest(_ secret: String) -> [UInt8] { Array(SHA256.hash(data: Array(secret.utf8))) }

    private static func decodeInvitation(_ bytes: [UInt8]) -> Invitation? {
        guard let json = try? JSONValue(parsing: bytes), let account = json["account"]?.stringValue,
            let expires = json["expiresAt"]?.stringValue.flatMap(Timestamp.init)
        else { return nil }
        return Invitation(account: account, expiresAt: expires)
    }
}
