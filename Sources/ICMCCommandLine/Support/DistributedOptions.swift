import ArgumentParser
import Foundation
import ModelChecking
#if ICMC_MPI
import MPICommunicator
#endif

/// `--distributed`: the breadth-first search runs on the ranks of an MPI job
/// (`mpirun -np R icmc … --distributed`), `--workers` threads per rank (1 by default); rank 0 prints and saves traces,
/// the others print nothing. Results are those of a single-process search.
struct DistributedOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Run the breadth-first search on the ranks of an MPI job (start with `mpirun -np R icmc … --distributed`); same results as one process.",
        discussion: "Each rank owns the states whose fingerprints hash to it and expands a block of every level on --workers threads (1 by default); rank 0 prints. Needs a build with Open MPI (see the README)."))
    var distributed = false

    /// Whether MPI support was compiled in.
    static var isAvailable: Bool {
        #if ICMC_MPI
        true
        #else
        false
        #endif
    }

    /// The job's communicator under `--distributed` (nil without it); bad input when this build
    /// has no MPI or when not started by an MPI launcher. Silences
    /// standard output on ranks other than 0.
    func communicator() throws -> (any Communicator)? {
        guard distributed else { return nil }
        #if ICMC_MPI
        guard MPICommunicator.isLaunchedByMPI else {
            throw badInput("--distributed needs an MPI launcher: mpirun -np R icmc … --distributed")
        }
        let communicator = MPICommunicator.shared
        if communicator.rank != 0 {
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, 1) }
        }
        return communicator
        #else
        throw badInput("--distributed: this icmc was built without MPI (install libopenmpi-dev and openmpi-bin, then rebuild; see the README)")
        #endif
    }

    /// Whether this process reports (prints progress, saves traces): every process but the
    /// ranks other than 0 of a distributed run.
    static func reports(_ communicator: (any Communicator)?) -> Bool { (communicator?.rank ?? 0) == 0 }
}
