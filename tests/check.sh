#!/usr/bin/env bash
# make check: the public API's rules, fuzz smoke, unit tests, end-to-end pushes; a short
# summary on the terminal, every detail in LOG.
#
#   tests/check.sh LOG      (run by `make check`, which passes MAKE, UNIT_BIN, FUZZ_CC)
#
# It builds first (all and the unit test programs: the compiler's lines go to LOG too).
#
# The terminal gets one row per stage (passed / failed / skipped), every skip with its
# reason, the detail of every failure (the failing unit tests' and e2e cases' diagnostics,
# a failing fuzz target's log tail), and a closing "check: N passed, N failed, N skipped".
# Exit 1 when anything failed.
set -u

LOG=${1:?usage: tests/check.sh LOG}
MAKE=${MAKE:-make}
FUZZ_CC=${FUZZ_CC:-clang}
UNIT_BIN=${UNIT_BIN:?UNIT_BIN: the unit test programs (make check sets it)}
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2

mkdir -p "$(dirname "$LOG")"
: >"$LOG" || exit 2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg-check.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

SKIPS=()    # "stage  name — reason"
FAILS=()    # files holding the detail of each failure
TOTAL_P=0 TOTAL_F=0 TOTAL_S=0
log() { printf '%s\n' "$*" >>"$LOG"; }
row() { # STAGE WHAT PASSED FAILED SKIPPED [NOTE]
	printf '  %-11s %-22s %5d passed, %d failed, %d skipped%s\n' "$1" "$2" "$3" "$4" "$5" "${6:+  ($6)}"
	TOTAL_P=$((TOTAL_P + $3)) TOTAL_F=$((TOTAL_F + $4)) TOTAL_S=$((TOTAL_S + $5))
}

echo "make check: public API, fuzz smoke, unit tests, end-to-end pushes (detail: $LOG)"
log "make check $(date -u +%FT%TZ) in $TOP"

# ---------------------------------------------------------------- build
log "" "==== build ($MAKE all and the unit test programs)"
# shellcheck disable=SC2086 # UNIT_BIN is a list of paths
if ! "$MAKE" --no-print-directory all $UNIT_BIN >"$WORK/build" 2>&1; then
	cat "$WORK/build" >>"$LOG"
	echo "FAILED: the build; its last lines:"
	tail -n 40 "$WORK/build" | sed 's/^/  | /'
	log "" "check: 0 passed, 1 failed, 0 skipped (the build failed)"
	echo "check: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
cat "$WORK/build" >>"$LOG"
echo "  build       ok"

# ---------------------------------------------------------------- public API
log "" "==== public API ($MAKE check-api)"
"$MAKE" --no-print-directory check-api >"$WORK/api" 2>&1
arc=$?
cat "$WORK/api" >>"$LOG"
ap=$(grep -c '^ok - ' "$WORK/api")
af=$(grep -c '^not ok - ' "$WORK/api")
if [ "$arc" -ne 0 ] && [ "$af" -eq 0 ]; then af=1; fi
if [ "$af" -gt 0 ]; then
	{ echo "public API ($MAKE check-api; docs/api.md):"; tail -n 40 "$WORK/api" | sed 's/^/  | /'; } >"$WORK/fail.api"
	FAILS+=("$WORK/fail.api")
fi
row "public API" "$((ap + af)) rules" "$ap" "$af" 0

# ---------------------------------------------------------------- fuzz smoke
log "" "==== fuzz smoke ($MAKE fuzz-smoke)"
if command -v "$FUZZ_CC" >/dev/null 2>&1; then
	"$MAKE" --no-print-directory fuzz-smoke >"$WORK/fuzz" 2>&1
	frc=$?
	cat "$WORK/fuzz" >>"$LOG"
	fp=$(grep -c '^fuzz [a-z_]*: Done' "$WORK/fuzz")
	ff=$(grep -c '^fuzz [a-z_]*: FAILED' "$WORK/fuzz")
	if [ "$frc" -ne 0 ] && [ "$ff" -eq 0 ]; then
		ff=1 # the build failed, or make did
		{ echo "fuzz smoke: $MAKE fuzz-smoke failed (exit $frc) before any target ran:"; tail -n 30 "$WORK/fuzz" | sed 's/^/  | /'; } >"$WORK/fail.fuzz"
		FAILS+=("$WORK/fail.fuzz")
	elif [ "$ff" -gt 0 ]; then
		{ echo "fuzz smoke:"; tail -n 45 "$WORK/fuzz" | sed 's/^/  | /'; } >"$WORK/fail.fuzz"
		FAILS+=("$WORK/fail.fuzz")
	fi
	row "fuzz smoke" "$((fp + ff)) targets" "$fp" "$ff" 0 "${FUZZ_SECONDS:-5} s each"
else
	log "skipped: $FUZZ_CC not found"
	SKIPS+=("fuzz   every target — $FUZZ_CC not found (Debian package: clang)")
	row "fuzz smoke" "not run" 0 0 1
