// The only file that includes <mpi.h>.
#include "mpi/communicator.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <utility>

#include "circuits/error.hpp"

namespace qstate::mpi {

struct Communicator::Impl {
  MPI_Comm comm = MPI_COMM_NULL;
  bool owns_comm = false;
  ~Impl() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (owns_comm && comm != MPI_COMM_NULL && !finalized) MPI_Comm_free(&comm);
  }
};

namespace {
void check(int code, const char* what) {
  if (code != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(code, text, &len);
    throw Error(std::string("MPI error in ") + what + ": " +
                std::string(text, static_cast<std::size_t>(len)));
  }
}
constexpr std::size_t kMaxMessage = std::size_t{1} << 30;  // well under 2^31 bytes
}  // namespace

Communicator::Communicator(int* argc, char*** argv) : impl_(std::make_unique<Impl>()) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    owns_mpi_ = true;
  }
  impl_->comm = MPI_COMM_WORLD;
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(impl_->comm, &rank_);
  MPI_Comm_size(impl_->comm, &size_);
}

Communicator::~Communicator() {
  impl_.reset();
  if (owns_mpi_) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
}

Communicator::Communicator(Communicator&& o) noexcept
    : impl_(std::move(o.impl_)),
      rank_(o.rank_),
      size_(o.size_),
      owns_mpi_(o.owns_mpi_),
      bytes_sent_(o.bytes_sent_) {
  o.owns_mpi_ = false;
}

Communicator& Communicator::operator=(Communicator&& o) noexcept {
  if (this != &o) {
    impl_ = std::move(o.impl_);
    rank_ = o.rank_;
    size_ = o.size_;
    owns_mpi_ = std::exchange(o.owns_mpi_, false);
    bytes_sent_ = o.bytes_sent_;
  }
  return *this;
}

Communicator Communicator::duplicate(const void* mpi_comm_address) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) throw Error("MPI is not initialised: cannot use the communicator given");
  Communicator dup;
  MPI_Comm comm = MPI_COMM_NULL;
  check(MPI_Comm_dup(*static_cast<const MPI_Comm*>(mpi_comm_address), &comm), "MPI_Comm_dup");
  dup.impl_ = std::make_unique<Impl>();
  dup.impl_->comm = comm;
  dup.impl_->owns_comm = true;
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm, &dup.rank_);
  MPI_Comm_size(comm, &dup.size_);
  return dup;
}

Communicator Communicator::first(int count) const {
  Communicator sub;
  MPI_Comm comm = MPI_COMM_NULL;
  const bool member = rank_ < count;
  check(MPI_Comm_split(impl_->comm, member ? 0 : MPI_UNDEFINED, rank_, &comm), "MPI_Comm_split");
  if (!member) return sub;
  sub.impl_ = std::make_unique<Impl>();
  sub.impl_->comm = comm;
  sub.impl_->owns_comm = true;
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm, &sub.rank_);
  MPI_Comm_size(comm, &sub.size_);
  return sub;
}

void Communicator::barrier() const {
  check(MPI_Barrier(impl_->comm), "MPI_Barrier");
}

bool Communicator::any(bool flag) const {
  int in = flag ? 1 : 0;
  int out = 0;
  check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, impl_->comm), "MPI_Allreduce");
  return out != 0;
}

std::uint64_t Communicator::max(std::uint64_t value) const {
  std::uint64_t out = 0;
  check(MPI_Allreduce(&value, &out, 1, MPI_UINT64_T, MPI_MAX, impl_->comm), "MPI_Allreduce");
  return out;
}

std::vector<ExactSum::Raw> Communicator::all_gather(ExactSum::Raw value) const {
  std::vector<ExactSum::Raw> all(static_cast<std::size_t>(size_));
  check(MPI_Allgather(&value, sizeof value, MPI_BYTE, all.data(), sizeof value, MPI_BYTE,
                      impl_->comm),
        "MPI_Allgather");
  return all;
}

ExactSum Communicator::sum(ExactSum value) const {
  // Integer sums are exact: gathering then adding gives the same bits on every rank.
  ExactSum::Raw total = 0;
  for (ExactSum::Raw v : all_gather(value.raw())) total += v;
  return ExactSum::from_raw(total);
}

void Communicator::sum_in_place(std::span<std::uint64_t> values) const {
  for (std::size_t done = 0; done < values.size();) {
    const std::size_t n = std::min<std::size_t>(values.size() - done, kMaxMessage / 8);
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + done, static_cast<int>(n), MPI_UINT64_T,
                        MPI_SUM, impl_->comm),
          "MPI_Allreduce");
    done += n;
  }
}

