import Foundation
import LedgerValues
import Logging

/// Structured logs: one JSON object per line on standard error, with the time, level, label,
/// message and every metadata value as a member (`{"level":"info","message":"request",
/// "route":"/contracts/{contract}","status":"200",…}`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let label: String

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        logLevel = level
    }

    /// Makes every `Logger` of the process write JSON lines; `LOG_LEVEL` (trace … critical) sets the level.
    public static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var members: [String: JSONValue] = [
            "time": .string(Timestamp.now().description), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description),
        ]
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let given = event.metadata { all.merge(given) { $1 } }
        for (key, value) in all where members[key] == nil { members[key] = Self.json(value) }
        if let error = event.error { members["error"] = .string("\(error)") }
        let line = JSONValue.object(JSONObject(members)).canonicalText + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members): .object(JSONObject(members.mapValues(json)))
        }
    }
}
