#!/usr/bin/env bash
# release-check.sh — issue 13's release acceptance, on this checkout (a fresh
# clone with no remote works: goreleaser.yaml names its release target):
#   1. `goreleaser check` and `goreleaser release --snapshot --clean` (into
#      dist/, gitignored), goreleaser v2 pinned in scripts/goreleaser.sh;
#   2. six binaries (linux, darwin, windows × amd64, arm64), archives with
#      README.md, LICENSE, completions and man pages, checksums.txt that
#      verifies, and .deb, .rpm and .apk packages;
#   3. `updoc version` of the linux/amd64 snapshot prints the injected version
#      and HEAD's commit;
#   4. `dpkg-deb -c` of the amd64 .deb lists /usr/bin/updoc, a man page under
#      /usr/share/man/man1 and the bash, zsh and fish completions; `dpkg -x`
#      into a throw-away root and `updoc version` from there works.
# Every run of the built updoc is inside a private network namespace
# (unshare -rn, loopback only). With warm caches it takes about 50 s. Cold,
# on the shared 2-core machine: building goreleaser took 8.6 min of CPU
# (28 min wall under load), and the six cross builds 9.5 min of CPU (20 min).
#
# Usage: scripts/release-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
fail() { echo "release-check: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
for tool in unshare dpkg-deb dpkg tar unzip sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool is needed (util-linux, dpkg, tar, unzip, coreutils)"
done
# sandboxed BIN ARGS...: runs a built updoc with loopback only.
sandboxed() {
  unshare -rnpf --mount-proc sh -c 'ip link set lo up 2>/dev/null; exec "$0" "$@"' "$@"
}

step "goreleaser check"
scripts/goreleaser.sh check

step "goreleaser release --snapshot --clean"
scripts/goreleaser.sh release --snapshot --clean
git check-ignore -q dist/ || fail "dist/ is not gitignored"

step "binaries"
for os in linux darwin windows; do
  for arch in amd64 arm64; do
    exe=updoc; [ "$os" = windows ] && exe=updoc.exe
    bins=(dist/updoc_"$os"_"$arch"*/"$exe")
    [ -f "${bins[0]}" ] && [ ${#bins[@]} -eq 1 ] || fail "no single $os/$arch binary: ${bins[*]}"
    echo "  ${bins[0]}"
  done
done

step "archives and checksums"
archives=(dist/updoc_*.tar.gz dist/updoc_*.zip)
[ ${#archives[@]} -eq 6 ] || fail "want 6 archives, found ${#archives[@]}: ${archives[*]}"
for a in "${archives[@]}"; do
  case $a in
    *.zip) list=$(unzip -Z1 "$a") ;;
    *) list=$(tar -tzf "$a") ;;
  esac
  for want in README.md LICENSE completions/updoc.bash manpages/updoc-check.1; do
    grep -qx "$want" <<<"$list" || fail "$a lacks $want"
  done
done
[ -f dist/checksums.txt ] || fail "no dist/checksums.txt"
(cd dist && sha256sum --quiet -c checksums.txt) || fail "checksums.txt does not verify"
echo "  ${#archives[@]} archives with README.md, LICENSE, completions and man pages; checksums.txt verifies"

step "packages"
for fmt in deb rpm apk; do
  pkgs=(dist/*.$fmt)
  [ -f "${pkgs[0]}" ] || fail "no .$fmt package"
  echo "  ${pkgs[*]}"
done

step "updoc version of the linux/amd64 snapshot"
want_version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
want_commit=$(git rev-parse HEAD)
[ -n "$want_version" ] || fail "no version in dist/metadata.json"
out=$(sandboxed "$(ls dist/updoc_linux_amd64*/updoc)" version)
echo "$out" | sed 's/^/  /'
grep -q "^updoc $want_version\$" <<<"$out" || fail "updoc version does not print the version $want_version"
grep -q "^commit: $want_commit\$" <<<"$out" || fail "updoc version does not print the commit $want_commit"

step "the .deb"
deb=$(ls dist/*_amd64.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for want in ./usr/bin/updoc ./usr/share/man/man1/updoc-check.1 \
  ./usr/share/bash-completion/completions/updoc ./usr/share/zsh/vendor-completions/_updoc \
  ./usr/share/fish/vendor_completions.d/updoc.fish; do
  grep -qx "$want" <<<"$contents" || fail "$deb does not install ${want#.}"
done
echo "  $deb installs /usr/bin/updoc, $(grep -c '^./usr/share/man/man1/.*\.1' <<<"$contents") man pages and the bash, zsh and fish completions"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
out=$(sandboxed "$root/usr/bin/updoc" version)
grep -q "^commit: $want_commit\$" <<<"$out" || fail "updoc version from the unpacked .deb: $out"
echo "  dpkg -x into a throw-away root: $root/usr/bin/updoc version works"

echo "release-check: ok in $(($(date +%s) - start)) s"
