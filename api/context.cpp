// Context with and without MPI. MPI is started only when an MPI launcher started this process
// (as the CLI does); the world communicator lives until the process ends, so simulators can come
// and go while MPI stays initialised.
#include "api/context.hpp"

#include <qstate/config.hpp>

#include <cstdlib>
#include <map>
#include <vector>

#include "circuits/error.hpp"

#include "mpi/launcher.hpp"
#if QSTATE_WITH_MPI
#include "mpi/backend.hpp"
#include "mpi/communicator.hpp"
#endif

namespace qstate::api::detail {
namespace {

using mpi::launched_by_mpi;

}  // namespace

#if QSTATE_WITH_MPI

struct Context::Impl {
  std::shared_ptr<const mpi::Communicator> comm;  // null: one process
  std::unique_ptr<mpi::MpiBackend> backend;
  struct Subset {
    std::unique_ptr<mpi::Communicator> comm;  // invalid beyond the first `count` ranks
    std::unique_ptr<mpi::MpiBackend> backend;
  };
  mutable std::map<int, Subset> subsets;  // by count
};

namespace {
std::shared_ptr<const mpi::Communicator> world() {
  static const std::shared_ptr<const mpi::Communicator> kWorld = [] {
    int argc = 0;
    char** argv = nullptr;
    return std::make_shared<const mpi::Communicator>(&argc, &argv);
  }();
  return kWorld;
}
}  // namespace

std::shared_ptr<Context> Context::make(const SimulatorOptions& options) {
  auto impl = std::make_unique<Impl>();
  if (launched_by_mpi()) {
    impl->comm = world();
    if (impl->comm->size() > 1)
      impl->backend = std::make_unique<mpi::MpiBackend>(*impl->comm, options.exchange_buffer_bytes);
  }
  return std::shared_ptr<Context>(new Context(options, std::move(impl)));
}

std::shared_ptr<Context> Context::from_comm(const void* mpi_comm, const SimulatorOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->comm = std::make_shared<const mpi::Communicator>(mpi::Communicator::duplicate(mpi_comm));
  if (impl->comm->size() > 1)
    impl->backend = std::make_unique<mpi::MpiBackend>(*impl->comm, options.exchange_buffer_bytes);
  return std::shared_ptr<Context>(new Context(options, std::move(impl)));
}

int Context::rank() const {
  return impl_->comm ? impl_->comm->rank() : 0;
}
int Context::ranks() const {
  return impl_->comm ? impl_->comm->size() : 1;
}

const Backend& Context::distributed_backend() const {
  static const Backend kLocal;
  return impl_->backend ? impl_->backend->backend() : kLocal;
}

const Collective* Context::collective() const {
  return impl_->backend ? impl_->backend->backend().collective : nullptr;
}

const Backend* Context::backend_on_first(int count) const {
  if (!impl_->comm) return nullptr;
  auto it = impl_->subsets.find(count);
  if (it == impl_->subsets.end()) {
    Impl::Subset subset;
    subset.comm = std::make_unique<mpi::Communicator>(impl_->comm->first(count));
    if (subset.comm->valid())
      subset.backend =
          std::make_unique<mpi::MpiBackend>(*subset.comm, options_.exchange_buffer_bytes);
    it = impl_->subsets.emplace(count, std::move(subset)).first;
  }
  return it->second.backend ? &it->second.backend->backend() : nullptr;
}

bool Context::has_mpi() const {
  return impl_->comm != nullptr;
}

void Context::abort(int code) const {
  if (impl_->comm) impl_->comm->abort(code);
  std::exit(code);
}

void Context::agree(const std::string& error) const {
  if (impl_->backend) impl_->backend->backend().collective->agree(error);
  if (!error.empty()) throw Error(error);
}

void Context::broadcast(void* data, std::size_t bytes, int root) const {
  if (impl_->comm && impl_->comm->size() > 1) impl_->comm->broadcast(data, bytes, root);
}

__extension__ typedef unsigned __int128 Unsigned128;

void Context::sum_exact(std::span<ExactSum::Raw> values) const {
  if (!impl_->comm || impl_->comm->size() == 1) return;
  // Non-negative 128-bit values as four 32-bit limbs in 64-bit slots: the slots cannot overflow
  // below 2^32 ranks, and the integer sum is exact and the same on every rank.
  std::vector<std::uint64_t> limbs(values.size() * 4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto v = static_cast<Unsigned128>(values[i]);
    for (int l = 0; l < 4; ++l)
      limbs[i * 4 + static_cast<std::size_t>(l)] =
          static_cast<std::uint64_t>(v >> (32 * l)) & 0xffffffffULL;
  }
  impl_->comm->sum_in_place(limbs);
  for (std::size_t i = 0; i < values.size(); ++i) {
    Unsigned128 v = 0;
    for (int l = 3; l >= 0; --l) v = (v << 32) + limbs[i * 4 + static_cast<std::size_t>(l)];
    values[i] = static_cast<ExactSum::Raw>(v);
  }
}

#else

struct Context::Impl {};

std::shared_ptr<Context> Context::make(const SimulatorOptions& options) {
  (void)launched_by_mpi;
  return std::shared_ptr<Context>(new Context(options, std::make_unique<Impl>()));
}
std::shared_ptr<Context> Context::from_comm(const void*, const SimulatorOptions&) {
  throw Error("this qstate was built without MPI (QSTATE_WITH_MPI=OFF)");
}
int Context::rank() const {
  return 0;
}
int Context::ranks() const {
  return 1;
}
const Backend& Context::distributed_backend() const {
  static const Backend kLocal;
  return kLocal;
}
const Collective* Context::collective() const {
  return nullptr;
}
void Context::agree(const std::string& error) const {
  if (!error.empty()) throw Error(error);
}
void Context::broadcast(void*, std::size_t, int) const {}
void Context::sum_exact(std::span<ExactSum::Raw>) const {}
const Backend* Context::backend_on_first(int) const {
  return nullptr;
}
bool Context::has_mpi() const {
  return false;
}
void Context::abort(int code) const {
  std::exit(code);
}

#endif

Context::Context(const SimulatorOptions& options, std::unique_ptr<Impl> impl)
    : options_(options), impl_(std::move(impl)) {}
Context::~Context() = default;

std::uint64_t Context::share(std::uint64_t value) const {
  broadcast(&value, sizeof value, 0);
  return value;
}

}  // namespace qstate::api::detail
