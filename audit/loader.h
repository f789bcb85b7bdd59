// Reading the data an audit checks: every `import` of the model applied to
// its file under the --data directory (CSV, a JSON document or NDJSON), with
// per-record diagnostics at file:line:col (unknown columns, values of the
// wrong type, missing required values, duplicate keys, references to keys no
// record defines). A malformed record is reported and skipped; past
// max_errors reading stops.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "audit/data.h"
#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::audit {

/// One of `count` independent shards (0 <= index < count): records of an
/// import with `partition "field"` belong to shard shard_of(value, count);
/// every other import is read whole by each shard (docs/audit.md, "Shards").
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
};

/// The shard a partition value belongs to: stable across runs and machines.
std::uint32_t shard_of(std::string_view partition_value, std::uint32_t count);

struct LoadProgress {
  std::uint64_t records = 0;     // records read so far, over every file
  std::uint64_t bytes_done = 0;  // bytes of data files behind those records
  std::uint64_t bytes_total = 0; // bytes of every data file
};

struct LoadOptions {
  std::string data_dir;
  /// Reading stops once more than this many records are in error.
  std::uint64_t max_errors = 100;
  std::optional<Shard> shard;
  /// Threads parsing a large NDJSON file; 0: one per hardware thread.
  unsigned jobs = 0;
  /// NDJSON files from this size on are parsed in blocks of `block_bytes`
  /// on `jobs` threads (smaller ones are not worth the threads).
  std::size_t parallel_bytes = 4 << 20;
  std::size_t block_bytes = 4 << 20;
  /// Called now and then while reading (for a progress line); may be empty.
  std::function<void(const LoadProgress&)> progress;
};

/// Data diagnostic codes (SARIF rule ids of data errors).
namespace data_code {
inline constexpr const char* kMalformed = "E0501";   // not CSV / JSON
inline constexpr const char* kBadValue = "E0502";    // a value of the wrong type
inline constexpr const char* kMissing = "E0503";     // a required value or the key is missing
inline constexpr const char* kDangling = "E0504";    // a reference to a key no record defines
inline constexpr const char* kDuplicate = "E0505";   // a key given twice
inline constexpr const char* kColumn = "E0506";      // a mapped CSV column the header lacks
inline constexpr const char* kUnreadable = "E0507";  // a data file that cannot be read
inline constexpr const char* kTooMany = "E0508";     // past --max-errors
}  // namespace data_code

/// Reads every import's data. Data files are added to `sources`, so
/// diagnostics and provenance point into them.
DataSet load_data(const model::Model& model, const LoadOptions& options, model::SourceManager& sources,
                  model::DiagnosticSink& sink);

}  // namespace csp::audit
