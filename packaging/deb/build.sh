#!/usr/bin/env bash
# make deb: a Debian binary package pushguard_VERSION_ARCH.deb in the source tree's top.
#
#   packaging/deb/build.sh VERSION      (run by `make deb`; MAKE may name make)
#
# Builds in build-deb/ with PREFIX=/usr (configuration in /etc/pushguard) and Debian's
# hardening flags (dpkg-buildflags), installs into a staging tree with DESTDIR, strips
# the binaries, compresses the manual pages, adds the copyright file, changelog and
# examples (contrib/), and derives Depends with dpkg-shlibdeps: from the binaries, and
# for the libraries they dlopen() (Hyperscan, librnp, libcurl) from a probe linked
# against them. The precompiled rules database loads only with the Hyperscan release
# that compiled it, so Hyperscan is also bounded above by the next release.
set -euo pipefail

VERSION=${1:?usage: packaging/deb/build.sh VERSION}
MAKE=${MAKE:-make}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$TOP/packaging/deb"
B=build-deb
cd "$TOP"

for t in dpkg-deb dpkg-architecture dpkg-buildflags dpkg-shlibdeps; do
	command -v "$t" >/dev/null 2>&1 || { echo "make deb: $t not found (Debian package: dpkg-dev)" >&2; exit 1; }
done
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
STAGE="$TOP/$B/stage"
DEB="pushguard_${VERSION}_${ARCH}.deb"

# build and install into the staging tree
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
rm -rf "$STAGE"
# the rules database for any CPU of the architecture, not just the one building the package
rm -f "$B/rules/default.hsdb"
"$MAKE" --no-print-directory B="$B" PREFIX=/usr CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" RULES_DB_PORTABLE=1 all
"$MAKE" --no-print-directory B="$B" PREFIX=/usr CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" RULES_DB_PORTABLE=1 DESTDIR="$STAGE" install
rmdir "$STAGE/etc/pushguard" "$STAGE/etc" 2>/dev/null || true # the admin writes /etc/pushguard/config

for b in "$STAGE"/usr/bin/*; do
	strip --strip-unneeded --remove-section=.comment --remove-section=.note "$b"
done
gzip -9n "$STAGE"/usr/share/man/man1/*.1 "$STAGE"/usr/share/man/man5/*.5
# pushguard(1) documents the three hooks too
ln -s pushguard.1.gz "$STAGE/usr/share/man/man1/pushguard-pre-receive.1.gz"
ln -s pushguard.1.gz "$STAGE/usr/share/man/man1/pushguard-update.1.gz"
ln -s pushguard.1.gz "$STAGE/usr/share/man/man1/pushguard-post-receive.1.gz"

DOC="$STAGE/usr/share/doc/pushguard"
install -d "$DOC/examples/systemd"
install -m 0644 "$HERE/copyright" "$DOC/copyright"
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(date -R -u -d "@$(git -C "$TOP" log -1 --format=%ct 2>/dev/null || date +%s)")/" \
	"$HERE/changelog" | gzip -9n >"$DOC/changelog.gz"
gzip -9n <README.md >"$DOC/README.md.gz"
install -d "$DOC/docs"
for d in docs/*.md; do gzip -9n <"$d" >"$DOC/docs/${d##*/}.gz"; done
install -m 0644 contrib/config.example "$DOC/examples/config.example"
install -m 0644 contrib/logrotate.pushguard "$DOC/examples/logrotate.pushguard"
# the units name the binary's path: /usr/bin in this package
for u in contrib/systemd/*; do
	sed 's|/usr/local/bin/pushguard|/usr/bin/pushguard|g' "$u" >"$DOC/examples/systemd/${u##*/}"
	chmod 0644 "$DOC/examples/systemd/${u##*/}"
done
if [ -d contrib/grafana ]; then
	install -d "$DOC/examples/grafana"
	install -m 0644 contrib/grafana/*.json "$DOC/examples/grafana/"
fi

# Depends: dpkg-shlibdeps over the binaries and a probe that links what they dlopen()
SH="$TOP/$B/shlibdeps"
rm -rf "$SH"
mkdir -p "$SH/debian"
printf 'Source: pushguard\n\nPackage: pushguard\nArchitecture: any\n' >"$SH/debian/control"
printf 'int main(void) { return 0; }\n' >"$SH/probe.c"
# shellcheck disable=SC2046 # pkg-config's word list
cc -o "$SH/probe" "$SH/probe.c" -Wl,--no-as-needed $(pkg-config --libs libhs librnp libcurl libdeflate libcrypto)
(cd "$SH" && dpkg-shlibdeps -O -xlibc6-dbg "$STAGE"/usr/bin/* "$SH/probe" 2>"$SH/warnings") >"$SH/substvars"
DEPENDS=$(sed -n 's/^shlibs:Depends=//p' "$SH/substvars")
HSVER=$(pkg-config --modversion libhs)
HSNEXT=$(echo "$HSVER" | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }')
DEPENDS="$DEPENDS, libhyperscan5 (<< $HSNEXT)"

# libgit2 linked in (LIBGIT2=static, make's default where libgit2.a is installed): the
# package names the libgit2 source it holds, so that a libgit2 security update shows which
# packages need rebuilding (Built-Using: Debian 12's lintian does not know the newer
# Static-Built-Using field yet)
BUILT_USING=
if ! ldd "$STAGE/usr/bin/pushguard-pre-receive" | grep -q 'libgit2\.so'; then
	BUILT_USING="Built-Using: $(dpkg-query -W -f='${source:Package} (= ${source:Version})' libgit2-dev)"
fi

# control, md5sums, the package
install -d "$STAGE/DEBIAN"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" -e "s/@DEPENDS@/$DEPENDS/" \
	-e "s/^@BUILT_USING@\$/$BUILT_USING/" "$HERE/control.in" | sed '/^$/d' >"$STAGE/DEBIAN/control"
(cd "$STAGE" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"
find "$STAGE" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$TOP/$DEB" >/dev/null
echo "make deb: $DEB"
echo "  Depends: $DEPENDS"
if command -v lintian >/dev/null 2>&1; then
	if lintian --fail-on error,warning "$TOP/$DEB"; then
		echo "  lintian: clean"
	else
		echo "make deb: lintian found problems (above)" >&2
		exit 1
	fi
else
	echo "  lintian: not installed (apt-get install lintian), not run"
fi
