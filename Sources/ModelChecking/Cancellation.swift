import Foundation
import Synchronization

/// A thread-safe "please stop" flag, polled by the checker between chunks of work.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Whether a SIGINT (via `InterruptHandler`) also counts as cancellation.
    fileprivate let followsInterrupts = Atomic<Bool>(false)

    public init() {}

    /// Requests cancellation; idempotent.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool {
        if flag.load(ordering: .relaxed) { return true }
        if followsInterrupts.load(ordering: .relaxed) && interruptRequested.load(ordering: .relaxed) {
            cancel()
            return true
        }
        return false
    }
}

/// Set by the SIGINT handler. Only lock-free atomic operations happen in the handler, which
/// keeps it async-signal-safe.
private let interruptRequested = Atomic<Bool>(false)

/// Routes SIGINT (Ctrl-C) to a `CancellationFlag` so a long search stops with its statistics
/// instead of killing the process. A second Ctrl-C restores the default action and exits.
public enum InterruptHandler {
    /// Installs the handler and links `flag` to it. Call from the CLI before `Checker.run`.
    public static func install(cancelling flag: CancellationFlag) {
        flag.followsInterrupts.store(true, ordering: .relaxed)
        interruptRequested.store(false, ordering: .relaxed)
        // A process started from a thread that blocks SIGINT (test runners, some supervisors)
        // inherits that mask: unblock it on this thread, so the handler can run; threads started
        // from here on inherit the unblocked mask.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
        signal(SIGINT) { _ in
            if interruptRequested.exchange(true, ordering: .relaxed) {
                signal(SIGINT, SIG_DFL)
                raise(SIGINT)
            }
        }
    }

    /// Restores the default SIGINT action.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
    }
}
