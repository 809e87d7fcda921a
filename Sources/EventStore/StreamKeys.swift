import LedgerValues
/// Keys of the `streams` index: stream id, one 0x00 byte, big-endian version.
enum StreamKeys {
    static let maxStreamIdBytes = 200

    /// Why `streamId` cannot be used, or `nil` if it can.
    static func problem(with streamId: String) -> String? {
        let count = streamId.utf8.count
        if count == 0 { return "it is empty" }
        if count > maxStreamIdBytes { return "it is \(count) bytes long; the limit is \(maxStreamIdBytes)" }
        if streamId.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains a control character"
        }
        return nil
    }

    static func key(stream: String, version: UInt64) -> [UInt8] {
        var key = Array(stream.utf8)
        key.append(0)
        key.append(contentsOf: Bytes.bigEndian(version))
        return key
    }

    /// The smallest key after every key of `stream`: its id followed by 0x01.
    static func pastEnd(of stream: String) -> [UInt8] { Array(stream.utf8) + [1] }

    /// Splits a stored key into stream id and version.
    static func parse(_ key: UnsafeRawBufferPointer) -> (stream: String, version: UInt64)? {
        guard key.count >= 9, key[key.count - 9] == 0 else { return nil }
        let stream = String(decoding: UnsafeRawBufferPointer(rebasing: key[0..<(key.count - 9)]), as: UTF8.self)
        guard let version = Bytes.readBigEndian(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])) else {
            return nil
        }
        return (stream, version)
    }
}

extension EventStore {
    /// Why `streamId` cannot name a stream (empty, over 200 bytes, a control character), or
    /// `nil` if it can: for front ends that check a stream id they are given before looking it up.
    public static func streamIdProblem(_ streamId: String) -> String? { StreamKeys.problem(with: streamId) }
}
