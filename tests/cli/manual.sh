# The manual page and the bash completion come from the option tables that
# drive --help: every option every command's --help lists is in both, the
# build's copies are current, the page renders without a groff warning, and
# the completion completes commands, options, formats, directories, declared
# names and .cspv paths.
source "$(dirname "$0")/lib.bash"
BUILD="$(dirname "$CSPV")"
commands=(prove check verify lint diff audit)

expect_exit 0 help --man
cp "$TMP/out" "$TMP/cspverify.1"
cmp -s "$TMP/cspverify.1" "$BUILD/cspverify.1" || fail "build/cspverify.1 is not what \`cspverify help --man\` writes"
expect_exit 0 help --completion bash
cp "$TMP/out" "$TMP/cspverify.bash"
cmp -s "$TMP/cspverify.bash" "$BUILD/cspverify.bash" || fail "build/cspverify.bash is not what \`help --completion bash\` writes"
expect_exit 2 help --completion zsh
expect_in "$TMP/err" "cspverify help: error: expected no argument, \`--man\` or \`--completion bash\`"

# Every command, and every option of its --help, in the page's section for
# that command and in the completion's function for it.
for command in "${commands[@]}"; do
  "$CSPV" "$command" --help >"$TMP/help"
  options=$(grep -oE '^  (-[a-z] \[ )?--[a-z0-9-]+' "$TMP/help" | grep -oE -- '--[a-z0-9-]+')
  [[ -n $options ]] || fail "no options found in \`cspverify $command --help\`"
  section=$(sed -n "/^\\.SH \"${command^^} OPTIONS\"/,/^\\.SH/p" "$TMP/cspverify.1")
  function=$(sed -n "/^_cspverify_$command() {/,/^}/p" "$TMP/cspverify.bash")
  for option in $options; do
    roff_option="\\fB${option//-/\\-}\\fR"
    [[ $section == *"$roff_option"* ]] || fail "the manual's $command section lacks $option"
    [[ $function == *" $option "* || $function == *"'$option "* || $function == *" $option'"* ]] \
      || fail "the completion of $command lacks $option"
  done
  grep -q "^\\.B $command\$" "$TMP/cspverify.1" || fail "the manual's COMMANDS list lacks $command"
done

if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "$TMP/cspverify.1" 2>"$TMP/groff" || fail "groff failed"
  if [[ -s $TMP/groff ]]; then fail "groff warnings"; sed 's/^/  | /' "$TMP/groff"; fi
else
  fail "no groff to check the manual page (scripts/setup.sh --tests installs groff-base)"
fi

# complete WORDS...: what completing the last word offers, one per line, sorted.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _cspverify; printf "%s\n" "${COMPREPLY[@]}" | sort' \
    complete "$TMP/cspverify.bash" "$@"
}
expect_completion() {  # expect_completion "WANT (space separated)" WORDS...
  local want="$1"; shift
  local got
  got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
  [[ $got == "$want" ]] || fail "completing \`$*\` offers \`$got\`, expected \`$want\`"
}
bash -c "source '$TMP/cspverify.bash' && complete -p cspverify" >"$TMP/out" || fail "the completion does not load"
expect_in "$TMP/out" "complete -F _cspverify cspverify"
expect_completion "prove" cspverify pr
expect_completion "check" cspverify ch
expect_completion "--scope --shard --stats" cspverify prove --s
expect_completion "--scenario --scope --shard --stats" cspverify check --s
expect_completion "--data" cspverify audit --da
expect_completion "csv html json junit sarif text" cspverify audit --format ""
expect_completion "dot html json junit markdown sarif text" cspverify prove -f ""
expect_completion "dot html json junit markdown sarif text" cspverify diff --format ""
expect_completion "tightening" cspverify diff --expect ti
expect_completion "cvc5" cspverify verify --cross-check ""
expect_completion "" cspverify prove --timeout ""
mkdir -p "$TMP/tree/sub" "$TMP/tree/subway"
touch "$TMP/tree/a.cspv" "$TMP/tree/b.txt"
expect_completion "$TMP/tree/sub $TMP/tree/subway" cspverify prove --out "$TMP/tree/su"
expect_completion "$TMP/tree/a.cspv $TMP/tree/sub $TMP/tree/subway" cspverify prove "$TMP/tree/"
expect_completion "$TMP/tree/a.cspv $TMP/tree/sub $TMP/tree/subway" cspverify diff base.cspv --change "$TMP/tree/"
expect_completion "no_affiliate_sale" cspverify prove "$SRC/tests/specs/prove/small.cspv" --property no_
expect_completion "indirect_chain" cspverify check "$SRC/specs/scenarios" --scenario indirect_ch
finish
