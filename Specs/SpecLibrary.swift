/// Namespace for the specification library.
public enum SpecLibrary {}
