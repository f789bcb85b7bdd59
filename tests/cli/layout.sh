# The pipeline's layout, as CMakeLists.txt states it: each stage includes
# only itself and the stages below it (model <- encoder <- solver;
# model <- audit; model, audit <- reports; cli on top), and only encoder/
# and solver/ include Z3's headers. A wrong include would still compile
# (one include path for all), so it is checked here.
source "$(dirname "$0")/lib.bash"
declare -A allowed=(
  [model]="model"
  [encoder]="model encoder"
  [solver]="model encoder solver"
  [audit]="model audit"
  [reports]="model audit reports"
)
for stage in "${!allowed[@]}"; do
  while IFS= read -r line; do
    file="${line%%:*}"
    [[ $line =~ \#include\ \"([a-z_]+)/ ]] && included="${BASH_REMATCH[1]}"  # no process per line
    [[ " ${allowed[$stage]} " == *" $included "* ]] || fail "$file includes $included/: $stage/ may include only ${allowed[$stage]}"
  done < <(grep -HE '^#include "[a-z_]+/' "$SRC/$stage"/*.h "$SRC/$stage"/*.cpp)
done
z3=$(grep -lE '#include <z3(\+\+)?\.h>' "$SRC"/{model,audit,reports,cli}/*.{h,cpp} 2>/dev/null)
[[ -z "$z3" ]] || fail "Z3 headers outside encoder/ and solver/: $z3"
grep -qE '#include <z3\+\+\.h>' "$SRC"/encoder/*.h || fail "encoder/ no longer includes z3++.h: is this test still looking in the right place?"
finish