void Communicator::broadcast(void* data, std::size_t bytes, int root) const {
  auto* p = static_cast<char*>(data);
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(bytes - done, kMaxMessage);
    check(MPI_Bcast(p + done, static_cast<int>(n), MPI_BYTE, root, impl_->comm), "MPI_Bcast");
    done += n;
  }
}

std::string Communicator::broadcast(const std::string& text, int root) const {
  std::uint64_t length = text.size();
  broadcast(&length, sizeof length, root);
  std::string out = rank_ == root ? text : std::string(length, '\0');
  broadcast(out.data(), length, root);
  return out;
}

void Communicator::gather(const void* send, std::size_t bytes, void* recv, int root) const {
  // In pieces under 2^31 bytes: piece i of every rank lands at rank * bytes + offset.
  std::vector<char> staging;
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(bytes - done, kMaxMessage / static_cast<std::size_t>(size_));
    if (rank_ == root) staging.resize(n * static_cast<std::size_t>(size_));
    check(MPI_Gather(static_cast<const char*>(send) + done, static_cast<int>(n), MPI_BYTE,
                     staging.data(), static_cast<int>(n), MPI_BYTE, root, impl_->comm),
          "MPI_Gather");
    if (rank_ == root)
      for (int r = 0; r < size_; ++r)
        std::memcpy(static_cast<char*>(recv) + static_cast<std::size_t>(r) * bytes + done,
                    staging.data() + static_cast<std::size_t>(r) * n, n);
    done += n;
  }
}

void Communicator::exchange(const void* send, void* recv, std::size_t bytes, int partner) const {
  const auto* s = static_cast<const char*>(send);
  auto* r = static_cast<char*>(recv);
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(bytes - done, kMaxMessage);
    check(MPI_Sendrecv(s + done, static_cast<int>(n), MPI_BYTE, partner, 7, r + done,
                       static_cast<int>(n), MPI_BYTE, partner, 7, impl_->comm, MPI_STATUS_IGNORE),
          "MPI_Sendrecv");
    done += n;
    bytes_sent_ += n;
  }
}

void Communicator::send(const void* data, std::size_t bytes, int dest) const {
  const auto* p = static_cast<const char*>(data);
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(bytes - done, kMaxMessage);
    check(MPI_Send(p + done, static_cast<int>(n), MPI_BYTE, dest, 8, impl_->comm), "MPI_Send");
    done += n;
    bytes_sent_ += n;
  }
}

void Communicator::receive(void* data, std::size_t bytes, int source) const {
  auto* p = static_cast<char*>(data);
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(bytes - done, kMaxMessage);
    check(MPI_Recv(p + done, static_cast<int>(n), MPI_BYTE, source, 8, impl_->comm,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
    done += n;
  }
}

std::string Communicator::write_at_all(const std::string& path, std::uint64_t offset,
                                       const void* data, std::size_t bytes) const {
  MPI_File file;
  int code = MPI_File_open(impl_->comm, path.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY,
                           MPI_INFO_NULL, &file);
  std::string error;
  if (code == MPI_SUCCESS) {
    const auto* p = static_cast<const char*>(data);
    // Every rank makes the same number of calls (all write the same size).
    for (std::size_t done = 0; done < bytes && code == MPI_SUCCESS;) {
      const std::size_t n = std::min(bytes - done, kMaxMessage);
      code = MPI_File_write_at_all(file, static_cast<MPI_Offset>(offset + done), p + done,
                                   static_cast<int>(n), MPI_BYTE, MPI_STATUS_IGNORE);
      done += n;
    }
    const int closed = MPI_File_close(&file);
    if (code == MPI_SUCCESS) code = closed;
  }
  if (code != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(code, text, &len);
    error = std::string(text, static_cast<std::size_t>(len));
  }
  // The same verdict everywhere: the first failing rank's reason.
  if (!any(!error.empty())) return {};
  const auto failing =
      static_cast<int>(max(error.empty() ? 0 : static_cast<std::uint64_t>(size_ - rank_)));
  return broadcast(error, size_ - failing);
}

void Communicator::abort(int code) const {
  MPI_Abort(impl_ ? impl_->comm : MPI_COMM_WORLD, code);
  std::abort();
}

}  // namespace qstate::mpi
