#!/usr/bin/env bash
# Checks, without changing any file, that alloc_counter's sources are
# formatted and lint-clean:
#   bazel  buildifier --lint=warn --mode=check over every BUILD, WORKSPACE
#          and .bzl file (the third_party/ stand-ins are ours and included);
#   cpp    clang-format --dry-run --Werror over every C and C++ file, with
#          the Google style of .clang-format.
# Arguments name the checks to run (default: both): tools/check_format.sh
# bazel. The files checked are the repository's own: in a git checkout, those
# git tracks or would track (not .gitignore'd: no Bazel output, no build/);
# otherwise every file outside bazel-*, build/, .git and node_modules.
#
# buildifier comes from the npm package @bazel/buildifier, which ships the
# binary. It is installed on first use into $ALLOC_COUNTER_TOOLS_DIR (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/alloc_counter), outside the tree; set
# BUILDIFIER to use another binary. clang-format is Debian's
# (tools/install_deps.sh installs both it and npm).
#
# Prints "PASSED: <check>" or "FAILED: <check>" for each check and exits 1 if
# any failed. To fix what it reports: buildifier -r . (or --lint=fix), and
# clang-format -i <file>.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly buildifier_version=8.2.1
tools_dir=${ALLOC_COUNTER_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/alloc_counter}

# The repository's own files, one a line, without a leading ./ .
own_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard
  else
    find . \( -path './bazel-*' -o -path ./build -o -name .git \
      -o -name node_modules \) -prune -o -type f -print | sed 's|^\./||'
  fi | sort -u | while read -r f; do [[ -f "$f" ]] && echo "$f"; done
}

# Prints the path of buildifier, installing it first if needed.
find_buildifier() {
  if [[ -n "${BUILDIFIER:-}" ]]; then
    echo "$BUILDIFIER"
    return
  fi
  local dir=$tools_dir/buildifier-$buildifier_version
  local bin=$dir/node_modules/.bin/buildifier
  if [[ ! -x "$bin" ]]; then
    if ! command -v npm >/dev/null; then
      echo "check_format.sh: npm not found; run tools/install_deps.sh" >&2
      return 1
    fi
    echo "check_format.sh: installing @bazel/buildifier@${buildifier_version} into ${dir}" >&2
    mkdir -p "$tools_dir"
    # Installed beside, then moved into place: a run that is interrupted, or
    # another one running at the same time, never sees half an install.
    local tmp
    tmp=$(mktemp -d "$tools_dir/.buildifier.XXXXXX")
    if ! npm install --prefix "$tmp" --no-audit --no-fund --no-save \
        --loglevel=error "@bazel/buildifier@${buildifier_version}" >&2; then
      rm -rf "$tmp"
      return 1
    fi
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  fi
  echo "$bin"
}

check_bazel() {
  local buildifier files
  buildifier=$(find_buildifier) || return 1
  mapfile -t files < <(own_files |
    grep -E '(^|/)(BUILD|BUILD\.bazel|WORKSPACE|WORKSPACE\.bazel|MODULE\.bazel)$|\.bzl$')
  local version
  version=$("$buildifier" --version | sed -n 's/^buildifier version: *//p')
  echo "buildifier ${version%% *} --lint=warn --mode=check: ${#files[@]} files"
  "$buildifier" --lint=warn --mode=check "${files[@]}"
}

check_cpp() {
  local files unformatted=()
  if ! command -v clang-format >/dev/null; then
    echo "check_format.sh: clang-format not found; run tools/install_deps.sh" >&2
    return 1
  fi
  mapfile -t files < <(own_files | grep -E '\.(c|cc|cpp|h|hpp)$')
  echo "$(clang-format --version) --dry-run --Werror: ${#files[@]} files"
  for f in "${files[@]}"; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
      unformatted+=("$f")
    fi
  done
  if ((${#unformatted[@]} > 0)); then
    printf '  not formatted: %s\n' "${unformatted[@]}"
    echo "${#unformatted[@]} of ${#files[@]} files are not clang-formatted" \
      "(clang-format --dry-run <file> shows where; clang-format -i <file> fixes it)"
    return 1
  fi
}

checks=("$@")
if ((${#checks[@]} == 0)); then checks=(bazel cpp); fi
status=0
for check in "${checks[@]}"; do
  case "$check" in
    bazel | cpp) ;;
    *)
      echo "check_format.sh: unknown check '$check'; known: bazel, cpp" >&2
      exit 2
      ;;
  esac
  echo "==> check_format.sh: ${check}"
  if "check_${check}"; then
    echo "PASSED: ${check}"
  else
    echo "FAILED: ${check}"
    status=1
  fi
done
exit "$status"
