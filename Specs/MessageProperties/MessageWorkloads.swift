import ICCore

/// The bounded systems the message-property specs run: clients calling a server.
public enum MessageWorkloads {
    /// Cycles attached to the guaranteed and best-effort calls of the workloads.
    public static let attachedCycles: Cycles = 10

    /// A client that calls only `server` (its orders name it): the declared call graph that
    /// partial-order reduction relies on (`CanisterSetup.callees`).
    static func client(calling server: CanisterId) -> CanisterSetup {
        var setup = CanisterSetup(ClientProgram())
        setup.callees = [server]
        return setup
    }

    /// Two clients (C0, C1) and a server (C2). By default C0 makes a guaranteed call and C1 a
    /// best-effort call (timeout 1 s), each with 10 cycles (`kinds` may add a small guaranteed
    /// call from C0); the server accepts none or all of the cycles (a choice) and replies.
    /// The clock runs to 1 s so deadlines pass.
    public static func mixed(
        faults: FaultSwitches = .adversarial, kinds: [CallKind] = [.guaranteed, .bestEffort], cycleRefunds: CycleRefunds = .replica
    ) -> SystemConfiguration {
        var ingress: [IngressMessage] = []
        if kinds.contains(.guaranteed) {
            ingress.append(IngressMessage(to: 0, "call", arguments: ClientProgram.Order(.guaranteed, to: 2, cycles: attachedCycles, tag: 1)))
        }
        if kinds.contains(.smallGuaranteed) {
            ingress.append(IngressMessage(to: 0, "call", arguments: ClientProgram.Order(.smallGuaranteed, to: 2, cycles: 0, tag: 2)))
        }
        if kinds.contains(.bestEffort) {
            ingress.append(IngressMessage(to: 1, "call", arguments: ClientProgram.Order(.bestEffort, to: 2, cycles: attachedCycles, tag: 1)))
        }
        return SystemConfiguration(
            canisters: [client(calling: 2), client(calling: 2), CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: true))],
            ingress: ingress, faults: faults, limits: MessagingLimits(maxTime: 1), cycleRefunds: cycleRefunds
        )
    }

    /// Clients C0 … C(clients-1) and a server C(clients). Each client makes one call of each of
    /// `kinds` (in list order, tags 1, 2, …) in one execution, so that all its calls are in
    /// flight together, with 10 cycles on each call (small guaranteed calls too: their 1 kB
    /// limit is on the payload, and the cycles make their refunds observable); the server accepts
    /// none or all of the cycles (a choice) and replies.
    /// The clients are alike, so they form a symmetry group (`clientGroup`). The clock runs to
    /// 1 s so best-effort deadlines pass. With `othersMakeFirstCallOnly`, only C0 makes every
    /// call of `kinds` and the other clients make the first one (then only those others are
    /// alike): one caller-callee pair with several calls, among callers with one.
    public static func concurrent(
        clients: Int, kinds: [CallKind], faults: FaultSwitches = .adversarial, cycleRefunds: CycleRefunds = .replica,
        serverChoosesAcceptance: Bool = true, othersMakeFirstCallOnly: Bool = false
    ) -> SystemConfiguration {
        let server = CanisterId(clients)
        let orders = kinds.enumerated().map { index, kind in
            ClientProgram.Order(kind, to: server, cycles: attachedCycles, tag: index + 1)
        }
        var canisters = (0 ..< clients).map { _ in client(calling: server) }
        canisters.append(CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: serverChoosesAcceptance)))
        let ingress = (0 ..< clients).map { client in
            IngressMessage(to: CanisterId(client), "callEach", arguments: othersMakeFirstCallOnly && client > 0 ? Array(orders.prefix(1)) : orders)
        }
        return SystemConfiguration(
            canisters: canisters, ingress: ingress, faults: faults, limits: MessagingLimits(maxTime: 1), cycleRefunds: cycleRefunds)
    }

    /// The interchangeable clients of `concurrent(clients:…)`: all of them, or with
    /// `othersMakeFirstCallOnly` all but C0 (which makes more calls).
    public static func clientGroup(clients: Int, othersMakeFirstCallOnly: Bool = false) -> [[CanisterId]] {
        let alike = (othersMakeFirstCallOnly ? 1 : 0) ..< clients
        return alike.count >= 2 ? [alike.map { CanisterId($0) }] : []
    }

    /// One client (C0) that sends two calls of `kind` to the server (C1) in one execution;
    /// with `secondClient`, C2 does the same with best-effort calls.
    public static func twoCalls(kind: CallKind, faults: FaultSwitches, secondClient: Bool = false) -> SystemConfiguration {
        var canisters = [client(calling: 1), CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false))]
        var ingress = [IngressMessage(to: 0, "callTwice", arguments: ClientProgram.Order(kind, to: 1))]
        if secondClient {
            canisters.append(client(calling: 1))
            ingress.append(IngressMessage(to: 2, "callTwice", arguments: ClientProgram.Order(.bestEffort, to: 1)))
        }
        return SystemConfiguration(canisters: canisters, ingress: ingress, faults: faults, limits: MessagingLimits(maxTime: 1))
    }

    /// One client (C0) making one guaranteed call to the server (C1); no faults.
    public static let single = SystemConfiguration(
        canisters: [client(calling: 1), CanisterSetup(ServerProgram(mayReject: false, choosesAcceptance: false))],
        ingress: [IngressMessage(to: 0, "call", arguments: ClientProgram.Order(.guaranteed, to: 1, cycles: 0, tag: 1))]
    )
}
