/// Namespace for the ICProofs module.
public enum ICProofs {}
