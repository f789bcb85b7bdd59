// The audit's data loader. Three steps keep references simple:
//   1. every file with `key` or relation imports is read once, each record
//      applied to each such import: entities get their keys and plain values,
//      and references are kept as pending keys;
//   2. every file with `join` imports is read, setting attributes of the
//      entities step 1 created;
//   3. pending references are resolved by key. A record referring to a key
//      no record defines is reported and skipped, and so, in turn, is every
//      record referring to a skipped one (until nothing changes); then the
//      entities are laid out by kind, as model::Instance expects.
#include "audit/loader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <thread>

#include <fmt/format.h>

#include "audit/flat_hash.h"
#include "audit/json.h"
#include "model/csv.h"
#include "model/parallel.h"
#include "model/stop.h"

namespace csp::audit {

std::uint32_t shard_of(std::string_view partition_value, std::uint32_t count) {
  if (count <= 1) return 0;
  return static_cast<std::uint32_t>(fnv1a(partition_value) % count);
}

namespace {
double now_ms(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}
}  // namespace

PhaseClock::PhaseClock() : wall_(now_ms(CLOCK_MONOTONIC)), cpu_(now_ms(CLOCK_PROCESS_CPUTIME_ID)) {}

void PhaseClock::mark(std::string name, std::vector<PhaseTime>& out) {
  double wall = now_ms(CLOCK_MONOTONIC), cpu = now_ms(CLOCK_PROCESS_CPUTIME_ID);
  out.push_back({std::move(name), wall - wall_, cpu - cpu_});
  wall_ = wall;
  cpu_ = cpu;
}

std::uint64_t DataSet::records_read() const {
  std::uint64_t n = 0;
  for (const auto& f : files) n += f.read;
  return n;
}
std::uint64_t DataSet::records_skipped() const {
  std::uint64_t n = 0;
  for (const auto& f : files) n += f.skipped;
  return n;
}
std::uint64_t DataSet::records_filtered() const {
  std::uint64_t n = 0;
  for (const auto& f : files) n += f.filtered;
  return n;
}
std::uint64_t DataSet::records_checked() const { return records_read() - records_skipped() - records_filtered(); }

model::SourceRange DataSet::attribute_origin(int entity, int attribute) const {
  auto it = joined_origin.find((static_cast<std::uint64_t>(entity) << 16) | static_cast<std::uint64_t>(attribute));
  if (it != joined_origin.end()) return it->second;
  return entity >= 0 && static_cast<std::size_t>(entity) < entity_origin.size() ? entity_origin[entity]
                                                                               : model::SourceRange{};
}

namespace {

namespace fs = std::filesystem;
using model::ImportDecl;
using model::SourceRange;
using model::Type;
using model::TypeKind;
using model::Value;

// ----------------------------------------------------------------- records

/// A field of the current record, whatever the format.
struct Field {
  bool present = false;    // the record has the field (a CSV column always has)
  bool null = false;       // JSON null
  bool composite = false;  // a JSON object or array
  std::string_view text;
  SourceRange range;
  bool empty() const { return !present || null || (!composite && text.empty()); }
};

class Record {
 public:
  virtual ~Record() = default;
  virtual Field field(int slot) const = 0;
  /// The record's first character: where messages about it as a whole point.
  virtual SourceRange start() const = 0;
};

class CsvRecordView : public Record {
 public:
  CsvRecordView(const model::CsvRecord& record) : record_(record) {}
  Field field(int slot) const override {
    if (slot < 0 || static_cast<std::size_t>(slot) >= record_.fields.size()) return {};
    const model::CsvField& f = record_.fields[slot];
    return Field{true, false, false, f.text, f.range};
  }
  SourceRange start() const override { return {record_.range.file, record_.range.begin, record_.range.begin + 1}; }

 private:
  const model::CsvRecord& record_;
};

class JsonRecordView : public Record {
 public:
  JsonRecordView(const std::vector<JsonField>& fields, int file, std::uint32_t begin)
      : fields_(fields), file_(file), begin_(begin) {}
  Field field(int slot) const override {
    if (slot < 0 || static_cast<std::size_t>(slot) >= fields_.size()) return {};
    const JsonField& f = fields_[slot];
    if (f.kind == JsonField::Kind::Missing) return {};
    Field out;
    out.present = true;
    out.null = f.kind == JsonField::Kind::Null;
    out.composite = f.kind == JsonField::Kind::Object || f.kind == JsonField::Kind::Array;
    out.text = f.text;
    out.range = {file_, f.begin, f.end};
    return out;
  }
  SourceRange start() const override { return {file_, begin_, begin_ + 1}; }

 private:
  const std::vector<JsonField>& fields_;
  int file_;
  std::uint32_t begin_;
};

// ----------------------------------------------------------------- imports

/// An import with its fields bound to the reader's slots (CSV columns or JSON paths).
struct BoundImport {
  int id = -1;
  const ImportDecl* decl = nullptr;
  ImportStats* stats = nullptr;
  int key_slot = -1;
  int partition_slot = -1;
  struct Filter {
    int slot = -1;
    bool equal = true;
    std::string text;
  };
  std::vector<Filter> filters;
  struct Assign {
    const model::ImportAssignment* source = nullptr;
    int target = -1;
    Type type;
    std::vector<int> slots;               // the fields, in `else` order
    std::optional<Value> constant;        // a constant instead of fields
    std::unordered_map<std::string, Value> table;  // the value table, if any
  };
  std::vector<Assign> assigns;
  std::vector<char> joined;  // join imports: target entities (local index) already set by this import
};

/// A value a record gives: a plain value, or the key of an entity to find later.
struct Converted {
  Value value;
  bool reference = false;
  std::string_view key;
};

struct PendingRef {
  int owner_kind = -1;
  std::uint32_t owner = 0;  // local index within owner_kind
  std::uint16_t attribute = 0;
  int target_kind = -1;
  std::uint64_t key_offset = 0;  // into the key arena
  std::uint32_t key_length = 0;
  SourceRange range;
  int import_id = -1;  // the import whose record gave it
  std::uint32_t target = 0;  // local index, once resolved
};

struct PendingArg {
  Value value;           // a plain value, or the entity found (local index) once `resolved`
  int target_kind = -1;  // an entity to find by key, or -1 for a plain value
  bool resolved = false;
  std::uint64_t key_offset = 0;
  std::uint32_t key_length = 0;
  SourceRange range;
};

struct PendingTuple {
  int relation = -1;
  int import_id = -1;
  SourceRange origin;
  std::vector<PendingArg> args;
};

/// The files one step reads: each (path, items) once, with the imports it feeds.
struct FileGroup {
  std::string path;
  std::string items;
  ImportDecl::Format format = ImportDecl::Format::Unknown;
  std::vector<int> imports;
};

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string quoted_list(const std::vector<std::string>& names, std::size_t max = 12) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < max; ++i) out += fmt::format("{}`{}`", i ? ", " : "", names[i]);
  if (names.size() > max) out += fmt::format(", ... ({} in all)", names.size());
  return out;
}

Value literal_value(const model::Expr& expr) {
  switch (expr.kind) {
    case model::ExprKind::BoolLit: return Value::boolean(expr.value != 0);
    case model::ExprKind::IntLit: return Value::integer(expr.value);
    case model::ExprKind::DateLit: return Value::date(expr.value);
    case model::ExprKind::EnumValue: return Value::enum_value(expr.id, expr.value);
    default: return Value::none();
  }
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `YYYY-MM-DD`, or a Partner Center date-time `YYYY-MM-DDThh:mm:ss...`
// (the calendar day as written; Partner Center writes UTC).
std::optional<std::int64_t> parse_date(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  if (text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) || !all_digits(text.substr(5, 2)) ||
      !all_digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t n) {
    int v = 0;
    std::from_chars(text.data() + at, text.data() + at + n, v);
    return v;
  };
  return model::days_from_date(number(0, 4), number(5, 2), number(8, 2));
}

/// While set (on a thread preparing records), data diagnostics wait here
/// until their record is committed, in file order; see Loader::read_ndjson.
thread_local std::vector<model::Diagnostic>* buffered_diagnostics = nullptr;

