import ICCore

/// The specs a tool works on: `icmc`'s built-in library (`SpecCatalog.builtIn`, in module Specs),
/// a user's own (`Escrow.catalog`), or both (`.builtIn + Escrow.catalog`).
///
/// Every command of `ICMC.main(catalog:)` resolves names against the catalogue it was given, so a
/// package that depends on icmc checks, replays and simulates its own specs without forking the
/// tool. An entry builds its spec from parameter values, so `--param` and replay of a trace made
/// with other values rebuild the same configuration.
public struct SpecCatalog: Sendable {
    /// One spec of the catalogue: its name, its parameters and how to build it from their values.
    public struct Entry: Sendable {
        /// The spec's name, unique in a catalogue (`icmc check NAME`).
        public let name: String
        /// The parameters `--param` may set, with their defaults and ranges.
        public let parameters: [SpecParameter]
        private let build: @Sendable ([String: Int]) -> Spec

        /// A spec without parameters.
        public init(_ spec: Spec) {
            name = spec.name
            parameters = []
            build = { _ in spec }
        }

        /// A parameterised spec: `build` receives a value for every parameter (defaults filled
        /// in, ranges checked) and returns the spec of that size.
        public init(name: String, parameters: [SpecParameter], build: @escaping @Sendable ([String: Int]) -> Spec) {
            self.name = name
            self.parameters = parameters
            self.build = build
        }

        /// The spec with `assignments` applied to its parameters (the defaults for the others).
        public func spec(with assignments: [String: Int] = [:]) throws(SpecParameterError) -> Spec {
            let values = try parameters.resolve(assignments, spec: name)
            var spec = build(values)
            spec.name = name
            spec.parameters = values
            return spec
        }

        /// The entry with `value` as the default of its parameter `name`, if it has one and
        /// `value` lies in its range; otherwise the entry unchanged.
        public func withDefault(_ name: String, _ value: Int) -> Entry {
            guard let index = parameters.firstIndex(where: { $0.name == name }), parameters[index].range.contains(value) else {
                return self
            }
            var changed = parameters
            let old = changed[index]
            changed[index] = SpecParameter(old.name, summary: old.summary, range: old.range, default: value)
            return Entry(name: self.name, parameters: changed, build: build)
        }

        /// The spec with every parameter at its default.
        public var defaultSpec: Spec {
            do { return try spec() } catch { preconditionFailure("defaults of \(name) are in range: \(error)") }
        }
    }

    /// The entries in catalogue order (the order of `icmc list` and `check --all`).
    public private(set) var entries: [Entry]

    /// A catalogue of specs without parameters.
    public init(_ specs: [Spec]) { entries = specs.map(Entry.init) }

    /// A catalogue of entries, parameterised or not.
    public init(entries: [Entry]) { self.entries = entries }

    /// Both catalogues, `lhs`'s entries first. Names should be distinct (see `duplicateNames`).
    public static func + (lhs: SpecCatalog, rhs: SpecCatalog) -> SpecCatalog {
        SpecCatalog(entries: lhs.entries + rhs.entries)
    }

    /// The catalogue with `value` as the default of every entry's parameter `name` (where it
    /// has one, in range): e.g. the library at `scale=1`, small enough for a debug-build test
    /// suite, while `icmc verify` checks the library at the bounds its verdicts are about.
    public func withDefault(_ name: String, _ value: Int) -> SpecCatalog {
        SpecCatalog(entries: entries.map { $0.withDefault(name, value) })
    }

    /// Every spec with its parameters at their defaults, in catalogue order.
    public var specs: [Spec] { entries.map(\.defaultSpec) }

    /// Every spec name, in catalogue order.
    public var names: [String] { entries.map(\.name) }

    /// Names used by more than one entry (the tool refuses such a catalogue).
    public var duplicateNames: [String] {
        var seen: Set<String> = []
        var duplicates: [String] = []
        for name in names where !seen.insert(name).inserted && !duplicates.contains(name) { duplicates.append(name) }
        return duplicates
    }

    /// The entry called `name`, or `nil`.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The spec called `name` with default parameters, or `nil`.
    public func spec(named name: String) -> Spec? { entry(named: name)?.defaultSpec }

    /// The model of the spec a trace names, built with the trace's parameter values: `nil` for
    /// an unknown name, an error for parameters the spec does not accept.
    public func model(named name: String, parameters: [String: Int]) throws(SpecParameterError) -> ICModel? {
        guard let entry = entry(named: name) else { return nil }
        return try entry.spec(with: parameters).model
    }

    /// Spec names close to `name` (case-insensitive substring or small edit distance), for
    /// "unknown spec" messages.
    public func names(near name: String, limit: Int = 5) -> [String] {
        let query = name.lowercased()
        let scored = names.map { candidate -> (String, Int) in
            let lower = candidate.lowercased()
            if lower.contains(query) || (query.count >= 2 && query.contains(lower)) { return (candidate, 0) }
            return (candidate, Self.editDistance(query, lower))
        }
        let threshold = max(3, query.count / 2)
        return scored.filter { $0.1 <= threshold }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0 ... b.count)
        for i in 1 ... a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1 ... b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
