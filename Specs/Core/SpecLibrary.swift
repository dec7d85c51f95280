/// The built-in specification library: every spec, in a stable order.
public enum SpecLibrary {
    /// All specs. Each category file contributes its list.
    public static var all: [Spec] {
        []
    }

    /// The spec called `name`, or `nil`.
    public static func spec(named name: String) -> Spec? {
        all.first { $0.name == name }
    }
}