/// A reference whose kind is not complete yet, with its key copied.
struct PreparedRef {
  std::uint16_t attribute = 0;
  int target_kind = -1;
  std::string key;
  SourceRange range;
};

/// What one import makes of one record, before it is committed.
struct Prepared {
  enum class Outcome { Filtered, OtherShard, Entity, Tuple, Failed, Join };
  Outcome outcome = Outcome::Failed;
  std::string key;  // the entity's key (also for a failed entity, to say why references to it fail)
  SourceRange key_range;
  std::vector<Value> attributes;
  std::vector<PreparedRef> refs;
  PendingTuple tuple;
  std::vector<std::string> arg_keys;  // keys of the tuple's arguments still to find
  std::uint32_t owner_shard = 0;      // OtherShard: the shard the record belongs to
  bool elsewhere = false;             // a tuple naming another shard's entity (OtherShard, not Failed)
  std::set<std::uint32_t> owners;     // a tuple's shards: of the `partition` records it names
};

struct PreparedRecord {
  SourceRange start;
  bool malformed = false;
  std::vector<Prepared> imports;
  std::vector<model::Diagnostic> diagnostics;
};

/// Blocks of records handed from the parsing threads to the one that commits
/// them in file order. A block is claimed only while fewer than `window`
/// blocks wait to be committed, which bounds the memory they hold.
class BlockQueue {
 public:
  BlockQueue(std::size_t blocks, std::size_t window) : results_(blocks), ready_(blocks, false), window_(window) {}

  /// The next block to parse; false once every block is claimed or the read stopped.
  bool claim(std::size_t& block) {
    std::unique_lock lock(mutex_);
    claimable_.wait(lock, [&] { return cancelled_ || next_ >= results_.size() || next_ < taken_ + window_; });
    if (cancelled_ || next_ >= results_.size()) return false;
    block = next_++;
    return true;
  }
  void publish(std::size_t block, std::vector<PreparedRecord> records) {
    {
      std::lock_guard lock(mutex_);
      results_[block] = std::move(records);
      ready_[block] = true;
    }
    published_.notify_all();
  }
  /// Block `block`'s records, once parsed; blocks are taken in order.
  std::vector<PreparedRecord> take(std::size_t block) {
    std::vector<PreparedRecord> out;
    {
      std::unique_lock lock(mutex_);
      published_.wait(lock, [&] { return ready_[block]; });
      out = std::move(results_[block]);
      taken_ = block + 1;
    }
    claimable_.notify_all();
    return out;
  }
  void cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    claimable_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable claimable_, published_;
  std::vector<std::vector<PreparedRecord>> results_;
  std::vector<bool> ready_;
  std::size_t window_;
  std::size_t next_ = 0, taken_ = 0;
  bool cancelled_ = false;
};

class Loader {
 public:
  Loader(const model::Model& model, const LoadOptions& options, model::SourceManager& sources,
         model::DiagnosticSink& sink)
      : model_(model), options_(options), sources_(sources), sink_(sink) {
    std::size_t kinds = model.kinds.size();
    entities_.resize(kinds);
    origins_.resize(kinds);
    creators_.resize(kinds);
    keys_.resize(kinds);
    skipped_keys_.resize(kinds);
    other_keys_.resize(kinds);
    removed_.resize(kinds);
    enum_values_.resize(model.enums.size());
    for (std::size_t e = 0; e < model.enums.size(); ++e) {
      for (std::size_t v = 0; v < model.enums[e].values.size(); ++v) enum_values_[e].emplace(model.enums[e].values[v], v);
    }
    key_sources_.resize(kinds);
    open_creators_.assign(kinds, 0);
    for (const ImportDecl& decl : model.imports) {
      if (decl.target_kind == ImportDecl::Target::Kind && !decl.join) {
        key_sources_[decl.target_id].push_back(fmt::format("`{}` (`{}`)", decl.path, decl.key));
      }
    }
    referenced_.assign(kinds, false);
    for (const ImportDecl& decl : model.imports) {
      for (const auto& a : decl.assignments) {
        if (a.type.kind == TypeKind::Entity && a.type.id >= 0 && a.value.constant == nullptr) referenced_[a.type.id] = true;
      }
    }
  }

  DataSet run() {
    data_.imports.resize(model_.imports.size());
    for (std::size_t i = 0; i < model_.imports.size(); ++i) {
      data_.imports[i].import_id = static_cast<int>(i);
      data_.imports[i].path = data_path(model_.imports[i].path);
    }
    measure_files();
    data_.cross_shard_tuples.assign(model_.relations.size(), 0);
    PhaseClock clock;
    std::vector<FileGroup> first = ordered(groups(false));
    for (const FileGroup& group : first) {
      for (int i : group.imports) {
        const ImportDecl& decl = model_.imports[i];
        if (decl.target_kind == ImportDecl::Target::Kind) ++open_creators_[decl.target_id];
      }
    }
    for (const FileGroup& group : first) {
      if (stopped()) break;
      read_group(group);
      clock.mark("read " + group.path, data_.phases);
      for (int i : group.imports) {
        const ImportDecl& decl = model_.imports[i];
        if (decl.target_kind == ImportDecl::Target::Kind) --open_creators_[decl.target_id];
      }
    }
    for (const FileGroup& group : groups(true)) {
      if (stopped()) break;
      read_group(group);
      clock.mark("read " + group.path + " (joins)", data_.phases);
    }
    if (!stopped()) resolve_references();
    clock.mark("resolve references", data_.phases);
    if (!stopped()) assemble();
    count_skipped_records();
    clock.mark("lay out facts", data_.phases);
    count_other_shards();
    return std::move(data_);
  }

 private:
  // ------------------------------------------------------------- files

  std::string data_path(const std::string& relative) const {
    return (fs::path(options_.data_dir) / relative).lexically_normal().generic_string();
  }

  // Bytes each step will read, for the progress line's rate and ETA.
  void measure_files() {
    std::error_code ec;
    for (bool joins : {false, true}) {
      for (const FileGroup& group : groups(joins)) {
        auto size = fs::file_size(group.path, ec);
        if (!ec) progress_.bytes_total += size;
      }
    }
  }

  // Step 1 (joins == false): files with key and relation imports; step 2: files with joins.
  std::vector<FileGroup> groups(bool joins) const {
    std::vector<FileGroup> out;
    for (std::size_t i = 0; i < model_.imports.size(); ++i) {
      const ImportDecl& decl = model_.imports[i];
      if (decl.join != joins || decl.target_kind == ImportDecl::Target::Unresolved) continue;
      std::string path = data_path(decl.path);
      auto it = std::find_if(out.begin(), out.end(), [&](const FileGroup& g) {
        return g.path == path && g.items == decl.items && g.format == decl.format;
      });
      if (it == out.end()) {
        out.push_back({path, decl.items, decl.format, {}});
        it = out.end() - 1;
      }
      it->imports.push_back(static_cast<int>(i));
    }
    return out;
  }

  // Room for about one entity per line: rehashing a million keys as they
  // come costs more than the guess.
  void reserve_for(const FileGroup& group, int file) {
    std::string_view text = sources_.text(file);
    auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (int i : group.imports) {
      const ImportDecl& decl = model_.imports[i];
      if (decl.target_kind != ImportDecl::Target::Kind || decl.join) continue;
      int kind = decl.target_id;
      keys_[kind].reserve(keys_[kind].size() + lines);
      origins_[kind].reserve(origins_[kind].size() + lines);
      creators_[kind].reserve(creators_[kind].size() + lines);
      removed_[kind].reserve(removed_[kind].size() + lines);
    }
  }

  // The kinds a group creates and the kinds its records refer to.
  std::pair<std::vector<int>, std::vector<int>> kinds_of(const FileGroup& group) const {
    std::vector<int> creates, refers;
    for (int i : group.imports) {
      const ImportDecl& decl = model_.imports[i];
      if (decl.target_kind == ImportDecl::Target::Kind) creates.push_back(decl.target_id);
      for (const auto& a : decl.assignments) {
        if (a.type.kind == TypeKind::Entity && a.value.constant == nullptr) refers.push_back(a.type.id);
      }
    }
    return {creates, refers};
  }

