// Hashing of the model's values and tuples, for the audit's indexes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/instance.h"

namespace csp::audit {

inline std::size_t mix(std::size_t seed, std::uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdULL;
  value ^= value >> 33;
  return seed ^ (static_cast<std::size_t>(value) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

struct ValueHash {
  std::size_t operator()(const model::Value& v) const {
    std::size_t h = mix(static_cast<std::size_t>(v.tag), static_cast<std::uint64_t>(v.v));
    return mix(h, static_cast<std::uint64_t>(static_cast<std::int64_t>(v.type_id)));
  }
};

/// A tuple's values without owning them: lets lookups skip building a Tuple.
struct TupleView {
  const model::Value* data = nullptr;
  std::size_t size = 0;
};

struct TupleHash {
  using is_transparent = void;
  std::size_t operator()(TupleView tuple) const {
    std::size_t h = tuple.size;
    for (std::size_t i = 0; i < tuple.size; ++i) h = mix(h, ValueHash{}(tuple.data[i]));
    return h;
  }
  std::size_t operator()(const model::Tuple& tuple) const { return (*this)(TupleView{tuple.data(), tuple.size()}); }
};

struct TupleEqual {
  using is_transparent = void;
  bool operator()(TupleView a, TupleView b) const {
    if (a.size != b.size) return false;
    for (std::size_t i = 0; i < a.size; ++i) {
      if (!(a.data[i] == b.data[i])) return false;
    }
    return true;
  }
  bool operator()(const model::Tuple& a, const model::Tuple& b) const { return a == b; }
  bool operator()(TupleView a, const model::Tuple& b) const { return (*this)(a, TupleView{b.data(), b.size()}); }
  bool operator()(const model::Tuple& a, TupleView b) const { return (*this)(TupleView{a.data(), a.size()}, b); }
};

/// FNV-1a, 64 bits: stable across platforms and runs (shard assignment).
inline std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace csp::audit
