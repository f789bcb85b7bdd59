// libFuzzer target: arbitrary bytes as a CSV file, read two ways:
//   1. model::parse_csv from memory (the RFC 4180 reader);
//   2. through the loader as the CLI reads it: a fixed spec imports the file
//      as enums (`enum ... from ... column`) and tables (`table ... from`),
//      so cell typing, enum values from data and functional-table detection
//      run on it too. The loader reads from disk, so the input is written to
//      a private temporary directory first.
// Invariant: load_model returns a model exactly when no error was reported.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "model/csv.h"
#include "model/evaluator.h"
#include "model/frontend.h"

using namespace csp::model;

namespace {

std::string g_dir;

const char* const kSpec = R"(
enum Region from "data.csv" column region
enum Country from "data.csv" column country_code
table region_of(country_code: Country, region: Region) from "data.csv"
table typed(region: Region, since: Date, active: Bool, seats: Int) from "data.csv"
entity Customer { country: Country, region: Region?, since: Date }
rule in_region { forall c: Customer | region_of(c.country) == c.region }
rule typed_row { forall c: Customer | typed(c.region, c.since, true, 1) or c.since < 2020-01-01 }
)";

void write(const std::string& path, const char* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char pattern[] = "/tmp/cspv-csv-fuzz-XXXXXX";
  if (mkdtemp(pattern) == nullptr) std::abort();
  g_dir = pattern;
  write(g_dir + "/spec.cspv", kSpec, std::char_traits<char>::length(kSpec));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return 0;
  const char* bytes = reinterpret_cast<const char*>(data);
  {
    SourceManager sources;
    DiagnosticSink sink;
    int file = sources.add("fuzz.csv", std::string(bytes, size));
    auto table = parse_csv(sources, file, sink);
    if (table) {
      for (const auto& name : table->column_names()) {
        if (table->column(name) < 0) __builtin_trap();
      }
      for (const auto& row : table->rows) {
        if (row.fields.size() != table->header.fields.size()) __builtin_trap();
      }
    }
    if (table.has_value() == sink.has_errors()) __builtin_trap();
    (void)render_all(sink, sources);
  }
  {
    write(g_dir + "/data.csv", bytes, size);
    SourceManager sources;
    DiagnosticSink sink;
    auto model = load_model({g_dir + "/spec.cspv"}, sources, sink);
    (void)render_all(sink, sources);
    if (model.has_value() == sink.has_errors()) __builtin_trap();
    if (model) {
      Instance empty;
      empty.relations.resize(model->relations.size());
      try {
        (void)Evaluator(*model, empty).violated_rules();
      } catch (const IntOutOfRange&) {
        // Int cells beyond what arithmetic can add in 64 bits: documented.
      }
    }
  }
  return 0;
}
