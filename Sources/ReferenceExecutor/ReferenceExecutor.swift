/// Namespace for the ReferenceExecutor module.
public enum ReferenceExecutor {}