  // Files that create a kind before files that refer to it, so references
  // resolve as they are read; a cycle keeps declaration order (and its
  // references wait for the end).
  std::vector<FileGroup> ordered(std::vector<FileGroup> groups) const {
    std::vector<FileGroup> out;
    std::vector<bool> placed(groups.size(), false);
    while (out.size() < groups.size()) {
      std::size_t pick = groups.size();
      for (std::size_t g = 0; g < groups.size() && pick == groups.size(); ++g) {
        if (placed[g]) continue;
        auto refers = kinds_of(groups[g]).second;
        bool ready = true;
        for (std::size_t h = 0; h < groups.size() && ready; ++h) {
          if (h == g || placed[h]) continue;
          for (int kind : kinds_of(groups[h]).first) {
            if (std::find(refers.begin(), refers.end(), kind) != refers.end()) ready = false;
          }
        }
        if (ready) pick = g;
      }
      if (pick == groups.size()) pick = std::find(placed.begin(), placed.end(), false) - placed.begin();
      placed[pick] = true;
      out.push_back(std::move(groups[pick]));
    }
    return out;
  }

  bool complete(int kind) const { return open_creators_[kind] == 0; }

  std::optional<int> open(const FileGroup& group) {
    auto it = opened_.find(group.path);
    if (it != opened_.end()) return it->second;
    std::string reason;
    std::optional<int> id = read_file(group.path, reason);
    if (!id) {
      for (int i : group.imports) {
        fatal(model_.imports[i].path_range, fmt::format("cannot read data file `{}`: {}", group.path, reason),
              data_code::kUnreadable);
      }
    }
    opened_[group.path] = id;
    return id;
  }

