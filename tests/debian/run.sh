#!/usr/bin/env bash
# What a newcomer does on a bare Debian 12, for real: a minimal Debian 12 (debootstrap
# --variant=minbase from Debian's archive: no sudo, no git, no compiler) in a folder, a
# copy of this checkout in it, and in a chroot:
#
#   quickstart-root   as root, without sudo: the README's Quick start block, verbatim
#                     (./install.sh /srv/git/project.git, then make check); then a pushed
#                     secret is refused and a clean commit accepted
#   quickstart-sudo   as a user who may use sudo (sudo added the way an admin would): the
#                     same two commands verbatim, nothing in the checkout left root's, the
#                     pushes; then the older `sudo ./install.sh OTHER.git` form, and make again
#   deb               make deb in the checkout, then on another fresh Debian 12:
#                     apt install ./pushguard_VERSION_ARCH.deb, a guarded repository (secret
#                     refused from the precompiled database, nothing compiled), apt purge
#                     leaves nothing behind
#
#   tests/debian/run.sh [SCENARIO...]     (default: all; root; minutes: not part of make check)
#
# Needs root, debootstrap (Debian package debootstrap), mount and chroot, and Debian's
# archive (PG_DEBIAN_MIRROR, default http://deb.debian.org/debian); says SKIP with the
# reason and exits 0 where one is missing. The minimal system is made once and kept in
# PG_DEBIAN_CACHE (default /var/tmp/pushguard-debian/bookworm); every scenario gets a
# fresh copy. PG_KEEP=1 keeps the scenario trees; each scenario's log is kept in
# PG_DEBIAN_LOGS (default: logs/ beside the cache). Output: "ok - …" / "not ok - …" lines
# (with the log's tail under a failure), then "N passed, N failed".
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
MIRROR=${PG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${PG_DEBIAN_CACHE:-/var/tmp/pushguard-debian/bookworm}
WORK=
ROOT=
PASSED=0
FAILED=0

skip_all() {
	echo "ok - tests/debian # SKIP $1"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

[ "$(id -u)" -eq 0 ] || skip_all "needs root (debootstrap, mount, chroot)"
command -v debootstrap >/dev/null 2>&1 || skip_all "debootstrap not installed (Debian package: debootstrap)"
command -v chroot >/dev/null 2>&1 || skip_all "chroot not found"
probe=$(mktemp -d "${TMPDIR:-/tmp}/pg-debian-probe.XXXXXX")
if ! mount -t tmpfs none "$probe" 2>/dev/null; then
	rmdir "$probe"
	skip_all "cannot mount here (no CAP_SYS_ADMIN): a chroot needs /proc and /dev"
fi
umount "$probe"
rmdir "$probe"

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(quickstart-root quickstart-sudo deb)
for s in "${scenarios[@]}"; do
	case $s in quickstart-root | quickstart-sudo | deb) ;; *)
		echo "run.sh: no scenario $s (quickstart-root, quickstart-sudo, deb)" >&2
		exit 2
		;;
	esac
done

# mounts_under DIR: the mount points at or below DIR, deepest first
mounts_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# unmount_all DIR: end the processes running inside the chroot DIR, unmount everything
# below it (deepest first); fails when a mount is left, so that nothing is ever removed
# through a mount point
unmount_all() {
	local d=$1 p m i
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$d" ] || continue
		kill -KILL "${p#/proc/}" 2>/dev/null
	done
	for i in 1 2 3; do
		for m in $(mounts_under "$d"); do umount "$m" 2>/dev/null; done
		[ -z "$(mounts_under "$d")" ] && return 0
		sleep 1
	done
	echo "# still mounted below $d (left in place): $(mounts_under "$d" | tr '\n' ' ')" >&2
	return 1
}

