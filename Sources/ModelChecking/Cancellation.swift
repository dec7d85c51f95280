import Dispatch
import Foundation
import Synchronization

/// A thread-safe "please stop" flag, polled by the checker between chunks of work.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Requests cancellation; idempotent.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Routes SIGINT (Ctrl-C) to a `CancellationFlag` so a long search stops with its statistics
/// instead of killing the process. A second Ctrl-C restores the default action and exits.
public enum InterruptHandler {
    private static let installed = Mutex<(any DispatchSourceSignal)?>(nil)

    /// Installs the handler; later calls replace the flag. Call from the CLI before `run`.
    public static func install(cancelling flag: CancellationFlag) {
        installed.withLock { current in
            current?.cancel()
            signal(SIGINT, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            source.setEventHandler {
                if flag.isCancelled {
                    signal(SIGINT, SIG_DFL)
                    raise(SIGINT)
                }
                flag.cancel()
            }
            source.resume()
            current = source
        }
    }

    /// Removes the handler and restores the default SIGINT action.
    public static func uninstall() {
        installed.withLock { current in
            current?.cancel()
            current = nil
            signal(SIGINT, SIG_DFL)
        }
    }
}
