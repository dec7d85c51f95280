import ICCore
import ICMessaging
import ModelChecking
import ReferenceExecutor
import Testing

/// Runs `actions` in the model and in the executor, expecting the same observable state after
/// every step; returns both final states. Shared by the tests that add a feature to both.
func runBoth(_ actions: [ICAction], _ configuration: SystemConfiguration) throws -> (model: ICState, executor: ICExecutor) {
    let system = ICSystem(configuration: configuration, properties: [])
    var state = system.initialStates[0]
    var executor = ICExecutor(configuration: configuration)
    for action in actions {
        state = try #require(system.successor(of: state, via: action), "\(action) is not enabled in the model")
        try executor.perform(action)
        #expect(ObservableState(state) == executor.observableState, "model and executor differ after \(action)")
    }
    return (state, executor)
}
