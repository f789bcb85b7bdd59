# The Debian package: cpack builds it from this build tree, dpkg installs
# it, the installed cspverify runs from PATH on the installed example specs,
# its manual page and bash completion are in place, and dpkg removes it all
# again. Needs root (CI runs as root); skipped otherwise (exit 77, shown by
# ctest as skipped). A package left installed by an interrupted run is
# removed first; one installed some other way is left alone (skipped).
source "$(dirname "$0")/lib.bash"
BUILD="$(dirname "$CSPV")"
MARKER=/var/lib/cspverify-package-test.installed  # "this test installed the package"

if (( EUID != 0 )); then
  echo "SKIPPED: installing a .deb needs root (CI runs as root)"
  exit 77
fi
for tool in cpack dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || { fail "no \`$tool\` (scripts/setup.sh installs it)"; finish; }
done
# Build trees of several checkouts may run this test at once: one at a time.
exec 9>/var/lock/cspverify-package-test.lock
flock -w 300 9 || { fail "another run of this test holds /var/lock/cspverify-package-test.lock"; finish; }

installed() { dpkg-query -W -f='${Status}' cspverify 2>/dev/null | grep -q "install ok installed"; }
# Removes the package when this test (or an interrupted earlier run) installed it.
# Install and removal defer dpkg's triggers (man-db re-indexing every manual
# page: seconds each time) to one run here, after the removal.
remove_package() {
  [[ -e $MARKER ]] || return 0
  if dpkg --no-triggers --purge cspverify >"$TMP/dpkg.log" 2>&1 && dpkg --triggers-only --pending >>"$TMP/dpkg.log" 2>&1
  then
    rm -f "$MARKER"
  else
    fail "dpkg --purge cspverify failed"; sed 's/^/  | /' "$TMP/dpkg.log"
  fi
}
if installed && [[ ! -e $MARKER ]]; then
  echo "SKIPPED: a cspverify package this test did not install is installed; not replacing it"
  exit 77
fi
[[ -e $MARKER ]] && echo "removing the package an interrupted run of this test left installed"
remove_package
trap 'remove_package; rm -rf "$TMP"' EXIT

# Build the package in a directory of its own, from this build tree.
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 \
  || { fail "cpack failed"; sed 's/^/  | /' "$TMP/cpack.log"; finish; }
deb=$(compgen -G "$TMP/pkg/cspverify_*.deb")
[[ -n $deb ]] || { fail "cpack made no cspverify_*.deb"; ls "$TMP/pkg"; finish; }
version=$("$CSPV" --version | sed -n 's/^cspverify \([^ ]*\) .*/\1/p')
[[ $(dpkg-deb -f "$deb" Package) == cspverify ]] || fail "package name: $(dpkg-deb -f "$deb" Package)"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "package version $(dpkg-deb -f "$deb" Version), binary $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libz3-4 libfmt9 libboost-program-options1.74.0 libstdc++6 libc6; do
  [[ ", $depends," == *", $lib "* || ", $depends," == *", $lib,"* ]] || fail "Depends lacks $lib: $depends"
done

# Install it. dpkg refuses it when a dependency it declares is missing or
# too old (every one is here: the build linked against them).
touch "$MARKER"
dpkg --no-triggers -i "$deb" >"$TMP/dpkg.log" 2>&1 || { fail "dpkg -i $deb failed"; sed 's/^/  | /' "$TMP/dpkg.log"; }
# The installed binary from PATH, not one in /usr/local/bin or the build tree.
from_path() { PATH=/usr/bin:/bin cspverify "$@"; }
if installed; then
  [[ $(PATH=/usr/bin:/bin command -v cspverify) == /usr/bin/cspverify ]] || fail "cspverify is not /usr/bin/cspverify"
  from_path --version >"$TMP/out" 2>&1 || fail "cspverify --version failed"
  expect_in "$TMP/out" "cspverify $version (z3 "
  from_path prove /usr/share/cspverify/specs --no-timings >"$TMP/out" 2>&1 \
    || { fail "cspverify prove /usr/share/cspverify/specs exited $?"; sed 's/^/  | /' "$TMP/out"; }
  expect_in "$TMP/out" "proved"
  [[ -f /usr/share/man/man1/cspverify.1 ]] || fail "no /usr/share/man/man1/cspverify.1"
  if command -v man >/dev/null; then  # man finds it on the file system, whatever its index says
    [[ $(man -w cspverify) == /usr/share/man/man1/cspverify.1* ]] || fail "man -w cspverify: $(man -w cspverify)"
  fi
  completion=/usr/share/bash-completion/completions/cspverify
  bash -c "source $completion && complete -p cspverify" >"$TMP/out" 2>&1 || fail "$completion does not load"
  expect_in "$TMP/out" "complete -F _cspverify cspverify"
  [[ -f /usr/share/doc/cspverify/language.md ]] || fail "no /usr/share/doc/cspverify/language.md"
fi

remove_package
installed && fail "cspverify is still installed"
for left in /usr/bin/cspverify /usr/share/man/man1/cspverify.1 /usr/share/cspverify /usr/share/doc/cspverify; do
  [[ -e $left ]] && fail "left behind after removal: $left"
done
finish
