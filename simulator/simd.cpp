// SIMD target selection and the FMA peak measurement, compiled for every Highway target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simulator/simd.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace qstate {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Eight independent FMA chains kept in registers; returns a value so the loop is not removed.
template <class T>
double FmaLoop(std::uint64_t iterations) {
  const hn::ScalableTag<T> d;
  auto a0 = hn::Set(d, T(1.0)), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  const auto m = hn::Set(d, T(0.9999999));
  const auto c = hn::Set(d, T(1e-7));
  for (std::uint64_t i = 0; i < iterations; ++i) {
    a0 = hn::MulAdd(a0, m, c);
    a1 = hn::MulAdd(a1, m, c);
    a2 = hn::MulAdd(a2, m, c);
    a3 = hn::MulAdd(a3, m, c);
    a4 = hn::MulAdd(a4, m, c);
    a5 = hn::MulAdd(a5, m, c);
    a6 = hn::MulAdd(a6, m, c);
    a7 = hn::MulAdd(a7, m, c);
  }
  const auto sum =
      hn::Add(hn::Add(hn::Add(a0, a1), hn::Add(a2, a3)), hn::Add(hn::Add(a4, a5), hn::Add(a6, a7)));
  return static_cast<double>(hn::GetLane(sum)) + static_cast<double>(hn::Lanes(d));
}

double FmaLoopFloat(std::uint64_t iterations) {
  return FmaLoop<float>(iterations);
}
double FmaLoopDouble(std::uint64_t iterations) {
  return FmaLoop<double>(iterations);
}
std::size_t LanesDouble() {
  return hn::Lanes(hn::ScalableTag<double>());
}

}  // namespace HWY_NAMESPACE
}  // namespace qstate
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

#include <chrono>
#include <cstdlib>
#include <mutex>

#include "circuits/error.hpp"
#include "simulator/parallel.hpp"
#include "simulator/simd.hpp"

namespace qstate {

HWY_EXPORT(FmaLoopFloat);
HWY_EXPORT(FmaLoopDouble);
HWY_EXPORT(LanesDouble);

namespace {

struct Named {
  const char* name;
  std::int64_t target;
};
constexpr Named kTargets[] = {{"avx512", HWY_AVX3},
                              {"avx2", HWY_AVX2},
                              {"sse4", HWY_SSE4},
                              {"ssse3", HWY_SSSE3},
                              {"scalar", HWY_SCALAR}};

}  // namespace

void select_simd_target() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    const char* env = std::getenv("QSTATE_SIMD");
    if (env == nullptr || *env == '\0' || std::string(env) == "auto") return;
    for (const Named& t : kTargets) {
      if (std::string(env) != t.name) continue;
      if ((HWY_TARGETS & t.target) == 0 || (hwy::SupportedTargets() & t.target) == 0) {
        failure = std::string("QSTATE_SIMD=") + env + ": this CPU or build cannot run it";
        return;
      }
      hwy::SetSupportedTargetsForTest(t.target);
      return;
    }
    failure = std::string("QSTATE_SIMD=") + env +
              " is not one of auto, avx512, avx2, sse4, ssse3, scalar";
  });
  if (!failure.empty()) throw Error(failure);
}

std::string simd_target_name() {
  select_simd_target();
  // The target the dispatch table picks: the best supported one compiled in.
  const std::int64_t chosen = hwy::SupportedTargets() & HWY_TARGETS;  // never 0: scalar is in
  return hwy::TargetName(chosen & -chosen);  // the lowest bit is the best target
}

std::vector<std::string> available_simd_targets() {
  std::vector<std::string> out;
  for (const Named& t : kTargets)
    if ((HWY_TARGETS & t.target) != 0 && (hwy::SupportedTargets() & t.target) != 0)
      out.push_back(t.name);
  return out;
}

double measure_peak_flops(int threads, bool single_precision) {
  select_simd_target();
  const std::uint64_t iterations = std::uint64_t{1} << 26;
  const std::size_t lanes = HWY_DYNAMIC_DISPATCH(LanesDouble)() * (single_precision ? 2 : 1);
  set_num_threads(threads);
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    volatile double sink = 0;
    parallel_for(static_cast<std::uint64_t>(threads), 1, [&](std::uint64_t b, std::uint64_t e) {
      for (std::uint64_t i = b; i < e; ++i)
        sink = single_precision ? HWY_DYNAMIC_DISPATCH(FmaLoopFloat)(iterations)
                                : HWY_DYNAMIC_DISPATCH(FmaLoopDouble)(iterations);
    });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, static_cast<double>(threads) * static_cast<double>(iterations) * 8.0 *
                              static_cast<double>(lanes) * 2.0 / s);
  }
  return best;
}

}  // namespace qstate

#endif  // HWY_ONCE
