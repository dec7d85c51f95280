import ArgumentParser
import Foundation
import Specs

/// `icmc list`: the specs of the library, one line each.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the specs of the specification library with a one-line description each.",
        discussion: """
            Example:
              swift run icmc list
              swift run icmc list --details
            """
    )

    @Flag(help: "Also print each spec's details (claim, environment, bounds).")
    var details = false

    func run() throws {
        let specs = SpecLibrary.all
        let width = specs.map(\.name.count).max() ?? 0
        for category in Spec.Category.allCases {
            let members = specs.filter { $0.category == category }
            guard !members.isEmpty else { continue }
            print("\(category.rawValue):")
            for spec in members {
                print("  \(spec.name.padding(toLength: width, withPad: " ", startingAt: 0))  [\(spec.expectation)] \(spec.summary)")
                if details { print("      \(spec.details)") }
            }
        }
    }
}
