#!/usr/bin/env bash
# checksums.sh VERSION — dist/SHA256SUMS for every release artifact of that
# version there (the Windows .msi and .exe, the Linux tarball), for
# `sha256sum -c SHA256SUMS`. Each packaging target runs it last.
set -euo pipefail
cd "$(dirname "$0")/../dist"
shopt -s nullglob
files=(pantau-efaktur-"$1"-*.msi pantau-efaktur-"$1"-*.exe pantau-efaktur-"$1"-*.tar.xz)
[ ${#files[@]} -gt 0 ] || { echo "no artifacts of $1 in dist/"; exit 1; }
sha256sum "${files[@]}" > SHA256SUMS
echo "dist/SHA256SUMS: ${files[*]}"
