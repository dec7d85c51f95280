import ICCore
import ModelChecking
import Testing
@testable import ICMessaging

/// The Mermaid chart of a run: calls drawn when sent, executions and callbacks as notes on the
/// receiving lifeline, SYS_UNKNOWN from the caller's own system (never from the callee).
@Test func sequenceDiagramDrawsSendsExecutionsAndTimeouts() throws {
    let system = clientSystem([Client.Plan(callee: B, kind: .bestEffort)], faults: .lossy)
    let actions: [ICAction] = [go, deliverAB([0]), .expireCall(call: call0), respond(call0)]
    var state = system.initialStates[0]
    var steps: [(action: ICAction, state: ObservableState)] = []
    for action in actions {
        state = try system.step(state, action)
        steps.append((action, ObservableState(state)))
    }
    let chart = SequenceDiagram(
        initial: ObservableState(system.initialStates[0]), steps: steps, canisterNames: ["client", "worker"],
        ingress: system.configuration.ingress
    ).mermaid()
    let lines = chart.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.first == "sequenceDiagram")
    #expect(lines.contains("participant C0 as C0 client"))
    #expect(lines.contains("U->>C0: 1. ingress 0 go()"))
    #expect(lines.contains("C0-)C1: 1. call work [bestEffort] (C0#0)"))
    #expect(lines.contains("Note over C1: 2. executes work [bestEffort] (C0#0)"))
    #expect(lines.contains("C1--)C0: 2. reply(1) (C0#0)"))
    #expect(lines.contains("Note over C0: 3. ⏱ C0#0 expires: SYS_UNKNOWN"))
    #expect(lines.contains("Note over C0: 4. ⏱ callback of C0#0 gets SYS_UNKNOWN"))
    #expect(!lines.contains { $0.hasPrefix("C1-->>C0") }, "SYS_UNKNOWN must not be drawn as coming from the callee")
}
