import HTTPTypes
import LedgerValues
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// One per connection, in the HTTP/1 pipeline after the request decoder: the deadlines that
/// Hummingbird's idle timeout does not give, and a body for the 400 it writes when a request
/// cannot be parsed.
///
/// - The first request's head must arrive within `headerTimeout` of the connection opening (a
///   header sent a byte a second is cut off); later requests on a kept-alive connection are
///   bounded by the idle timeout, which closes a connection that sends no request part for that
///   long.
/// - A request's body must arrive whole within `bodyTimeout` of its head (a body trickled in
///   just fast enough to keep the idle timer alive is cut off too).
/// - Hummingbird answers a request that NIO's parser refuses with a bare 400 and closes the
///   connection; this handler gives that 400 an `application/problem+json` body saying so.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var sawFirstHead = false
    /// Why the parser refused the request, until the 400 that answers it is written.
    private var parseError: HTTPParserError?

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startHeaderDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startHeaderDeadline(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelDeadline() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            sawFirstHead = true
            schedule(context, after: bodyTimeout)
        case .body:
            break
        case .end:
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError { parseError = error }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let error = parseError, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest else {
            context.write(data, promise: promise)
            return
        }
        parseError = nil
        let body = Problem(
            .malformedRequest,
            "the request is not HTTP/1.1 that svledger reads (\(error)); the connection is closed").json.canonicalBytes
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(body.count)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: promise)
    }

    private func startHeaderDeadline(_ context: ChannelHandlerContext) {
        guard !sawFirstHead, deadline == nil else { return }
        schedule(context, after: headerTimeout)
    }

    private func schedule(_ context: ChannelHandlerContext, after timeout: TimeAmount) {
        cancelDeadline()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
