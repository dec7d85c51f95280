/// Namespace for the CanisterAPI module.
public enum CanisterAPI {}
