import CMPI
import Foundation
import ModelChecking

/// The `Communicator` of a process started by `mpirun`: MPI_COMM_WORLD through Open MPI.
///
/// One per process (`shared`); MPI is initialised on first use and finalised at exit. Only the
/// thread that initialised it makes calls (`MPI_THREAD_FUNNELED`): the distributed search makes
/// every collective from its own thread; its worker threads (`--workers`) only generate successors.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    // @unchecked: immutable after init; MPI calls come from the main thread only.
    public let rank: Int
    public let size: Int

    private init() {
        if icmc_mpi_initialized() == 0 {
            guard icmc_mpi_init() == MPI_SUCCESS else {
                FileHandle.standardError.write(Data("error: MPI_Init failed\n".utf8))
                exit(2)
            }
            atexit { if icmc_mpi_finalized() == 0 { _ = icmc_mpi_finalize() } }
        }
        rank = Int(icmc_mpi_rank())
        size = Int(icmc_mpi_size())
    }

    /// This process's communicator (initialises MPI).
    public static let shared = MPICommunicator()

    /// Whether this process was started by an MPI launcher (`mpirun`, `mpiexec`, `srun`): without
    /// one, `MPI_Init` would try to start a runtime of its own.
    public static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"].contains { environment[$0] != nil }
    }

    /// Ends every rank of the job (an error that one rank cannot recover from alone).
    public func abort(_ code: Int32) -> Never {
        icmc_mpi_abort(code)
        exit(code)
    }

    public func exchange(_ outgoing: [[UInt64]]) -> ExchangedWords {
        precondition(outgoing.count == size, "exchange: one buffer per rank")
        var sendCounts = outgoing.map { Int32(clamping: $0.count) }
        precondition(outgoing.allSatisfy { $0.count < Int(Int32.max) }, "exchange: more than 2^31 words for one rank")
        var sendOffsets = [Int32](repeating: 0, count: size)
        for destination in 1..<max(size, 1) { sendOffsets[destination] = sendOffsets[destination - 1] + sendCounts[destination - 1] }
        var receiveCounts = [Int32](repeating: 0, count: size)
        _ = icmc_mpi_alltoall_int(&sendCounts, &receiveCounts)
        var offsets = [0]
        for source in 0..<size { offsets.append(offsets[source] + Int(receiveCounts[source])) }
        let receiveOffsets = offsets.dropLast().map { Int32(clamping: $0) }
        let send = outgoing.flatMap { $0 }
        var words = [UInt64](repeating: 0, count: offsets[size])
        send.withUnsafeBufferPointer { sendBuffer in
            words.withUnsafeMutableBufferPointer { receiveBuffer in
                _ = icmc_mpi_alltoallv_u64(
                    sendBuffer.baseAddress, sendCounts, sendOffsets, receiveBuffer.baseAddress, receiveCounts, receiveOffsets)
            }
        }
        return ExchangedWords(words: words, offsets: offsets)
    }

    public func reduce(_ values: [Int64], _ operation: ReduceOperation) -> [Int64] {
        var result = [Int64](repeating: 0, count: values.count)
        _ = icmc_mpi_allreduce_i64(values, &result, Int32(values.count), operation.rawValue)
        return result
    }

    public func allGather(_ value: Int64) -> [Int64] {
        var result = [Int64](repeating: 0, count: size)
        _ = icmc_mpi_allgather_i64(value, &result)
        return result
    }

    public func broadcast(_ values: [Int64], from root: Int) -> [Int64] {
        var buffer = values
        _ = icmc_mpi_bcast_i64(&buffer, Int32(values.count), Int32(root))
        return buffer
    }
}
