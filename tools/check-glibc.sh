#!/usr/bin/env bash
# Fails when any ELF executable or shared library under the given folders/files needs a newer glibc than Amazon
# Linux 2023 (provided.al2023) has: GLIBC 2.34, and libstdc++ from GCC 11 (GLIBCXX 3.4.29, CXXABI 1.3.13).
# Also lists the shared libraries the binaries need that the package does not ship (they must exist on the image).
#
# usage: tools/check-glibc.sh DIR_OR_FILE...   (limits overridable: MAX_GLIBC, MAX_GLIBCXX, MAX_CXXABI)
set -euo pipefail

max_glibc=${MAX_GLIBC:-2.34}
max_glibcxx=${MAX_GLIBCXX:-3.4.29}
max_cxxabi=${MAX_CXXABI:-1.3.13}

[[ $# -gt 0 ]] || { echo "usage: $0 DIR_OR_FILE..." >&2; exit 2; }
command -v objdump >/dev/null || { echo "check-glibc: objdump is required (apt-get install binutils)" >&2; exit 2; }

# newer A B: true when version A > version B.
newer() { [[ $1 != "$2" && $(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n1) == "$1" ]]; }

highest() { # highest version of tag $1 in the symbol list on stdin
  grep -oE "\b$1_[0-9]+(\.[0-9]+)*" | sed "s/^$1_//" | sort -Vu | tail -n1 || true
}

failed=0
checked=0
declare -A needed shipped
while IFS= read -r -d '' file; do
  [[ $(head -c 4 "$file" 2>/dev/null | od -An -tx1 | tr -d ' \n') == 7f454c46 ]] || continue
  checked=$((checked + 1))
  shipped[$(basename "$file")]=1
  symbols=$(objdump -T "$file" 2>/dev/null || true)
  glibc=$(highest GLIBC <<<"$symbols")
  glibcxx=$(highest GLIBCXX <<<"$symbols")
  cxxabi=$(highest CXXABI <<<"$symbols")
  verdict=ok
  if { [[ -n $glibc ]] && newer "$glibc" "$max_glibc"; } \
    || { [[ -n $glibcxx ]] && newer "$glibcxx" "$max_glibcxx"; } \
    || { [[ -n $cxxabi ]] && newer "$cxxabi" "$max_cxxabi"; }; then
    verdict=TOO-NEW
    failed=1
  fi
  printf '%-7s GLIBC %-6s GLIBCXX %-8s %s\n' "$verdict" "${glibc:--}" "${glibcxx:--}" "$file"
  while read -r lib; do
    [[ -n $lib ]] && needed[$lib]=1
  done < <(objdump -p "$file" 2>/dev/null | awk '$1 == "NEEDED" { print $2 }')
done < <(find "$@" -type f -print0)

missing=()
for lib in "${!needed[@]}"; do
  [[ -z ${shipped[$lib]:-} ]] && missing+=("$lib")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "needed from the OS image: $(printf '%s\n' "${missing[@]}" | sort | tr '\n' ' ')"
fi

if [[ $checked -eq 0 ]]; then
  echo "check-glibc: no ELF files under $*" >&2
  exit 1
fi
if [[ $failed -ne 0 ]]; then
  echo "check-glibc: FAILED: some binaries need more than GLIBC $max_glibc / GLIBCXX $max_glibcxx / CXXABI $max_cxxabi (Amazon Linux 2023)" >&2
  exit 1
fi
echo "check-glibc: $checked ELF files, none needs more than GLIBC $max_glibc / GLIBCXX $max_glibcxx / CXXABI $max_cxxabi"
