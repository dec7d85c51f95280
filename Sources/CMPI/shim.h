// Open MPI's predefined handles (MPI_COMM_WORLD, MPI_SUM, MPI_UINT64_T, ...) are macros over
// global objects, which Swift cannot import: these inline wrappers name them.
#include <mpi.h>
#include <stdint.h>

static inline int icmc_mpi_initialized(void) { int flag = 0; MPI_Initialized(&flag); return flag; }
static inline int icmc_mpi_finalized(void) { int flag = 0; MPI_Finalized(&flag); return flag; }
static inline int icmc_mpi_init(void) {
    int provided = 0;
    return MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
}
static inline int icmc_mpi_finalize(void) { return MPI_Finalize(); }
static inline void icmc_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }
static inline int icmc_mpi_rank(void) { int rank = 0; MPI_Comm_rank(MPI_COMM_WORLD, &rank); return rank; }
static inline int icmc_mpi_size(void) { int size = 1; MPI_Comm_size(MPI_COMM_WORLD, &size); return size; }

static inline int icmc_mpi_alltoall_int(const int *send, int *receive) {
    return MPI_Alltoall(send, 1, MPI_INT, receive, 1, MPI_INT, MPI_COMM_WORLD);
}
static inline int icmc_mpi_alltoallv_u64(
    const uint64_t *send, const int *sendCounts, const int *sendOffsets,
    uint64_t *receive, const int *receiveCounts, const int *receiveOffsets) {
    return MPI_Alltoallv(send, sendCounts, sendOffsets, MPI_UINT64_T, receive, receiveCounts, receiveOffsets,
                         MPI_UINT64_T, MPI_COMM_WORLD);
}
/// operation: 0 sum, 1 minimum, 2 maximum.
static inline int icmc_mpi_allreduce_i64(const int64_t *values, int64_t *result, int count, int operation) {
    MPI_Op op = operation == 0 ? MPI_SUM : operation == 1 ? MPI_MIN : MPI_MAX;
    return MPI_Allreduce(values, result, count, MPI_INT64_T, op, MPI_COMM_WORLD);
}
static inline int icmc_mpi_allgather_i64(int64_t value, int64_t *result) {
    return MPI_Allgather(&value, 1, MPI_INT64_T, result, 1, MPI_INT64_T, MPI_COMM_WORLD);
}
static inline int icmc_mpi_bcast_i64(int64_t *values, int count, int root) {
    return MPI_Bcast(values, count, MPI_INT64_T, root, MPI_COMM_WORLD);
}
