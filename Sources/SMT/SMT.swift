/// Namespace for the SMT module.
public enum SMT {}
