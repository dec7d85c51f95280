import ArgumentParser
import Foundation
import ICSpec

/// `icmc list`: the specs of the library, one line each.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the specs of the catalogue with a one-line description each, and their parameters.",
        discussion: """
            Example:
              swift run icmc list
              swift run icmc list --details
              swift run icmc list B4-retry-without-dedup-buggy     # one spec, with its details
            """
    )

    @Argument(help: "Spec names to show (default: every spec).")
    var names: [String] = []

    @Flag(help: "Also print each spec's details (claim, environment, bounds).")
    var details = false

    func run() throws {
        let catalog = CurrentCatalog.value
        do {
            try catalog.requireNames(names)
        } catch {
            throw badInput(error.description)
        }
        let details = details || !names.isEmpty
        let entries = catalog.entries.filter { names.isEmpty || names.contains($0.name) }.map { (entry: $0, spec: $0.defaultSpec) }
        let width = entries.map(\.entry.name.count).max() ?? 0
        for category in Spec.Category.allCases {
            let members = entries.filter { $0.spec.category == category }
            guard !members.isEmpty else { continue }
            print("\(category.rawValue):")
            for (entry, spec) in members {
                print("  \(spec.name.padding(toLength: width, withPad: " ", startingAt: 0))  [\(spec.expectation)] \(spec.summary)")
                if !entry.parameters.isEmpty {
                    let parameters = entry.parameters.map { "\($0.description) \($0.summary)" }.joined(separator: "; ")
                    print("  \(String(repeating: " ", count: width))  parameters: \(parameters)")
                }
                if details { print("      \(spec.details)") }
            }
        }
    }
}
