// SmallVector (circuits/small_vector.hpp) against std::vector: the same random sequence of
// operations on both must leave the same elements, inline and past the inline capacity, through
// copies, moves, inserts and erases.
#include <catch2/catch.hpp>
#include <complex>
#include <span>
#include <vector>

#include "circuits/small_vector.hpp"
#include "tests/support/random_circuits.hpp"

namespace {

using qstate::SmallVector;

template <class T, std::size_t N>
bool same(const SmallVector<T, N>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

TEST_CASE("SmallVector behaves as std::vector under random operations", "[small_vector]") {
  qstate::test::SeededRandom rng(42);
  for (int round = 0; round < 200; ++round) {
    SmallVector<std::uint32_t, 3> a;
    std::vector<std::uint32_t> b;
    for (int step = 0; step < 40; ++step) {
      const auto v = static_cast<std::uint32_t>(rng.below(1000));
      switch (rng.below(9)) {
        case 0:
        case 1:
        case 2:
          a.push_back(v);
          b.push_back(v);
          break;
        case 3:
          if (!b.empty()) {
            a.pop_back();
            b.pop_back();
          }
          break;
        case 4: {
          const std::size_t at = rng.below(b.size() + 1);
          a.insert(a.begin() + at, v);
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), v);
          break;
        }
        case 5:
          if (!b.empty()) {
            const std::size_t at = rng.below(b.size());
            a.erase(a.begin() + at);
            b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
          }
          break;
        case 6: {  // insert a copy of its own elements (aliasing)
          const std::size_t at = rng.below(b.size() + 1);
          const std::vector<std::uint32_t> copy = b;
          a.insert(a.begin() + at, a.begin(), a.end());
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), copy.begin(), copy.end());
          break;
        }
        case 7: {  // copy and move round trips
          SmallVector<std::uint32_t, 3> c = a;
          SmallVector<std::uint32_t, 3> d = std::move(c);
          CHECK(c.empty());
          a = d;
          SmallVector<std::uint32_t, 3> e;
          e = std::move(d);
          a = std::move(e);
          break;
        }
        default: {
          const std::size_t n = rng.below(8);
          a.resize(n, v);
          b.resize(n, v);
          break;
        }
      }
      REQUIRE(same(a, b));
      REQUIRE(a.capacity() >= a.size());
    }
  }
}

TEST_CASE("SmallVector converts to and from std::vector and std::span", "[small_vector]") {
  using C = std::complex<double>;
  const std::vector<C> v = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
  SmallVector<C, 4> s = v;  // past the inline capacity
  CHECK(s.size() == 5);
  CHECK(s.capacity() >= 5);
  CHECK(s == v);
  const std::vector<C> back = s;
  CHECK(back == v);
  const std::span<const C> view = s;
  CHECK(view.size() == 5);
  CHECK(view[4] == C(9, 10));
  SmallVector<C, 4> small = {{1, 0}, {0, 1}};
  CHECK(small.capacity() == 4);  // inline
  small = s;
  CHECK(small == v);
  s.clear();
  CHECK(s.empty());
  CHECK(!(s == v));
}
