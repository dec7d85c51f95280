/// Namespace for the Benchmarks module.
public enum Benchmarks {}
