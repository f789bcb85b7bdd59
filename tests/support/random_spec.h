// Random small specs for differential testing: a seeded, deterministic
// generator of well-typed .cspv text (the same seed gives the same text on
// every platform: no <random> distributions). The text goes through the real
// front end, so the lexer, parser and checker are exercised too.
//
// Shape: 2-3 entity kinds; Bool, small enum, optional reference and Date
// attributes (Int now and then); 1-2 binary relations (over kinds, once in a
// while over a kind and an enum); 2-4 rules and 2-3 properties built from
// forall/exists with 1-2 variables, nested quantifiers, and/or/not/implies/
// iff, ==/!= with `none`, attribute chains, relation calls, `in`, and now and
// then a closure of a relation over one kind.
//
// Int and Date attributes are only compared with literals, so the oracle's
// small value sets are complete for every generated spec (see enumerate.h).
#pragma once

#include <cstdint>
#include <string>

namespace csp::test {

struct RandomSpecOptions {
  /// Upper bound on the number of instances at scope 2 (every kind 2), as the
  /// generator estimates it; vocabularies over it are drawn again.
  std::uint64_t max_space_at_2 = 1u << 20;
};

std::string random_spec(std::uint64_t seed, const RandomSpecOptions& options = {});

/// splitmix64: small, fast, and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) for n > 0 (the bias of % is irrelevant here).
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  /// True with probability percent/100.
  bool chance(int percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

}  // namespace csp::test