cleanup() {
	local r
	[ -n "$WORK" ] || return 0
	for r in "$WORK"/*/; do
		[ -d "$r" ] && unmount_all "${r%/}"
	done
	if [ -n "$(mounts_under "$WORK")" ]; then
		echo "# not removed (still mounted): $WORK" >&2
	elif [ -z "${PG_KEEP:-}" ]; then
		rm -rf --one-file-system "$WORK"
	else
		echo "# kept: $WORK" >&2
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---------------------------------------------------------------- the minimal system
if [ ! -x "$CACHE/usr/bin/apt-get" ]; then
	echo "# debootstrap --variant=minbase bookworm $CACHE $MIRROR (once; kept for later runs)"
	rm -rf "$CACHE.new"
	mkdir -p "$(dirname "$CACHE")"
	if ! debootstrap --variant=minbase bookworm "$CACHE.new" "$MIRROR" >"$CACHE.log" 2>&1; then
		tail -n 5 "$CACHE.log" | sed 's/^/#   | /'
		rm -rf "$CACHE.new"
		skip_all "debootstrap from $MIRROR failed (no network to Debian's archive?): see $CACHE.log"
	fi
	mv "$CACHE.new" "$CACHE"
fi
WORK=$(mktemp -d /var/tmp/pg-debian.XXXXXX)
LOGS=${PG_DEBIAN_LOGS:-$(dirname "$CACHE")/logs}
mkdir -p "$LOGS"

# fresh_root NAME: a copy of the minimal system at $WORK/NAME (set as ROOT) with its own
# /proc, /dev/pts and /dev/shm. The host's /dev is never bound in: debootstrap made the
# device nodes a chroot needs (null, zero, urandom, tty...).
fresh_root() {
	ROOT="$WORK/$1"
	cp -a "$CACHE" "$ROOT"
	cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
	printf '127.0.1.1\t%s\n' "$(hostname)" >>"$ROOT/etc/hosts" # sudo resolves its host name
	# packages install as they would on a server, but start no service inside the chroot
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
	mount -t proc proc "$ROOT/proc"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$ROOT/dev/pts"
	ln -sf pts/ptmx "$ROOT/dev/ptmx"
	mount -t tmpfs -o mode=1777 tmpfs "$ROOT/dev/shm"
}

# release_root NAME: unmount, then remove the tree (unless PG_KEEP, or a mount is left)
release_root() {
	local r="$WORK/$1"
	unmount_all "$r" || return 0
	[ -n "${PG_KEEP:-}" ] || rm -rf --one-file-system "$r"
}

# copy_checkout ROOT DEST OWNER: this checkout, as `git clone` would give it (no build output)
copy_checkout() {
	mkdir -p "$1$2"
	tar -C "$TOP" --exclude=./.git --exclude=./build --exclude=./build-asan --exclude=./build-fuzz \
		--exclude='./pushguard_*.deb' -cf - . | tar -C "$1$2" -xf -
	chroot "$1" chown -R "$3" "$2"
}

# in ROOT LOG SCRIPT: run SCRIPT with bash -e in the chroot, as root, output appended to LOG
in_root() {
	local root=$1 log=$2
	shift 2
	chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		LANG=C.UTF-8 TERM=dumb /bin/bash -euo pipefail -c "$1" >>"$log" 2>&1
}

# as_user ROOT USER LOG SCRIPT: the same, as USER, with a login environment
as_user() {
	local root=$1 user=$2 log=$3
	chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=dumb \
		/usr/sbin/runuser -l "$user" -c "set -euo pipefail; $4" >>"$log" 2>&1
}

result() { # OK(0|1) NAME LOG
	if [ "$1" = 0 ]; then
		echo "ok - $2"
		PASSED=$((PASSED + 1))
	else
		echo "not ok - $2"
		echo "#   log: $3 (last lines:)"
		tail -n 40 "$3" | sed 's/^/#   | /'
		FAILED=$((FAILED + 1))
	fi
}

# The pushes a newcomer tries next: a generated token is refused with its masked excerpt,
# a clean commit accepted. Run in the chroot (as root or the user) in DIR.
PUSHES='
cd "$(mktemp -d)"
git -c init.defaultBranch=main clone -q /srv/git/project.git w 2>/dev/null
cd w
git config user.name "New Comer"; git config user.email newcomer@example.com
tok="gh""p_$(LC_ALL=C tr -dc A-Za-z0-9 </dev/urandom | head -c 36 || true)"
printf "#!/bin/sh\nexport GITHUB_TOKEN=%s\n" "$tok" >deploy.sh
git add deploy.sh; git commit -q -m "Add deploy script"
if git push origin HEAD:refs/heads/main >push1.out 2>&1; then echo "secret push accepted!"; cat push1.out; exit 1; fi
cat push1.out
grep -q "deploy.sh:2" push1.out
grep -q "${tok:0:4}…" push1.out
! grep -q "$tok" push1.out
echo "PUSHES: secret refused"
printf "#!/bin/sh\nexport GITHUB_TOKEN=\"\$(cat /run/secrets/github)\"\n" >deploy.sh
git add deploy.sh; git commit -q --amend -m "Add deploy script"
git push origin HEAD:refs/heads/main
echo "PUSHES: clean commit accepted"
'

# The README's Quick start block, verbatim: its command lines (comments dropped)
QUICKSTART=$(sed -n '/^## Quick start/,/^## /p' "$TOP/README.md" | sed -n '/^```sh$/,/^```$/p' |
	sed '1d;$d' | sed 's/[[:space:]]*#.*$//' | sed '/^[[:space:]]*$/d')

scenario_quickstart_root() {
	local r log="$LOGS/quickstart-root.log" ok=0
	fresh_root quickstart-root
	r=$ROOT
	echo "# quickstart-root: the Quick start, as root, no sudo:" >"$log"
	printf "%s\n" "$QUICKSTART" | sed "s/^/#   /" >>"$log"
	copy_checkout "$r" /root/pushguard root:root
	in_root "$r" "$log" '! command -v sudo && ! command -v git && echo "bare: no sudo, no git"' || ok=1
	[ "$ok" = 0 ] && { in_root "$r" "$log" "cd /root/pushguard; $QUICKSTART" || ok=1; }
	grep -q "/srv/git/project.git did not exist: created it as a bare repository" "$log" || ok=1
	grep -Eq '^check: [0-9]+ passed, 0 failed' "$log" || ok=1
	[ "$ok" = 0 ] && { in_root "$r" "$log" "$PUSHES" || ok=1; }
	result "$ok" "quickstart-root: the Quick start verbatim as root without sudo; secret refused, clean commit accepted" "$log"
	release_root quickstart-root
}

scenario_quickstart_sudo() {
	local r log="$LOGS/quickstart-sudo.log" ok=0 rootowned
	fresh_root quickstart-sudo
	r=$ROOT
	echo "# quickstart-sudo: the Quick start, as a sudo user:" >"$log"
	printf "%s\n" "$QUICKSTART" | sed "s/^/#   /" >>"$log"
	# what an admin does for a colleague: sudo, and an account in group sudo (no password
	# here only because nobody types one in a test)
	in_root "$r" "$log" 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo
		useradd -m -s /bin/bash -G sudo alice
		echo "alice ALL=(ALL:ALL) NOPASSWD: ALL" >/etc/sudoers.d/alice && chmod 0440 /etc/sudoers.d/alice' || ok=1
	copy_checkout "$r" /home/alice/pushguard alice:alice
	[ "$ok" = 0 ] && { as_user "$r" alice "$log" "cd ~/pushguard; $QUICKSTART" || ok=1; }
	grep -q "running again through sudo" "$log" || ok=1
	grep -q "/srv/git/project.git did not exist: created it as a bare repository (owner alice)" "$log" || ok=1
	grep -Eq '^check: [0-9]+ passed, 0 failed' "$log" || ok=1
	rootowned=$(find "$r/home/alice/pushguard" -uid 0 | head -n 5)
	if [ -n "$rootowned" ]; then
		echo "root-owned in the checkout: $rootowned" >>"$log"
		ok=1
	fi
	[ "$ok" = 0 ] && { as_user "$r" alice "$log" "$PUSHES" || ok=1; }
	result "$ok" "quickstart-sudo: the Quick start verbatim as a sudo user; nothing left root's; secret refused, clean commit accepted" "$log"

	# the older form: sudo ./install.sh, then the user builds again
	ok=0
	log="$LOGS/quickstart-sudo-2.log"
	as_user "$r" alice "$log" 'cd ~/pushguard; sudo ./install.sh /srv/git/other.git; make; git --version' || ok=1
	rootowned=$(find "$r/home/alice/pushguard" -uid 0 | head -n 5)
	if [ -n "$rootowned" ]; then
		echo "root-owned in the checkout: $rootowned" >>"$log"
		ok=1
	fi
	[ "$(chroot "$r" stat -c %U /srv/git/other.git)" = alice ] || { echo "other.git not alice's" >>"$log"; ok=1; }
	result "$ok" "quickstart-sudo: sudo ./install.sh OTHER.git leaves the checkout the user's (make works after)" "$log"
	release_root quickstart-sudo
}

scenario_deb() {
	local r log="$LOGS/deb.log" ok=0 deb
	echo "# deb: make deb in this checkout" >"$log"
	make -C "$TOP" deb >>"$log" 2>&1 || ok=1
	deb=$(cd "$TOP" && ls -t pushguard_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || { echo "no pushguard_*.deb" >>"$log"; ok=1; }
	fresh_root deb
	r=$ROOT
	if [ "$ok" = 0 ]; then
		cp "$TOP/$deb" "$r/root/"
		in_root "$r" "$log" "apt-get update -q
			cd /root
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./$deb 2>&1 | tail -n 3
			for f in /usr/bin/pushguard /usr/bin/pushguard-pre-receive /usr/bin/pushguard-update \
				/usr/share/pushguard/rules/default.toml /usr/share/pushguard/rules/default.hsdb \
				/usr/share/pushguard/policies/default.conf /usr/share/man/man1/pushguard.1.gz \
				/usr/share/man/man5/pushguard-config.5.gz; do test -f \$f || { echo missing \$f; exit 1; }; done
			pushguard version
			git -c init.defaultBranch=main init -q --bare /srv/git/project.git
			printf '#!/bin/sh\nexec /usr/bin/pushguard-pre-receive \"\$@\"\n' >/srv/git/project.git/hooks/pre-receive
			chmod +x /srv/git/project.git/hooks/pre-receive
			cd \"\$(mktemp -d)\"
			git -c init.defaultBranch=main clone -q /srv/git/project.git w 2>/dev/null; cd w
			git config user.name 'New Comer'; git config user.email newcomer@example.com
			mkdir data; for i in 1 2 3 4; do seq 1 4000 | sed \"s/^/ordinary line \$i /\" >data/p\$i.txt; done
			tok=\"gh\"\"p_\$(LC_ALL=C tr -dc A-Za-z0-9 </dev/urandom | head -c 36 || true)\"
			echo \"export GITHUB_TOKEN=\$tok\" >>data/p4.txt
			git add data; git commit -q -m 'Large first push'
			if git push origin HEAD:refs/heads/main >push.out 2>&1; then cat push.out; echo 'secret accepted!'; exit 1; fi
			grep -q 'data/p4.txt:4001' push.out || { cat push.out; exit 1; }
			echo 'secret refused on the first large push'
			test -z \"\$(find /root/.cache -name '*.hsdb' 2>/dev/null)\" || { echo 'a database was compiled'; exit 1; }
			echo 'nothing compiled (the precompiled database was used)'
			DEBIAN_FRONTEND=noninteractive apt-get purge -y -q pushguard 2>&1 | tail -n 2
			! dpkg -s pushguard >/dev/null 2>&1
			for d in /usr/share/pushguard /usr/share/doc/pushguard /etc/pushguard; do test ! -e \$d || { echo left \$d; exit 1; }; done
			test ! -e /usr/bin/pushguard
			echo 'purged: nothing left'" || ok=1
	fi
	result "$ok" "deb: apt install ./$deb on a fresh Debian 12, first large push refuses a secret with nothing compiled, apt purge leaves nothing" "$log"
	release_root deb
}

for s in "${scenarios[@]}"; do
	"scenario_${s//-/_}"
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
