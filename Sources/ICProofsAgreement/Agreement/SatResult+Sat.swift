import ICProofs
import SMT

extension SatResult {
    /// Whether the solver found a model.
    var isSat: Bool { if case .sat = self { return true } else { return false } }
}
