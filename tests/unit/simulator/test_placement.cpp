// Placement: the base/offset arithmetic every kernel runs on. Checked against brute force: the
// bases of all groups are exactly the indices where the targets are 0 and the controls hold their
// values, in increasing order; base + offset[i] sets target bits per i; for_each_base over any
// sub-range gives the same bases as base(g), also for the empty placement (a global phase).
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "simulator/kernels/placement.hpp"
#include "tests/support/finishes.hpp"

using qstate::kernels::Placement;

namespace {

struct Case {
  std::vector<unsigned> targets;
  std::vector<unsigned> controls;
  std::uint64_t values;
};

std::vector<Case> cases(unsigned n) {
  std::vector<Case> out = {
      {{0}, {}, 0},           {{n - 1}, {}, 0},
      {{3}, {0}, 1},          {{0}, {3}, 0},
      {{2, 0}, {}, 0},        {{0, 2}, {5}, 1},
      {{1, 4, 2}, {0, 6}, 2}, {{}, {2, 4}, 3},
      {{6, 5, 4, 3}, {0}, 0}, {{0, 1, 2, 3, 4, 5, 6}, {}, 0},
  };
  std::mt19937_64 rng(1);
  for (int r = 0; r < 30; ++r) {
    std::vector<unsigned> all(n);
    for (unsigned i = 0; i < n; ++i) all[i] = i;
    std::shuffle(all.begin(), all.end(), rng);
    const unsigned k = 1 + static_cast<unsigned>(rng() % 3);
    const unsigned m = static_cast<unsigned>(rng() % 3);
    out.push_back({{all.begin(), all.begin() + k},
                   {all.begin() + k, all.begin() + k + m},
                   rng() % (1U << m)});
  }
  return out;
}

}  // namespace

TEST_CASE("Placement bases and offsets agree with brute force", "[simulator][placement]") {
  const unsigned n = 7;
  for (const Case& c : cases(n)) {
    const Placement pl(c.targets, c.controls, c.values);
    std::uint64_t target_mask = 0, control_mask = 0, control_bits = 0;
    for (unsigned t : c.targets) target_mask |= std::uint64_t{1} << t;
    for (std::size_t j = 0; j < c.controls.size(); ++j) {
      control_mask |= std::uint64_t{1} << c.controls[j];
      if ((c.values >> j) & 1U) control_bits |= std::uint64_t{1} << c.controls[j];
    }
    std::vector<std::uint64_t> expected_bases;
    for (std::uint64_t i = 0; i < (std::uint64_t{1} << n); ++i)
      if ((i & target_mask) == 0 && (i & control_mask) == control_bits) expected_bases.push_back(i);

    INFO("targets " << c.targets.size() << " controls " << c.controls.size());
    REQUIRE(pl.num_targets() == c.targets.size());
    REQUIRE(pl.num_groups(n) == expected_bases.size());
    for (std::uint64_t g = 0; g < pl.num_groups(n); ++g) CHECK(pl.base(g) == expected_bases[g]);

    // Offsets: bit j of i sets targets[j].
    for (std::size_t i = 0; i < (std::size_t{1} << c.targets.size()); ++i) {
      std::uint64_t want = 0;
      for (std::size_t j = 0; j < c.targets.size(); ++j)
        if ((i >> j) & 1U) want |= std::uint64_t{1} << c.targets[j];
      CHECK(pl.offsets()[i] == want);
    }

    // Every index where the controls hold is visited exactly once as base + offset.
    std::vector<int> seen(std::size_t{1} << n, 0);
    for (std::uint64_t g = 0; g < pl.num_groups(n); ++g)
      for (std::size_t i = 0; i < (std::size_t{1} << c.targets.size()); ++i)
        ++seen[pl.base(g) + pl.offsets()[i]];
    for (std::uint64_t i = 0; i < seen.size(); ++i)
      CHECK(seen[i] == ((i & control_mask) == control_bits ? 1 : 0));

    // for_each_base on split ranges gives the same sequence.
    const std::uint64_t groups = pl.num_groups(n);
    for (std::uint64_t split : {std::uint64_t{1}, std::uint64_t{3}, groups / 2 + 1}) {
      std::vector<std::uint64_t> got;
      for (std::uint64_t begin = 0; begin < groups; begin += split)
        pl.for_each_base(begin, std::min(groups, begin + split),
                         [&](std::uint64_t b) { got.push_back(b); });
      CHECK(got == expected_bases);
    }
  }
}

TEST_CASE("Placement works at high positions", "[simulator][placement]") {
  // Positions near 40: base() must shift in 64 bits.
  const std::vector<unsigned> targets = {40, 2};
  const std::vector<unsigned> controls = {39};
  const Placement pl(targets, controls, 1);
  CHECK(pl.num_groups(41) == (std::uint64_t{1} << 38));
  CHECK(pl.base(0) == (std::uint64_t{1} << 39));
  // Group number with all 38 free bits set: every position but 2, 39, 40 is 1, control 39 is 1.
  const std::uint64_t last = (std::uint64_t{1} << 38) - 1;
  const std::uint64_t want = ((std::uint64_t{1} << 40) - 1) & ~(std::uint64_t{1} << 2);
  CHECK(pl.base(last) == want);
  CHECK(pl.offsets()[1] == (std::uint64_t{1} << 40));
  CHECK(pl.offsets()[2] == (std::uint64_t{1} << 2));
}

// Hidden: run in a child process by the test below (a hang must not stall the suite).
TEST_CASE("empty placement from odd starts (child)", "[.][child]") {
  const Placement pl({}, {}, 0);
  for (std::uint64_t begin : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{5}}) {
    std::vector<std::uint64_t> got;
    pl.for_each_base(begin, 16, [&](std::uint64_t b) { got.push_back(b); });
    std::vector<std::uint64_t> want;
    for (std::uint64_t g = begin; g < 16; ++g) want.push_back(g);
    CHECK(got == want);
  }
}

TEST_CASE("Placement with no targets and no controls visits every index once from any start",
          "[simulator][placement]") {
  // A global-phase gate (0-target diagonal, no controls) has one group per index. Its "run" covers
  // the whole index space; for_each_base must still stop when started at an odd group.
  const Placement pl({}, {}, 0);
  REQUIRE(pl.num_groups(4) == 16);
  CHECK(pl.base(5) == 5);
  CHECK(qstate::test::run_test_case_in_child("empty placement from odd starts (child)") ==
        qstate::test::ChildOutcome::kPassed);
}
