// The facts an audit reads: a model::Instance built from the data files (one
// entity per keyed record, one tuple per relation record), and where each
// fact came from, so every violation can cite the data file and line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/hash.h"
#include "model/instance.h"
#include "model/source.h"

namespace csp::audit {

/// What one `import` did with the records of its file.
struct ImportStats {
  int import_id = -1;     // index into Model::imports
  std::string path;       // the data file as opened (under --data)
  std::uint64_t read = 0;         // records read
  std::uint64_t skipped = 0;      // malformed or invalid records, each reported
  std::uint64_t filtered = 0;     // records a `where` left out
  std::uint64_t other_shard = 0;  // records of another shard (LoadOptions::shard), or tuples naming its keys
  std::uint64_t loaded = 0;       // records that became facts
  /// Sharded runs: the offsets of the skipped records, sorted, so that a
  /// merge counts a record every shard skipped once (`cspverify merge`).
  std::vector<std::uint32_t> skipped_at;
};

/// What became of the records of one data file, over every import reading it.
struct FileStats {
  std::string path;
  std::uint64_t read = 0;      // records in the file
  std::uint64_t skipped = 0;   // records in error for some import (each reported), or referring to one
  std::uint64_t filtered = 0;  // records every import left out (`where`, another shard)
  std::uint64_t other_shard = 0;  // of `filtered`: those some import left to another shard
  std::vector<std::uint32_t> skipped_at;  // the skipped records' offsets, sorted (as ImportStats::skipped_at)
  std::uint64_t checked() const { return read - skipped - filtered; }
};

/// The time one step of an audit took, for `cspverify audit --stats`: wall
/// time, and CPU time of the whole process meanwhile (above the wall time
/// when threads share the step).
struct PhaseTime {
  std::string name;
  double wall_ms = 0;
  double cpu_ms = 0;
};

/// Times consecutive steps: each mark() ends one and starts the next.
class PhaseClock {
 public:
  PhaseClock();
  void mark(std::string name, std::vector<PhaseTime>& out);

 private:
  double wall_ = 0, cpu_ = 0;
};

struct DataSet {
  model::Instance instance;
  /// By entity index: the record that created the entity.
  std::vector<model::SourceRange> entity_origin;
  /// Attribute values set by a `join` import: (entity << 16 | attribute) -> record.
  std::unordered_map<std::uint64_t, model::SourceRange> joined_origin;
  /// By relation id: each tuple's record (the first, when several give it).
  std::vector<std::unordered_map<model::Tuple, model::SourceRange, TupleHash, TupleEqual>> tuple_origin;
  std::vector<ImportStats> imports;
  std::vector<FileStats> files;  // in the order they were read
  /// False when reading stopped early: past --max-errors, a file that could
  /// not be read or mapped, or an interrupt. The facts are then partial.
  bool complete = true;
  std::string stop_reason;
  int interrupted_by = 0;  // the signal, when an interrupt stopped reading
  /// Sharded runs, by relation: tuples that name an entity of a `partition`
  /// import, so no other shard has them (the others are in every shard).
  std::vector<std::uint64_t> shard_tuples;
  /// Sharded runs, by relation: tuples of imports every shard reads that
  /// name entities of two shards, so that no shard has them (each counted
  /// by the lowest of those shards).
  std::vector<std::uint64_t> cross_shard_tuples;
  /// Sharded runs: entities (by kind) and tuple records (by relation) of the
  /// other shards, so that each shard plans by the whole data's sizes.
  std::vector<std::uint64_t> other_shard_entities, other_shard_tuples;
  std::vector<PhaseTime> phases;  // reading each file, resolving references, laying out the facts

  /// Totals over `files`.
  std::uint64_t records_read() const;
  std::uint64_t records_skipped() const;
  std::uint64_t records_filtered() const;
  std::uint64_t records_checked() const;
  /// The record a fact about `entity`'s attribute came from.
  model::SourceRange attribute_origin(int entity, int attribute) const;
};

}  // namespace csp::audit