  // The file's bytes read in place: mapped, never copied (at a million
  // subscriptions a copy cost a sixth of the run, and its pages as much
  // memory again). The SourceManager keeps the mapping for diagnostics.
  // A file truncated by another process while mapped would fault: data
  // files must not change during an audit (docs/audit.md).
  std::optional<int> read_file(const std::string& path, std::string& reason) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      reason = "is a directory";
      return std::nullopt;
    }
    errno = 0;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      reason = lowercase(std::strerror(errno));
      return std::nullopt;
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || static_cast<std::uint64_t>(info.st_size) >= std::numeric_limits<std::uint32_t>::max()) {
      reason = info.st_size > 0 ? "larger than 4 GiB; split it (NDJSON files split at any line)" : "cannot stat";
      ::close(fd);
      return std::nullopt;
    }
    auto size = static_cast<std::size_t>(info.st_size);
    if (size == 0 || !S_ISREG(info.st_mode)) {
      // Not mappable (empty, or a pipe or device): read it whole instead.
      ::close(fd);
      std::optional<int> id = sources_.load(path);
      if (!id) reason = "cannot read";
      return id;
    }
    void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    int mmap_errno = errno;
    ::close(fd);
    if (mapped == MAP_FAILED) {
      reason = lowercase(std::strerror(mmap_errno));
      return std::nullopt;
    }
    std::shared_ptr<const void> mapping(mapped, [size](const void* at) { ::munmap(const_cast<void*>(at), size); });
    return sources_.add_view(path, std::string_view(static_cast<const char*>(mapped), size), std::move(mapping));
  }

  void read_group(const FileGroup& group) {
    std::optional<int> file = open(group);
    if (!file) return;
    auto known = file_stats_index_.find(*file);
    count_records_ = known == file_stats_index_.end();  // a file read again (for joins) is counted once
    if (count_records_) {
      file_stats_index_.emplace(*file, data_.files.size());
      data_.files.push_back(FileStats{group.path});
    }
    file_stats_ = &data_.files[file_stats_index_.at(*file)];
    reserve_for(group, *file);
    switch (group.format) {
      case ImportDecl::Format::Csv: read_csv(group, *file); break;
      case ImportDecl::Format::Json: read_json_document(group, *file); break;
      case ImportDecl::Format::Ndjson: read_ndjson(group, *file); break;
      case ImportDecl::Format::Unknown: break;
    }
    done_bytes_ += sources_.text(*file).size();
    file_stats_ = nullptr;
  }

  void read_csv(const FileGroup& group, int file) {
    model::CsvRecordReader reader(sources_, file);
    model::CsvRecord header;
    auto first = reader.next(header, sink_);
    if (first != model::CsvRecordReader::Next::Record) {
      if (first == model::CsvRecordReader::Next::End) {
        for (int i : group.imports) {
          fatal(model_.imports[i].path_range, fmt::format("data file `{}` is empty: no CSV header line", group.path),
                data_code::kMalformed);
        }
      } else {
        count_error();
        for (int i : group.imports) stop_import(i);
      }
      return;
    }
    std::vector<std::string> columns;
    for (const auto& f : header.fields) columns.push_back(f.text);
    auto slot_of = [&](int import_id, const std::string& name, SourceRange at) {
      auto it = std::find(columns.begin(), columns.end(), name);
      if (it != columns.end()) return static_cast<int>(it - columns.begin());
      std::string close = model::closest_match(name, columns);
      fatal(at, fmt::format("`{}` has no column `{}`", group.path, name), data_code::kColumn,
            (close.empty() ? "" : fmt::format("did you mean `{}`? ", close)) +
                fmt::format("the header has {}", quoted_list(columns)));
      (void)import_id;
      return -1;
    };
    std::vector<BoundImport> bound = bind_imports(group, slot_of);
    if (bound.empty()) return;
    model::CsvRecord record;
    for (;;) {
      if (stopped()) return;
      auto next = reader.next(record, sink_);
      if (next == model::CsvRecordReader::Next::End) break;
      if (next == model::CsvRecordReader::Next::Malformed) {
        malformed_record(bound, record.range);
        count_error();
        continue;
      }
      if (record.fields.size() != columns.size()) {
        malformed_record(bound, record.range);
        data_error(record.range,
                   fmt::format("CSV row has {} field{}, the header has {}", record.fields.size(),
                               record.fields.size() == 1 ? "" : "s", columns.size()),
                   data_code::kMalformed);
        continue;
      }
      apply(bound, CsvRecordView(record), record.range.end);
    }
  }

  void read_json_document(const FileGroup& group, int file) {
    std::string_view text = sources_.text(file);
    FieldPaths paths;
    auto slot_of = [&](int, const std::string& name, SourceRange) { return paths.add(name); };
    std::vector<BoundImport> bound = bind_imports(group, slot_of);
    if (bound.empty()) return;
    std::uint32_t begin = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    JsonReader reader(text, begin, static_cast<std::uint32_t>(text.size()));
    JsonError error;
    if (!reader.enter_array(group.items, error)) {
      report_json_error(file, error, fmt::format("; no record of `{}` is read", group.path));
      for (auto& b : bound) stop_import(b.id);
      return;
    }
    std::vector<JsonField> fields;
    std::uint32_t record_begin = 0;
    for (;;) {
      if (stopped()) return;
      auto next = reader.next_record(paths, fields, record_begin, error);
      if (next == JsonReader::Next::End) break;
      if (next == JsonReader::Next::Error) {
        // Inside one JSON document there is no safe place to resume.
        malformed_record(bound, {file, error.offset, error.offset});
        report_json_error(file, error, fmt::format("; the rest of `{}` is not read", group.path));
        for (auto& b : bound) stop_import(b.id);
        return;
      }
      apply(bound, JsonRecordView(fields, file, record_begin), record_begin);
    }
  }

  void read_ndjson(const FileGroup& group, int file) {
    std::string_view text = sources_.text(file);
    FieldPaths paths;
    auto slot_of = [&](int, const std::string& name, SourceRange) { return paths.add(name); };
    std::vector<BoundImport> bound = bind_imports(group, slot_of);
    if (bound.empty()) return;
    std::size_t pos = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    bool joins = std::any_of(bound.begin(), bound.end(), [](const BoundImport& b) { return b.decl->join; });
    unsigned threads = options_.jobs != 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
    if (threads > 1 && !joins && text.size() - pos >= options_.parallel_bytes) {
      read_ndjson_in_blocks(bound, paths, file, pos, threads);
      return;
    }
    std::vector<JsonField> fields;
    while (pos < text.size() && !stopped()) {
      std::size_t line_end = next_line(text, pos);
      PreparedRecord record;
      if (prepare_line(bound, paths, file, pos, line_end, fields, record)) {
        // A record of this thread: joins may run, and it is committed at once.
        JsonRecordView view(fields, file, record.start.begin);
        commit_record(bound, record.malformed ? std::vector<bool>(bound.size(), false) : record_joins(bound, view, record),
                      record);
        note_progress(line_end);
      }
      pos = line_end + 1;
    }
  }


  static std::size_t next_line(std::string_view text, std::size_t pos) {
    std::size_t newline = text.find('\n', pos);
    return newline == std::string::npos ? text.size() : newline;
  }

  // One NDJSON line into `record`; false for a blank line. Diagnostics wait in the record.
  bool prepare_line(const std::vector<BoundImport>& bound, const FieldPaths& paths, int file, std::size_t begin,
                    std::size_t line_end, std::vector<JsonField>& fields, PreparedRecord& record) {
    std::string_view text = sources_.text(file);
    std::size_t first = text.find_first_not_of(" \t\r", begin);
    if (first == std::string::npos || first >= line_end) return false;
    auto at = static_cast<std::uint32_t>(first);
    JsonReader reader(text, at, static_cast<std::uint32_t>(line_end));
    JsonError error;
    if (!reader.read_single_record(paths, fields, error)) {
      record.malformed = true;
      record.start = {file, at, at};
      std::vector<Diagnostic>* saved = buffered_diagnostics;
      buffered_diagnostics = &record.diagnostics;
      report_json_error(file, error, "");
      buffered_diagnostics = saved;
      return true;
    }
    prepare_record(bound, JsonRecordView(fields, file, at), record);
    return true;
  }

  // A large NDJSON file: blocks of lines are parsed and converted on worker
  // threads (reading only what no thread writes: the file, the mapping, the
  // key indexes of kinds already complete), then committed here in file
  // order, so keys, diagnostics and --max-errors behave as in one pass.
  // The workers run ahead of the commit by a few blocks: committing is
  // serial, and with a join after each round of blocks one core idled
  // while the other committed (at a million subscriptions, about 2 s).
  void read_ndjson_in_blocks(std::vector<BoundImport>& bound, const FieldPaths& paths, int file, std::size_t pos,
                             unsigned threads) {
    std::string_view text = sources_.text(file);
    std::vector<std::pair<std::size_t, std::size_t>> blocks = line_blocks(text, pos);
    BlockQueue queue(blocks.size(), 2 * threads);
    auto work = [&] {
      std::vector<JsonField> fields;
      for (std::size_t i; queue.claim(i);) {
        std::vector<PreparedRecord> prepared;
        for (std::size_t at = blocks[i].first; at < blocks[i].second;) {
          std::size_t line_end = std::min(next_line(text, at), blocks[i].second);
          PreparedRecord record;
          if (prepare_line(bound, paths, file, at, line_end, fields, record)) prepared.push_back(std::move(record));
          at = line_end + 1;
        }
        queue.publish(i, std::move(prepared));
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    std::vector<bool> no_joins(bound.size(), false);
    for (std::size_t i = 0; i < blocks.size() && !stopped(); ++i) {
      std::vector<PreparedRecord> prepared = queue.take(i);
      for (PreparedRecord& record : prepared) {
        if (stopped()) break;
        commit_record(bound, no_joins, record);
        note_progress(record.start.begin);
      }
    }
    queue.cancel();
    for (auto& thread : pool) thread.join();
  }

  // Blocks of about block_bytes from `pos` on, each ending after a newline.
  std::vector<std::pair<std::size_t, std::size_t>> line_blocks(std::string_view text, std::size_t pos) const {
    std::vector<std::pair<std::size_t, std::size_t>> blocks;
    while (pos < text.size()) {
      std::size_t end = std::min(text.size(), pos + std::max<std::size_t>(options_.block_bytes, 1));
      end = end == text.size() ? end : std::min(text.size(), next_line(text, end) + 1);
      blocks.emplace_back(pos, end);
      pos = end;
    }
    return blocks;
  }

  void report_json_error(int file, const JsonError& error, const std::string& consequence) {
    std::uint32_t end = std::min<std::uint32_t>(error.offset + 1, static_cast<std::uint32_t>(sources_.text(file).size()));
    data_error({file, error.offset, std::max(end, error.offset)}, "malformed JSON: " + error.message + consequence,
               data_code::kMalformed);
  }

  template <typename SlotOf>
  std::vector<BoundImport> bind_imports(const FileGroup& group, SlotOf slot_of) {
    std::vector<BoundImport> out;
    for (int id : group.imports) {
      const ImportDecl& decl = model_.imports[id];
      BoundImport b;
      b.id = id;
      b.decl = &decl;
      b.stats = &data_.imports[id];
      bool ok = true;
      auto bind = [&](const std::string& name, SourceRange at) {
        int slot = slot_of(id, name, at);
        ok = ok && slot >= 0;
        return slot;
      };
      if (decl.key_range.valid()) b.key_slot = bind(decl.key, decl.key_range);
      if (decl.partition_range.valid()) b.partition_slot = bind(decl.partition, decl.partition_range);
      for (const auto& filter : decl.filters) {
        b.filters.push_back({bind(filter.field, filter.range), filter.equal, filter.text});
      }
      for (const auto& assignment : decl.assignments) {
        BoundImport::Assign a;
        a.source = &assignment;
        a.target = assignment.target_id;
        a.type = assignment.type;
        if (assignment.value.constant) a.constant = literal_value(*assignment.value.constant);
        for (std::size_t f = 0; f < assignment.value.fields.size(); ++f) {
          a.slots.push_back(bind(assignment.value.fields[f], assignment.value.field_ranges[f]));
        }
        for (const auto& entry : assignment.value.map) {
          if (entry.value) a.table.emplace(entry.text, literal_value(*entry.value));
        }
        b.assigns.push_back(std::move(a));
      }
      if (!ok) {
        stop_import(id);
        continue;
      }
      out.push_back(std::move(b));
    }
    return out;
  }

  // ------------------------------------------------------------ records

  // A record that is not CSV or JSON: every import reading the file skips it.
  void malformed_record(std::vector<BoundImport>& bound, SourceRange at) {
    for (auto& b : bound) {
      ++b.stats->read;
      count_skipped(*b.stats, at);
    }
    if (file_stats_ && count_records_) ++file_stats_->read;
    skip_record(at);
  }

  void skip_record(SourceRange record) {
    if (record.valid()) skipped_records_.insert((static_cast<std::uint64_t>(record.file) << 32) | record.begin);
  }

  // A sharded run keeps where: a record every shard skips is counted once when they merge.
  void count_skipped(ImportStats& stats, SourceRange record) {
    ++stats.skipped;
    if (options_.shard && record.valid()) stats.skipped_at.push_back(record.begin);
  }

  // One record, read on this thread: prepared and committed at once.
  void apply(std::vector<BoundImport>& bound, const Record& record, std::size_t bytes_at) {
    PreparedRecord prepared;
    prepare_record(bound, record, prepared);
    commit_record(bound, record_joins(bound, record, prepared), prepared);
    note_progress(bytes_at);
  }

  // Join imports change entities in place, so they run here and now.
  std::vector<bool> record_joins(std::vector<BoundImport>& bound, const Record& record, PreparedRecord& prepared) {
    std::vector<bool> joined(bound.size(), false);
    for (std::size_t i = 0; i < bound.size(); ++i) {
      if (prepared.imports[i].outcome != Prepared::Outcome::Join) continue;
      std::vector<Diagnostic>* saved = buffered_diagnostics;
      buffered_diagnostics = nullptr;
      joined[i] = join_entity(bound[i], record);
      buffered_diagnostics = saved;
    }
    return joined;
  }

  void note_progress(std::size_t bytes_at) {
    if ((++progress_.records & 0xFFF) == 0) {
      if (model::stop_requested()) stop_interrupted();
      progress_.bytes_done = done_bytes_ + bytes_at;
      if (options_.progress) options_.progress(progress_);
    }
  }

  // What each import makes of the record; touches nothing shared but reads
  // the key indexes of complete kinds, so worker threads may run it.
  void prepare_record(const std::vector<BoundImport>& bound, const Record& record, PreparedRecord& out) {
    out.start = record.start();
    out.imports.resize(bound.size());
    std::vector<Diagnostic>* saved = buffered_diagnostics;
    buffered_diagnostics = &out.diagnostics;
    for (std::size_t i = 0; i < bound.size(); ++i) {
      const BoundImport& b = bound[i];
      Prepared& p = out.imports[i];
      if (!passes_filters(b, record)) {
        p.outcome = Prepared::Outcome::Filtered;
      } else if (std::uint32_t owner = shard_owner(b, record); owner != this_shard()) {
        p.outcome = Prepared::Outcome::OtherShard;
        p.owner_shard = owner;
        if (b.decl->target_kind == ImportDecl::Target::Kind && !b.decl->join && referenced_[b.decl->target_id]) {
          Field key = record.field(b.key_slot);
          if (!key.empty() && !key.composite) p.key = std::string(key.text);
        }
      } else if (b.decl->target_kind == ImportDecl::Target::Relation) {
        bool ok = prepare_tuple(b, record, p);
        p.outcome = ok ? Prepared::Outcome::Tuple : p.elsewhere ? Prepared::Outcome::OtherShard : Prepared::Outcome::Failed;
      } else if (b.decl->join) {
        p.outcome = Prepared::Outcome::Join;
      } else {
        p.outcome = prepare_entity(b, record, p) ? Prepared::Outcome::Entity : Prepared::Outcome::Failed;
      }
    }
    buffered_diagnostics = saved;
  }

  // In file order: the record's diagnostics, then its entities and tuples.
  void commit_record(std::vector<BoundImport>& bound, const std::vector<bool>& joined, PreparedRecord& record) {
    for (Diagnostic& d : record.diagnostics) {
      sink_.add(std::move(d));
      after_error();
    }
    if (record.malformed) {
      malformed_record(bound, record.start);
      return;
    }
    bool taken = false, failed = false, other_shard = false;
    for (std::size_t i = 0; i < bound.size(); ++i) {
      BoundImport& b = bound[i];
      Prepared& p = record.imports[i];
      ++b.stats->read;
      bool ok = false;
      switch (p.outcome) {
        case Prepared::Outcome::Filtered: ++b.stats->filtered; continue;
        case Prepared::Outcome::OtherShard:
          ++b.stats->other_shard;
          other_shard = true;
          if (p.elsewhere) count_cross_shard(p.tuple.relation, p.owners);
          if (!p.key.empty() && referenced_[b.decl->target_id]) {
            other_keys_[b.decl->target_id].emplace(std::move(p.key), p.owner_shard);
          }
          continue;
        case Prepared::Outcome::Entity: ok = commit_entity(b, p, record.start); break;
        case Prepared::Outcome::Tuple: ok = commit_tuple(p); break;
        case Prepared::Outcome::Join: ok = joined[i]; break;
        case Prepared::Outcome::Failed:
          if (!p.key.empty()) skipped_keys_[b.decl->target_id].emplace(std::move(p.key), record.start);
          break;
      }
      if (ok) {
        ++b.stats->loaded;
        taken = true;
      } else {
        count_skipped(*b.stats, record.start);
        failed = true;
      }
    }
    if (file_stats_ && count_records_) {
      ++file_stats_->read;
      if (!taken && !failed) ++file_stats_->filtered;
      if (!taken && !failed && other_shard) ++file_stats_->other_shard;
    }
    if (failed) skip_record(record.start);
  }

  bool passes_filters(const BoundImport& b, const Record& record) const {
    for (const auto& filter : b.filters) {
      Field f = record.field(filter.slot);
      std::string_view text = f.present && !f.null ? f.text : std::string_view();
      if ((text == filter.text) != filter.equal) return false;
    }
    return true;
  }

  std::uint32_t this_shard() const { return options_.shard ? options_.shard->index : 0; }

  // The shard a record belongs to: this one, unless its import is partitioned.
  std::uint32_t shard_owner(const BoundImport& b, const Record& record) const {
    if (!options_.shard || b.partition_slot < 0) return this_shard();
    Field f = record.field(b.partition_slot);
    return shard_of(f.present ? f.text : std::string_view(), options_.shard->count);
  }

  // The first of the assignment's fields that has a value, or the first field.
  Field value_field(const BoundImport::Assign& a, const Record& record) const {
    Field first;
    for (std::size_t i = 0; i < a.slots.size(); ++i) {
      Field f = record.field(a.slots[i]);
      if (i == 0) first = f;
      if (!f.empty()) return f;
    }
    return first;
  }

  std::string target_name(const BoundImport& b, const BoundImport::Assign& a) const {
    return fmt::format("{}.{}", b.decl->target, a.source->target);
  }

  // Converts one assignment's value; false after reporting why it has none.
  bool convert(const BoundImport& b, const BoundImport::Assign& a, const Record& record, Converted& out) {
    out = Converted{};
    if (a.constant) {
      out.value = *a.constant;
      return true;
    }
    Field f = value_field(a, record);
    const std::string& field_name = a.source->value.fields[0];
    if (!a.table.empty()) {
      std::string_view text = f.present && !f.null && !f.composite ? f.text : std::string_view();
      auto it = a.table.find(std::string(text));
      if (it != a.table.end()) {
        out.value = it->second;
        return true;
      }
      if (!f.empty()) {
        std::vector<std::string> listed;
        for (const auto& entry : a.source->value.map) listed.push_back(fmt::format("\"{}\"", entry.text));
        return data_error(f.range, fmt::format("`{}` is `{}`, which the value table of `{}` does not list",
                                               field_name, text, target_name(b, a)),
                          data_code::kBadValue, fmt::format("the table lists {}", fmt::join(listed, ", ")));
      }
    }
    if (f.empty()) {
      if (a.type.optional) return true;  // none
      std::string fields = quoted_list(a.source->value.fields);
      return data_error(f.present ? f.range : record.start(),
                        fmt::format("`{}` is required, but {} {}", target_name(b, a), fields,
                                    f.present ? "is empty" : "is missing"),
                        data_code::kMissing);
    }
    if (f.composite) {
      return data_error(f.range, fmt::format("`{}` is a JSON object or array; `{}` needs a single value", field_name,
                                             target_name(b, a)),
                        data_code::kBadValue);
    }
    return convert_text(b, a, f, field_name, out);
  }

  bool convert_text(const BoundImport& b, const BoundImport::Assign& a, const Field& f, const std::string& field_name,
                    Converted& out) {
    std::string_view text = f.text;
    auto bad = [&](std::string expected, std::string help = {}) {
      return data_error(f.range, fmt::format("`{}` is `{}`: `{}` needs {}", field_name, text, target_name(b, a),
                                             expected),
                        data_code::kBadValue, std::move(help));
    };
    switch (a.type.kind) {
      case TypeKind::Bool: {
        std::string lower = lowercase(text);
        if (lower != "true" && lower != "false") return bad("`true` or `false`");
        out.value = Value::boolean(lower == "true");
        return true;
      }
      case TypeKind::Int: {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size()) return bad("a whole number");
        out.value = Value::integer(v);
        return true;
      }
      case TypeKind::Date: {
        auto days = parse_date(text);
        if (!days) return bad("a date", "write YYYY-MM-DD; a time after `T` is ignored, as in `2021-03-01T10:22:31Z`");
        out.value = Value::date(*days);
        return true;
      }
      case TypeKind::Enum: {
        const auto& values = enum_values_[a.type.id];
        auto it = values.find(std::string(text));
        if (it == values.end()) {
          const model::EnumDecl& decl = model_.enums[a.type.id];
          std::string close = model::closest_match(text, decl.values);
          return bad(fmt::format("a value of enum `{}`", decl.name),
                     close.empty() ? fmt::format("its values are {}", quoted_list(decl.values))
                                   : fmt::format("did you mean `{}`?", close));
        }
        out.value = Value::enum_value(a.type.id, static_cast<std::int64_t>(it->second));
        return true;
      }
      case TypeKind::Entity:
        out.reference = true;
        out.key = text;
        return true;
      case TypeKind::Error: return false;
    }
    return false;
  }

  std::uint64_t store_key(std::string_view key) {
    std::uint64_t offset = key_arena_.size();
    key_arena_.append(key);
    return offset;
  }
  std::string_view arena_key(std::uint64_t offset, std::uint32_t length) const {
    return std::string_view(key_arena_).substr(offset, length);
  }

  bool record_key(const BoundImport& b, const Record& record, Field& key) {
    key = record.field(b.key_slot);
    if (key.composite) {
      return data_error(key.range, fmt::format("key `{}` is a JSON object or array, not a key", b.decl->key),
                        data_code::kBadValue);
    }
    if (key.empty()) {
      return data_error(key.present ? key.range : record.start(),
                        fmt::format("record has no key: `{}` is {}", b.decl->key, key.present ? "empty" : "missing"),
                        data_code::kMissing);
    }
    return true;
  }

  bool prepare_entity(const BoundImport& b, const Record& record, Prepared& p) {
    Field key;
    if (!record_key(b, record, key)) return false;
    int kind = b.decl->target_id;
    p.key = std::string(key.text);
    p.key_range = key.range;
    p.attributes.assign(model_.kinds[kind].attributes.size(), Value::none());
    for (const auto& a : b.assigns) {
      Converted c;
      if (!convert(b, a, record, c)) return false;
      if (!c.reference) {
        p.attributes[a.target] = c.value;
        continue;
      }
      SourceRange at = value_field(a, record).range;
      int target = a.type.id;
      if (!complete(target)) {
        p.refs.push_back({static_cast<std::uint16_t>(a.target), target, std::string(c.key), at});
        continue;
      }
      // Every file creating the kind has been read: the entity is found now.
      auto found = find_key(target, c.key, at, [&] { return fmt::format("`{}` `{}`", b.decl->target, p.key); });
      if (!found) return false;
      p.attributes[a.target] = Value::entity(target, *found);
    }
    return true;
  }

  bool commit_entity(const BoundImport& b, Prepared& p, SourceRange start) {
    int kind = b.decl->target_id;
    auto& keys = keys_[kind];
    KeyIndex::Probe probe = keys.probe_for_insert(p.key);
    if (probe.existing != KeyIndex::kMissing) {
      Diagnostic& d = data_diagnostic(p.key_range, fmt::format("`{}` key `{}` is given twice", b.decl->target, p.key),
                                      data_code::kDuplicate);
      d.notes.push_back({origins_[kind][probe.existing], "first given here"});
      return after_error();
    }
    auto local = static_cast<std::uint32_t>(entities_[kind].size());
    for (const PreparedRef& r : p.refs) {
      PendingRef ref;
      ref.owner_kind = kind;
      ref.owner = local;
      ref.attribute = r.attribute;
      ref.target_kind = r.target_kind;
      ref.key_offset = store_key(r.key);
      ref.key_length = static_cast<std::uint32_t>(r.key.size());
      ref.range = r.range;
      ref.import_id = b.id;
      refs_.push_back(ref);
    }
    model::Entity& entity = entities_[kind].emplace_back();
    entity.kind = kind;
    entity.name = std::move(p.key);
    entity.attributes = std::move(p.attributes);
    keys.insert_at(probe, std::string_view(entity.name), local);  // the deque never moves the name
    origins_[kind].push_back(start);
    creators_[kind].push_back(b.id);
    removed_[kind].push_back(0);
    return true;
  }

  // A join's reference: its kind is complete (joins are read last).
  bool refer(const BoundImport::Assign& a, std::string_view key, SourceRange at, int kind, std::string_view owner_key,
             Value& out) {
    auto found = find_key(a.type.id, key, at, [&] { return fmt::format("`{}` `{}`", model_.kinds[kind].name, owner_key); });
    if (!found) return false;
    out = Value::entity(a.type.id, *found);
    return true;
  }

  bool join_entity(BoundImport& b, const Record& record) {
    Field key;
    if (!record_key(b, record, key)) return false;
    int kind = b.decl->target_id;
    std::uint32_t local = keys_[kind].find(key.text);
    if (local == KeyIndex::kMissing) {
      return data_error(key.range, fmt::format("no `{}` has key `{}` to join", b.decl->target, key.text),
                        data_code::kDangling, key_help(kind));
    }
    if (b.joined.size() < entities_[kind].size()) b.joined.resize(entities_[kind].size(), 0);
    if (b.joined[local]) {
      return data_error(key.range, fmt::format("`{}` `{}` is joined twice by this import", b.decl->target, key.text),
                        data_code::kDuplicate);
    }
    std::vector<std::pair<int, Value>> values;
    for (const auto& a : b.assigns) {
      Converted c;
      Value value;
      bool ok = convert(b, a, record, c) &&
                (!c.reference || refer(a, c.key, value_field(a, record).range, kind, key.text, value));
      if (!ok) return false;
      values.emplace_back(a.target, c.reference ? value : c.value);
    }
    b.joined[local] = 1;
    for (auto& [attribute, value] : values) entities_[kind][local].attributes[attribute] = value;
    for (const auto& a : b.assigns) joined_local_.push_back({kind, local, a.target, record.start()});
    return true;
  }

  bool prepare_tuple(const BoundImport& b, const Record& record, Prepared& p) {
    PendingTuple& tuple = p.tuple;
    tuple.relation = b.decl->target_id;
    tuple.import_id = b.id;
    tuple.origin = record.start();
    tuple.args.resize(model_.relations[tuple.relation].params.size());
    p.arg_keys.resize(tuple.args.size());
    auto owner = [&] { return fmt::format("`{}` tuple", b.decl->target); };
    for (const auto& a : b.assigns) {
      Converted c;
      if (!convert(b, a, record, c)) return false;
      PendingArg& arg = tuple.args[a.target];
      SourceRange at = value_field(a, record).range;
      if (c.reference) {
        arg.target_kind = a.type.id;
        arg.range = at;
        if (complete(a.type.id)) {
          std::optional<std::uint32_t> other;
          auto found = find_key(a.type.id, c.key, at, owner, replicated(b) ? &other : nullptr);
          if (other) {
            p.elsewhere = true;
            p.owners.insert(*other);
            continue;
          }
          if (!found) return false;
          if (shard_partitioned(creators_[a.type.id][*found])) p.owners.insert(this_shard());
          arg.value = Value::entity(a.type.id, *found);
          arg.resolved = true;
        } else {
          p.arg_keys[a.target] = std::string(c.key);
        }
      } else if (c.value.is_none()) {
        return data_error(at.valid() ? at : record.start(),
                          fmt::format("`{}` has no value: a tuple never holds `none`", target_name(b, a)),
                          data_code::kMissing);
      } else {
        arg.value = c.value;
      }
    }
    return !p.elsewhere;
  }

  // An import every shard reads whole: its tuples may name entities of another shard's records.
  bool replicated(const BoundImport& b) const { return options_.shard && b.partition_slot < 0; }

  bool commit_tuple(Prepared& p) {
    for (std::size_t i = 0; i < p.tuple.args.size(); ++i) {
      PendingArg& arg = p.tuple.args[i];
      if (arg.target_kind < 0 || arg.resolved) continue;
      arg.key_offset = store_key(p.arg_keys[i]);
      arg.key_length = static_cast<std::uint32_t>(p.arg_keys[i].size());
    }
    tuples_.push_back(std::move(p.tuple));
    return true;
  }

  // ------------------------------------------------------------ references

  std::string key_help(int kind) const {
    if (key_sources_[kind].empty()) return {};
    return fmt::format("`{}` keys come from {}", model_.kinds[kind].name, fmt::join(key_sources_[kind], ", "));
  }

  // The local index of `key` in `kind`, or why there is none (reported at
  // `at`, naming the referring record by `owner()`).
  // With `elsewhere`, a key of another shard's record sets it to that shard and is no error.
  template <typename Owner>
  std::optional<std::uint32_t> find_key(int kind, std::string_view key, SourceRange at, Owner owner,
                                        std::optional<std::uint32_t>* elsewhere = nullptr) {
    std::uint32_t found = keys_[kind].find(key);
    if (found != KeyIndex::kMissing && !removed_[kind][found]) return found;
    const std::string& kind_name = model_.kinds[kind].name;
    if (found == KeyIndex::kMissing) {
      if (auto other = other_keys_[kind].find(std::string(key)); other != other_keys_[kind].end()) {
        if (elsewhere) {
          *elsewhere = other->second;
          return std::nullopt;
        }
        return other_shard_reference(kind, key, other->second, at, owner());
      }
    }
    SourceRange skipped_at;
    if (found != KeyIndex::kMissing) {
      skipped_at = origins_[kind][found];
    } else if (auto skipped = skipped_keys_[kind].find(std::string(key)); skipped != skipped_keys_[kind].end()) {
      skipped_at = skipped->second;
    }
    if (skipped_at.valid()) {
      data_diagnostic(at, fmt::format("{} refers to `{}` `{}`, whose record was skipped", owner(), kind_name, key),
                      data_code::kDangling)
          .notes.push_back({skipped_at, "that record is here"});
    } else {
      data_diagnostic(at, fmt::format("{} refers to `{}` `{}`, which no record defines", owner(), kind_name, key),
                      data_code::kDangling)
          .help = key_help(kind);
    }
    after_error();
    return std::nullopt;
  }

  // An entity that refers to another shard's: the shards split the data
  // apart where it holds together, so no shard can check it whole.
  std::optional<std::uint32_t> other_shard_reference(int kind, std::string_view key, std::uint32_t shard,
                                                     SourceRange at, const std::string& owner) {
    data_diagnostic(at, fmt::format("{} refers to `{}` `{}`, which shard {}/{} reads, not this one ({}/{})", owner,
                                    model_.kinds[kind].name, key, shard, options_.shard->count, options_.shard->index,
                                    options_.shard->count),
                    data_code::kDangling)
        .help = "records that refer to each other must be split alike: give their imports `partition` fields with "
                "the same values (docs/audit.md, \"Shards\"), or audit without --shard";
    after_error();
    return std::nullopt;
  }

  // Skips an entity whose data refers to a missing one: the record that
  // created it counts as skipped.
  void remove(int kind, std::uint32_t local) {
    if (removed_[kind][local]) return;
    removed_[kind][local] = 1;
    any_removed_ = true;
    skip_record(origins_[kind][local]);
    ImportStats& stats = data_.imports[creators_[kind][local]];
    --stats.loaded;
    count_skipped(stats, origins_[kind][local]);
  }

  // Records of this import are split among shards (`partition`).
  bool shard_partitioned(int import_id) const {
    return options_.shard && model_.imports[import_id].partition_range.valid();
  }

  std::string owner_text(int kind, std::uint32_t local) const {
    return fmt::format("`{}` `{}`", model_.kinds[kind].name, entities_[kind][local].name);
  }

  // References that had to wait (their kind's files were not all read), then
  // entities referring to entities skipped meanwhile, until nothing changes.
  void resolve_references() {
    for (PendingRef& ref : refs_) {
      if (stopped()) return;
      if (removed_[ref.owner_kind][ref.owner]) continue;
      auto target = find_key(ref.target_kind, arena_key(ref.key_offset, ref.key_length), ref.range,
                             [&] { return owner_text(ref.owner_kind, ref.owner); });
      if (!target) {
        remove(ref.owner_kind, ref.owner);
        continue;
      }
      entities_[ref.owner_kind][ref.owner].attributes[ref.attribute] = Value::entity(ref.target_kind, *target);
    }
    while (any_removed_ && !stopped()) {
      any_removed_ = false;
      for (std::size_t k = 0; k < entities_.size() && !stopped(); ++k) {
        for (std::uint32_t i = 0; i < entities_[k].size(); ++i) {
          if (!removed_[k][i]) skip_if_referring_to_removed(static_cast<int>(k), i);
        }
      }
    }
  }

  void skip_if_referring_to_removed(int kind, std::uint32_t local) {
    const auto& attributes = entities_[kind][local].attributes;
    for (std::size_t a = 0; a < attributes.size(); ++a) {
      const Value& v = attributes[a];
      if (v.tag != Value::Tag::Entity || !removed_[v.type_id][v.v]) continue;
      const model::Entity& target = entities_[v.type_id][v.v];
      data_diagnostic(origins_[kind][local],
                      fmt::format("{} refers to `{}` `{}` (`{}`), whose record was skipped", owner_text(kind, local),
                                  model_.kinds[v.type_id].name, target.name,
                                  model_.kinds[kind].attributes[a].name),
                      data_code::kDangling)
          .notes.push_back({origins_[v.type_id][v.v], "that record is here"});
      after_error();
      remove(kind, local);
      return;
    }
  }

  void assemble() {
    std::size_t kinds = model_.kinds.size();
    std::vector<std::uint32_t> offset(kinds, 0);
    std::vector<std::vector<std::uint32_t>> remap(kinds);
    std::uint32_t next = 0;
    for (std::size_t k = 0; k < kinds; ++k) {
      offset[k] = next;
      remap[k].resize(entities_[k].size(), std::numeric_limits<std::uint32_t>::max());
      std::uint32_t kept = 0;
      for (std::size_t i = 0; i < entities_[k].size(); ++i) {
        if (!removed_[k][i]) remap[k][i] = kept++;
      }
      next += kept;
    }
    auto global = [&](int kind, std::uint32_t local) { return offset[kind] + remap[kind][local]; };
    add_tuples(global);  // first: its messages name entities skipped meanwhile
    model::Instance& instance = data_.instance;
    reserve_large(instance.entities, next);
    instance.entities.resize(next);
    reserve_large(data_.entity_origin, next);
    data_.entity_origin.resize(next);
    // Chunks of each kind's entities, moved into place on every thread: at a
    // million subscriptions this step was the longest one left on one thread.
    constexpr std::size_t kChunk = std::size_t{1} << 15;
    std::vector<std::pair<int, std::size_t>> chunks;
    for (std::size_t k = 0; k < kinds; ++k) {
      for (std::size_t begin = 0; begin < entities_[k].size(); begin += kChunk) chunks.emplace_back(static_cast<int>(k), begin);
    }
    model::parallel_for(chunks.size(), options_.jobs, [&](std::size_t c) {
      auto [k, begin] = chunks[c];
      std::size_t end = std::min(entities_[k].size(), begin + kChunk);
      for (std::size_t i = begin; i < end; ++i) {
        if (removed_[k][i]) continue;
        model::Entity& entity = entities_[k][i];
        for (Value& v : entity.attributes) {
          if (v.tag == Value::Tag::Entity) v.v = global(v.type_id, static_cast<std::uint32_t>(v.v));
        }
        std::uint32_t at = global(k, static_cast<std::uint32_t>(i));
        instance.entities[at] = std::move(entity);
        data_.entity_origin[at] = origins_[k][i];
      }
    });
    model::parallel_for(kinds, options_.jobs, [&](std::size_t k) { std::deque<model::Entity>().swap(entities_[k]); });
    for (const auto& j : joined_local_) {
      if (removed_[j.kind][j.local]) continue;
      std::uint64_t entity = global(j.kind, j.local);
      data_.joined_origin[(entity << 16) | static_cast<std::uint64_t>(j.attribute)] = j.origin;
    }
  }

  template <typename Global>
  void add_tuples(Global global) {
    model::Instance& instance = data_.instance;
    instance.relations.assign(model_.relations.size(), {});
    data_.tuple_origin.assign(model_.relations.size(), {});
    data_.shard_tuples.assign(model_.relations.size(), 0);
    for (PendingTuple& pending : tuples_) {
      if (stopped()) return;
      model::Tuple tuple;
      bool ok = true, partitioned = shard_partitioned(pending.import_id);
      bool may_be_elsewhere = options_.shard && !partitioned;
      std::set<std::uint32_t> owners;  // as Prepared::owners
      for (PendingArg& arg : pending.args) {
        if (arg.target_kind < 0) {
          tuple.push_back(arg.value);
          continue;
        }
        auto owner = [&] { return fmt::format("`{}` tuple", model_.relations[pending.relation].name); };
        std::optional<std::uint32_t> target, other;
        if (!arg.resolved) {
          target = find_key(arg.target_kind, arena_key(arg.key_offset, arg.key_length), arg.range, owner,
                            may_be_elsewhere ? &other : nullptr);
          if (other) {
            owners.insert(*other);
            continue;
          }
        } else if (!removed_[arg.target_kind][arg.value.v]) {
          target = static_cast<std::uint32_t>(arg.value.v);
        } else {
          const model::Entity& gone = entities_[arg.target_kind][arg.value.v];
          find_key(arg.target_kind, gone.name, arg.range, owner);  // reports why
        }
        if (!target) {
          ok = false;
          break;
        }
        if (shard_partitioned(creators_[arg.target_kind][*target])) {
          partitioned = true;
          owners.insert(this_shard());
        }
        tuple.push_back(Value::entity(arg.target_kind, global(arg.target_kind, *target)));
      }
      bool elsewhere = std::any_of(owners.begin(), owners.end(), [&](std::uint32_t k) { return k != this_shard(); });
      if (ok && elsewhere) {  // another shard's tuple: it names an entity only that shard reads
        ImportStats& stats = data_.imports[pending.import_id];
        --stats.loaded;
        ++stats.other_shard;
        count_cross_shard(pending.relation, owners);
        continue;
      }
      if (!ok) {
        ImportStats& stats = data_.imports[pending.import_id];
        --stats.loaded;
        count_skipped(stats, pending.origin);
        skip_record(pending.origin);
        continue;
      }
      auto [it, inserted] = instance.relations[pending.relation].insert(tuple);
      if (inserted) {
        if (options_.shard && partitioned) ++data_.shard_tuples[pending.relation];
        data_.tuple_origin[pending.relation].emplace(std::move(tuple), pending.origin);
      }
    }
  }

  // A tuple naming entities of two shards is in neither: the lowest counts it, so the merge counts it once.
  void count_cross_shard(int relation, const std::set<std::uint32_t>& owners) {
    if (owners.size() > 1 && *owners.begin() == this_shard()) ++data_.cross_shard_tuples[relation];
  }

  void count_other_shards() {
    if (!options_.shard) return;
    data_.other_shard_entities.assign(model_.kinds.size(), 0);
    data_.other_shard_tuples.assign(model_.relations.size(), 0);
    for (const ImportStats& stats : data_.imports) {
      const ImportDecl& decl = model_.imports[stats.import_id];
      if (decl.target_kind == ImportDecl::Target::Relation) data_.other_shard_tuples[decl.target_id] += stats.other_shard;
      if (decl.target_kind == ImportDecl::Target::Kind && !decl.join) {
        data_.other_shard_entities[decl.target_id] += stats.other_shard;
      }
    }
  }

  void count_skipped_records() {
    for (std::uint64_t key : skipped_records_) {
      auto it = file_stats_index_.find(static_cast<int>(key >> 32));
      if (it == file_stats_index_.end()) continue;
      FileStats& file = data_.files[it->second];
      ++file.skipped;
      if (options_.shard) file.skipped_at.push_back(static_cast<std::uint32_t>(key));
    }
    for (FileStats& f : data_.files) std::sort(f.skipped_at.begin(), f.skipped_at.end());
    for (ImportStats& i : data_.imports) {
      std::sort(i.skipped_at.begin(), i.skipped_at.end());
      i.skipped_at.erase(std::unique(i.skipped_at.begin(), i.skipped_at.end()), i.skipped_at.end());
    }
    // A record filtered by one import and skipped by another counts as skipped only.
    for (FileStats& f : data_.files) f.skipped = std::min(f.skipped, f.read - std::min(f.filtered, f.read));
  }

  // ------------------------------------------------------------ errors

  using Diagnostic = model::Diagnostic;

  Diagnostic& data_diagnostic(SourceRange range, std::string message, const char* code) {
    if (buffered_diagnostics) {
      Diagnostic d;
      d.range = range;
      d.message = std::move(message);
      d.code = code;
      buffered_diagnostics->push_back(std::move(d));
      return buffered_diagnostics->back();
    }
    return sink_.error(range, std::move(message), code);
  }

  // Counts an error reported elsewhere (e.g. by the CSV reader) and stops
  // past the limit; a buffered one is counted when its record is committed.
  bool after_error() {
    if (buffered_diagnostics) return false;
    if (++errors_ > options_.max_errors && !stopped()) {
      sink_.error({}, fmt::format("more than {} data errors: the audit stops here", options_.max_errors),
                  data_code::kTooMany)
          .help = "fix the data, or raise the limit with --max-errors N";
      data_.complete = false;
      data_.stop_reason = fmt::format("more than {} data errors", options_.max_errors);
      stop_ = true;
    }
    return false;
  }
  void count_error() { after_error(); }

  bool data_error(SourceRange range, std::string message, const char* code, std::string help = {}) {
    data_diagnostic(range, std::move(message), code).help = std::move(help);
    return after_error();
  }

  // An error that makes a whole import unusable (a file that cannot be read, a mapped column it lacks).
  void fatal(SourceRange range, std::string message, const char* code, std::string help = {}) {
    data_diagnostic(range, std::move(message), code).help = std::move(help);
    data_.complete = false;
    if (data_.stop_reason.empty()) data_.stop_reason = "a data file could not be read or mapped";
    ++errors_;
  }

  void stop_import(int) {
    data_.complete = false;
    if (data_.stop_reason.empty()) data_.stop_reason = "a data file could not be read whole";
  }

  void stop_interrupted() {
    data_.complete = false;
    data_.interrupted_by = model::stop_signal();
    data_.stop_reason = model::interrupted_reason();
    stop_ = true;
  }

  // Also polled between files and phases, so a signal that lands while a
  // small file is read stops before the next one (records poll every 4,096).
  bool stopped() {
    if (!stop_ && model::stop_requested()) stop_interrupted();
    return stop_;
  }

  struct JoinedValue {
    int kind;
    std::uint32_t local;
    int attribute;
    SourceRange origin;
  };

  const model::Model& model_;
  const LoadOptions& options_;
  model::SourceManager& sources_;
  model::DiagnosticSink& sink_;
  DataSet data_;

  // By kind, in record order. A deque never moves its elements, so the key
  // maps can view the names; entity references hold local indices until
  // assemble() lays the kinds out one after the other.
  std::vector<std::deque<model::Entity>> entities_;
  std::vector<std::vector<SourceRange>> origins_;
  std::vector<std::vector<int>> creators_;             // the import that created each entity
  std::vector<KeyIndex> keys_;
  std::vector<std::unordered_map<std::string, SourceRange>> skipped_keys_;
  /// Sharded runs, by kind: keys of other shards' records (their shard), so
  /// that a reference to one is not taken for a key no record defines.
  std::vector<std::unordered_map<std::string, std::uint32_t>> other_keys_;
  std::vector<bool> referenced_;  // by kind: some import refers to its entities (only those keys are kept)
  std::vector<std::vector<char>> removed_;
  std::vector<std::unordered_map<std::string, std::size_t>> enum_values_;
  std::vector<std::vector<std::string>> key_sources_;  // by kind: "`file` (`key`)" for help texts
  std::vector<PendingRef> refs_;
  std::vector<PendingTuple> tuples_;
  std::vector<JoinedValue> joined_local_;
  std::string key_arena_;
  std::map<std::string, std::optional<int>> opened_;
  std::uint64_t errors_ = 0;
  bool stop_ = false;
  std::vector<int> open_creators_;  // by kind: files creating it not read yet
  bool any_removed_ = false;
  std::unordered_set<std::uint64_t> skipped_records_;  // (file << 32 | offset) of records in error
  std::map<int, std::size_t> file_stats_index_;        // source file id -> index into data_.files
  FileStats* file_stats_ = nullptr;                    // the file being read
  bool count_records_ = false;
  LoadProgress progress_;
  std::uint64_t done_bytes_ = 0;
};

}  // namespace

DataSet load_data(const model::Model& model, const LoadOptions& options, model::SourceManager& sources,
                  model::DiagnosticSink& sink) {
  return Loader(model, options, sources, sink).run();
}

}  // namespace csp::audit
