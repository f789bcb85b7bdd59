# `prove specs/` does not load the proposals under specs/changes (.cspvskip).
source "$(dirname "$0")/lib.bash"
cd "$SRC"

# `prove specs/` does not load the proposals (specs/changes/.cspvskip):
# their rules would be duplicate declarations, a bad-input exit 2.
"$CSPV" prove specs/ --no-timings >"$TMP/out" 2>"$TMP/err"
[[ $? != 2 ]] || { fail "prove specs/ exited 2"; sed 's/^/  | /' "$TMP/err" | head -5; }
finish