fi

# ---------------------------------------------------------------- unit tests
log "" "==== unit tests (cmocka)"
up=0 uf=0 us=0 nprog=0
for t in $UNIT_BIN; do
	nprog=$((nprog + 1))
	name=${t##*/}
	case $t in /*) ;; *) t=./$t ;; esac
	log "== $t"
	"$t" >"$WORK/unit" 2>&1
	rc=$?
	cat "$WORK/unit" >>"$LOG"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$WORK/unit" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' "$WORK/unit" | tail -n 1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below:$/\1/p' "$WORK/unit" | tail -n 1)
	up=$((up + ${p:-0})) us=$((us + ${s:-0}))
	# a skipped test may say why on a line "# SKIP TEST: reason" (print_message) before skip()
	while read -r sk; do
		why=$(sed -n "s/^# SKIP $sk: //p" "$WORK/unit" | head -n 1)
		SKIPS+=("unit   $name: $sk — ${why:-no reason given}")
	done < <(sed -n 's/^\[  SKIPPED \] \(test_[A-Za-z0-9_]*\)$/\1/p' "$WORK/unit" | sort -u)
	if [ -n "$f" ] || [ "$rc" -ne 0 ]; then
		[ -n "$f" ] || f=1 # crashed or failed outside a test: counted as one failure
		uf=$((uf + f))
		{
			echo "unit $name (exit $rc): failing tests and their messages:"
			grep -E '^\[  (ERROR|FAILED|  LINE)|^\[   LINE|error:|Assertion|Sanitizer|^==[0-9]+==' "$WORK/unit" |
				grep -v 'test(s), listed below' | head -n 40 | sed 's/^/  | /'
			[ -n "$(sed -n '/^\[==========\]/p' "$WORK/unit")" ] ||
				{ echo "  (no cmocka summary: the program crashed; its last lines:)"; tail -n 20 "$WORK/unit" | sed 's/^/  | /'; }
		} >"$WORK/fail.unit.$name"
		FAILS+=("$WORK/fail.unit.$name")
	fi
done
row "unit tests" "$((up + uf + us)) tests" "$up" "$uf" "$us" "$nprog programs"

# ---------------------------------------------------------------- end-to-end
log "" "==== end-to-end pushes (tests/e2e/run.sh)"
PG_E2E_RESULTS="$WORK/e2e.results" tests/e2e/run.sh >"$WORK/e2e" 2>&1
erc=$?
cat "$WORK/e2e" >>"$LOG"
if [ -f "$WORK/e2e.results" ]; then
	ep=$(grep -c -E '^(pass|xpass) ' "$WORK/e2e.results")
	ef=$(grep -c '^fail ' "$WORK/e2e.results")
	es=$(grep -c '^skip ' "$WORK/e2e.results")
	ex=$(grep -c '^xfail ' "$WORK/e2e.results")
	nfiles=$(grep -c '^# t[0-9]*-[^:]*: [0-9]* cases in' "$WORK/e2e")
	while IFS= read -r l; do
		l=${l#skip }
		SKIPS+=("e2e    ${l%% # *} — $([ "$l" != "${l% # *}" ] && echo "${l#* # }" || echo "no reason given")")
	done < <(grep '^skip ' "$WORK/e2e.results")
else
	ep=0 ef=1 es=0 ex=0 nfiles=0
fi
if [ "$erc" -ne 0 ] && [ "$ef" -eq 0 ]; then ef=1; fi
if [ "$ef" -gt 0 ]; then
	{
		echo "e2e (exit $erc): the failing cases and their diagnostics:"
		# every "not ok" line that is not a known bug, with the "#" lines under it
		awk '/^not ok - / { show = ($0 !~ /# TODO/) } /^(ok|not ok) - / && !/^not ok - / { show = 0 }
		     show && /^(not ok - |#)/ { print "  | " $0 }' "$WORK/e2e" | head -n 400
		grep -q '^not ok - ' "$WORK/e2e" || tail -n 30 "$WORK/e2e" | sed 's/^/  | /'
	} >"$WORK/fail.e2e"
	FAILS+=("$WORK/fail.e2e")
fi
row "e2e cases" "$((ep + ef + es)) cases" "$ep" "$ef" "$es" "$nfiles files$([ "$ex" -eq 0 ] || echo ", $ex known bugs marked TODO")"

# ---------------------------------------------------------------- summary
if [ ${#SKIPS[@]} -gt 0 ]; then
	echo "  skipped:"
	printf '    %s\n' "${SKIPS[@]}"
fi
for f in "${FAILS[@]}"; do
	echo "FAILED: $(head -n 1 "$f")"
	tail -n +2 "$f"
done
log "" "check: $TOTAL_P passed, $TOTAL_F failed, $TOTAL_S skipped"
echo "check: $TOTAL_P passed, $TOTAL_F failed, $TOTAL_S skipped"
[ "$TOTAL_F" -eq 0 ]
