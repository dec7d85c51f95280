import Foundation
import ReferenceExecutor
import Specs

/// Replays a trace of a library spec in the reference executor: the spec named in the trace's
/// `#meta` supplies the configuration, the safety properties and the liveness goals.
enum LibraryReplay {
    static func replay(data: Data) -> ReplayReport {
        Replayer.replay(data: data, resolveSpec: { name in
            SpecLibrary.spec(named: name).map { spec in
                (spec.configuration, spec.properties,
                 spec.livenessProperties.map { Replayer.LivenessGoal(name: $0.name, goal: $0.goal) })
            }
        })
    }
}
