import ModelChecking

/// A line-by-line transliteration of docs/tla/RefundGuard.tla, the hand-abstracted TLA+ model of
/// the library's B1 protocol (refund service and ledger, guaranteed calls, no faults). Its
/// distinct-state count stands in for TLC's in tests (TLC is not part of the build);
/// `TLAComparisonTests.transliterationMatchesTLC` compares the two when TLC is at hand.
struct RefundGuardTLA: TransitionSystem {
    /// `ingress[r]` of the TLA+ module.
    enum IngressStatus: UInt64, Hashable, Sendable { case unsent, waiting, replied, rejected }

    /// A record `[req |-> r, ok |-> b]` of `toService`.
    struct Response: Hashable, Sendable, Comparable {
        var request: Int
        var ok: Bool
        static func < (a: Response, b: Response) -> Bool { (a.request, a.ok ? 1 : 0) < (b.request, b.ok ? 1 : 0) }
    }

    /// The module's variables; `toService` is a set, kept sorted.
    struct State: Hashable, Sendable, Fingerprintable {
        var ingress: [IngressStatus]
        var refunded = false
        var inFlight = false
        var balances = [20, 0, 0]
        var toLedger: [Int] = []
        var toService: [Response] = []

        func fingerprint(into hasher: inout FingerprintHasher) {
            for status in ingress { hasher.combine(status.rawValue) }
            hasher.combine(refunded)
            hasher.combine(inFlight)
            for balance in balances { hasher.combine(balance) }
            hasher.combine(toLedger.count)
            for request in toLedger { hasher.combine(request) }
            hasher.combine(toService.count)
            for response in toService {
                hasher.combine(response.request)
                hasher.combine(response.ok)
            }
        }
    }

    enum Action: Hashable, Sendable, CustomStringConvertible {
        case refund(Int)
        case transfer
        case callback(Response)

        var description: String {
            switch self {
            case .refund(let r): "Refund(\(r))"
            case .transfer: "Transfer"
            case .callback(let m): "Callback([req |-> \(m.request), ok |-> \(m.ok)])"
            }
        }
    }

    /// The constants `Requests` and `Guarded`.
    let requests: Int
    let guarded: Bool
    let user = 2
    let amount = 5

    var name: String { "RefundGuard(Requests = \(requests), Guarded = \(guarded))" }
    var initialStates: [State] { [State(ingress: Array(repeating: .unsent, count: requests))] }

    var properties: [Property<State>] {
        let (user, amount) = (user, amount)
        return [.always("NoDoubleRefund") { $0.balances[user] <= amount }]
    }

    func forEachSuccessor(of state: State, _ body: (Action, State) -> Void) {
        // Refund(r)
        for r in 0..<requests where state.ingress[r] == .unsent {
            var next = state
            if state.refunded || (guarded && state.inFlight) {
                next.ingress[r] = .rejected
            } else {
                next.ingress[r] = .waiting
                next.inFlight = state.inFlight || guarded
                next.toLedger.append(r)
            }
            body(.refund(r + 1), next)
        }
        // Transfer
        if let r = state.toLedger.first {
            var next = state
            let paid = state.balances[0] >= amount
            if paid {
                next.balances[0] -= amount
                next.balances[user] += amount
            }
            next.toService = Self.union(state.toService, Response(request: r, ok: paid))
            next.toLedger.removeFirst()
            body(.transfer, next)
        }
        // Callback(m)
        for (index, m) in state.toService.enumerated() {
            var next = state
            next.toService.remove(at: index)
            next.inFlight = false
            if m.ok {
                next.refunded = true
                next.ingress[m.request] = .replied
            } else {
                next.ingress[m.request] = .rejected
            }
            body(.callback(Response(request: m.request + 1, ok: m.ok)), next)
        }
    }

    /// `set \union {element}` on a sorted array.
    private static func union(_ set: [Response], _ element: Response) -> [Response] {
        guard !set.contains(element) else { return set }
        return (set + [element]).sorted()
    }
}
