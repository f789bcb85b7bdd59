// Open-addressing hash tables for the audit's hot paths: one array probed
// linearly, no node per entry, so a lookup among millions of keys costs
// about one cache miss (std::unordered_* chase a pointer per node).
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <algorithm>
#include <functional>
#include <span>
#include <utility>
#include <string_view>
#include <vector>

namespace csp::audit {

/// Makes room for `n` elements in `table`, asking for 2 MiB pages when it is
/// large: millions of keys probed at random miss the TLB on every probe with
/// 4 KiB pages, and on this kind of virtual machine each 4 KiB page's first
/// touch is a costly fault. The advice must come before the pages are first
/// touched (touched ones stay small) and covers only whole 2 MiB pages inside
/// the allocation (madvise wants aligned bounds); where the kernel declines,
/// everything works the same with small pages.
template <typename T>
void reserve_large(std::vector<T>& table, std::size_t n) {
  table.reserve(n);
  constexpr std::uintptr_t kHuge = 2u << 20;
  std::size_t bytes = n * sizeof(T);
  if (bytes >= 4 * kHuge) {
    auto begin = (reinterpret_cast<std::uintptr_t>(table.data()) + kHuge - 1) & ~(kHuge - 1);
    auto end = (reinterpret_cast<std::uintptr_t>(table.data()) + bytes) & ~(kHuge - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
}

/// Fills `table` with `n` copies of `fill`, on 2 MiB pages when it is large.
template <typename T>
void assign_large(std::vector<T>& table, std::size_t n, const T& fill) {
  std::vector<T>().swap(table);
  reserve_large(table, n);
  table.assign(n, fill);
}

inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// A set of 64-bit keys (UINT64_MAX is reserved as the empty marker).
class FlatSet64 {
 public:
  void reserve(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    if (capacity <= slots_.size()) return;
    std::vector<std::uint64_t> old;
    old.swap(slots_);
    assign_large(slots_, capacity, kEmpty);
    size_ = 0;
    for (std::uint64_t key : old) {
      if (key != kEmpty) insert(key);
    }
  }
  bool insert(std::uint64_t key) {
    if (key == kEmpty) return false;
    if ((size_ + 1) * 2 > slots_.size()) reserve(size_ + 1);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return false;
      if (slots_[i] == kEmpty) {
        slots_[i] = key;
        ++size_;
        return true;
      }
    }
  }
  bool contains(std::uint64_t key) const {
    if (slots_.empty() || key == kEmpty) return false;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix64(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return true;
      if (slots_[i] == kEmpty) return false;
    }
  }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::uint64_t kEmpty = ~0ULL;
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

/// Data keys -> entity positions. The strings are not copied: each view must
/// outlive the index (the loader's views point into entity names that never move).
class KeyIndex {
 public:
  static constexpr std::uint32_t kMissing = ~0U;

  void reserve(std::size_t n) {
    std::size_t capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    if (capacity <= slots_.size()) return;
    std::vector<Slot> old;
    old.swap(slots_);
    assign_large(slots_, capacity, Slot{});
    for (const Slot& s : old) {
      if (s.value != kMissing) place(s);
    }
  }
  std::uint32_t find(std::string_view key) const {
    if (slots_.empty()) return kMissing;
    std::uint64_t h = hash(key);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.value == kMissing) return kMissing;
      if (s.hash == h && s.key == key) return s.value;
    }
  }
  /// Adds `key` unless present; returns the value now stored for it.
  std::uint32_t insert(std::string_view key, std::uint32_t value) {
    Probe probe = probe_for_insert(key);
    if (probe.existing != kMissing) return probe.existing;
    insert_at(probe, key, value);
    return value;
  }

  /// One probe for a key about to be added: the value stored for it, or
  /// where it goes. Lets the caller look first and store a view of its own
  /// copy of the key after, without a second probe; nothing may be inserted
  /// in between.
  struct Probe {
    std::uint32_t existing = kMissing;
    std::size_t slot = 0;
    std::uint64_t hash = 0;
  };
  Probe probe_for_insert(std::string_view key) {
    if ((size_ + 1) * 2 > slots_.size()) reserve(size_ + 1);
    Probe probe;
    probe.hash = hash(key);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = probe.hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.value == kMissing) {
        probe.slot = i;
        return probe;
      }
      if (s.hash == probe.hash && s.key == key) {
        probe.existing = s.value;
        return probe;
      }
    }
  }
  /// Stores `key` (equal to the key probed, viewing storage that outlives the index).
  void insert_at(const Probe& probe, std::string_view key, std::uint32_t value) {
    slots_[probe.slot] = Slot{probe.hash, key, value};
    ++size_;
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view key;
    std::uint32_t value = kMissing;
  };
  static std::uint64_t hash(std::string_view key) { return mix64(std::hash<std::string_view>{}(key)); }
  void place(const Slot& slot) {
    std::size_t mask = slots_.size() - 1;
    std::size_t i = slot.hash & mask;
    while (slots_[i].value != kMissing) i = (i + 1) & mask;
    slots_[i] = slot;
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

/// Entities grouped by a 64-bit hash of their key: a probe gives the
/// entities whose key hashes alike, in ascending order. Two keys may share a
/// hash, so the result is a superset: callers re-check each entity (the
/// audit engine evaluates the whole body on every candidate anyway).
class HashBuckets {
 public:
  /// `items`: (hash, entity) pairs, any order.
  explicit HashBuckets(std::vector<std::pair<std::uint64_t, std::uint32_t>> items = {}) {
    std::sort(items.begin(), items.end());
    entities_.reserve(items.size());
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < items.size(); ++i) distinct += i == 0 || items[i].first != items[i - 1].first;
    std::size_t capacity = 16;
    while (capacity < distinct * 2) capacity *= 2;
    assign_large(slots_, capacity, Slot{});
    for (std::size_t i = 0; i < items.size();) {
      std::size_t end = i;
      while (end < items.size() && items[end].first == items[i].first) entities_.push_back(items[end++].second);
      place(Slot{items[i].first, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end - i)});
      i = end;
    }
  }
  std::span<const std::uint32_t> find(std::uint64_t hash) const {
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix64(hash) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.count == 0) return {};
      if (s.hash == hash) return {entities_.data() + s.begin, s.count};
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t begin = 0;
    std::uint32_t count = 0;  // 0: empty
  };
  void place(const Slot& slot) {
    std::size_t mask = slots_.size() - 1;
    std::size_t i = mix64(slot.hash) & mask;
    while (slots_[i].count != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }

  std::vector<Slot> slots_;
  std::vector<std::uint32_t> entities_;
};

}  // namespace csp::audit
