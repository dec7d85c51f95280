import ICCore

/// A fault the simulator injects into one call.
public enum FaultKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `call_perform` fails synchronously (no callback ever runs).
    case syncFailure
    /// The system rejects the request in flight with this code (T6).
    case reject(RejectCode)
    /// The best-effort request is shed (its cycles are lost or refunded, per `CycleRefunds`; the
    /// caller learns by expiry).
    case drop
    /// The best-effort call expires at once, before its deadline (T7).
    case earlyExpiry
    /// The callee's execution of the request traps (instruction limit).
    case trapInCallee
    /// The caller's callback traps (cleanup runs if registered).
    case trapInCallback
    /// The caller is stopped while the call is outstanding, and started again a few rounds later.
    case stopCaller
    /// A controller upgrades the caller while the call is outstanding (its hooks may trap).
    case upgradeCaller
    /// The system rejects an ingress message before it executes (SYS_TRANSIENT).
    case rejectIngress
    /// A `stop_canister` call the management canister holds times out (SYS_TRANSIENT).
    case stopTimeout

    public var description: String {
        switch self {
        case .syncFailure: "sync-failure"
        case .reject(let code): "reject-\(code)"
        case .drop: "drop"
        case .earlyExpiry: "early-expiry"
        case .trapInCallee: "trap-in-callee"
        case .trapInCallback: "trap-in-callback"
        case .stopCaller: "stop-caller"
        case .upgradeCaller: "upgrade-caller"
        case .rejectIngress: "ingress-reject"
        case .stopTimeout: "stop-timeout"
        }
    }

    /// The faults `allowed` lets hit a call of `kind`, in classes drawn independently at the
    /// fault rate (a spontaneous reject is one class whose code is then drawn): no drops, expiry
    /// or SYS_UNKNOWN for guaranteed-response calls, no stop of the caller unless the controller
    /// may stop and start canisters, no upgrade unless it may upgrade. A fault the spec does not allow is never injected.
    static func classes(for kind: CallKind, allowed: FaultSwitches, controller: ControllerActions) -> [[FaultKind]] {
        var classes: [[FaultKind]] = []
        if allowed.syncCallFailures { classes.append([.syncFailure]) }
        let codes = RejectCode.allCases.filter { ICExecutor.mayRejectSpontaneously(kind, with: $0) }
        if allowed.spontaneousRejects, !codes.isEmpty { classes.append(codes.map(FaultKind.reject)) }
        if kind.isBestEffort, allowed.dropBestEffort { classes.append([.drop]) }
        if kind.isBestEffort, allowed.earlyExpiry { classes.append([.earlyExpiry]) }
        if allowed.injectedTraps { classes += [[.trapInCallee], [.trapInCallback]] }
        if !controller.stop.isEmpty, !controller.start.isEmpty, controller.maxActions > 0 { classes.append([.stopCaller]) }
        if !controller.upgrade.isEmpty, controller.maxActions > 0 { classes.append([.upgradeCaller]) }
        return classes
    }

    /// The fault names a simulation with `allowed` and `controller` may inject (for the report).
    static func names(allowed: FaultSwitches, controller: ControllerActions) -> [String] {
        let kinds = [CallKind.guaranteed, .bestEffort].flatMap { classes(for: $0, allowed: allowed, controller: controller) }
        var names = Set(kinds.flatMap { $0 }.map(\.description))
        if allowed.ingressRejects { names.insert(FaultKind.rejectIngress.description) }
        return names.sorted()
    }

    public static func < (lhs: FaultKind, rhs: FaultKind) -> Bool { lhs.description < rhs.description }
}
