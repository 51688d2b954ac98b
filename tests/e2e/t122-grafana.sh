#!/usr/bin/env bash
# contrib/grafana/pushguard.json, the Grafana dashboard for pushguard.metricsFile: every
# metric it queries, and every label it filters or groups by, is one that pushguard writes
# (the metrics file of real pushes: accepted, refused for a file and for a secret, and one
# accepted unchecked past the time budget then checked in the background); a dashboard
# querying a metric or label pushguard does not write is caught.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

DASHBOARD="$PG_TOP/contrib/grafana/pushguard.json"
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }

# metrics_from_real_pushes FILE: the metrics file after real pushes of every kind
metrics_from_real_pushes() {
	local m=$1 i
	setup_repo
	set_config "$R" pushguard.metricsFile "$m"
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
	git reset -q --hard HEAD~
	commit deploy.sh "export GITHUB_TOKEN=gh""p_$(rand 36 'A-Za-z0-9')" "Token"
	push origin main
	assert_push_refused
	git reset -q --hard HEAD~
	# past a 1 ms budget, accepted unchecked, then checked in the background
	set_config "$R" pushguard.timeBudget 1ms
	set_config "$R" pushguard.onTimeout accept-and-report
	for i in $(seq 1 200); do
		printf 'commit refs/heads/main\ncommitter Alice Author <alice@example.com> %d +0000\ndata <<EOM\nChange %d\nEOM\n' \
			$((1700000000 + i)) "$i"
		[ "$i" -ne 1 ] || printf 'from %s\n' "$(git rev-parse HEAD)"
		printf 'M 100644 inline f/%d.txt\ndata <<EOM\nline %d\nEOM\n\n' "$i" "$i"
	done | git fast-import --quiet
	git reset -q --hard main
	push origin main
	assert_push_ok
	for i in $(seq 1 300); do
		grep -q '^pushguard_background_scans_total' "$m" 2>/dev/null && break
		sleep 0.1
	done
	grep -q '^pushguard_background_scans_total' "$m" || { OUT=$m; fail "a background check counted in $m" "none after 30 s"; }
}

# check_dashboard JSON METRICS: every expr's pushguard_* metric and label is written
check_dashboard() {
	run python3 - "$1" "$2" <<'PY'
import json, re, sys
dash = json.load(open(sys.argv[1]))
written = {}  # metric name -> set of label names
for line in open(sys.argv[2]):
    if line.startswith('#') or not line.strip():
        continue
    m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s', line)
    labels = set(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="', m.group(3) or ''))
    written.setdefault(m.group(1), set()).update(labels)
exprs = []
def walk(o):
    if isinstance(o, dict):
        if isinstance(o.get('expr'), str):
            exprs.append(o['expr'])
        q = o.get('query')
        if isinstance(q, dict) and isinstance(q.get('query'), str):
            exprs.append(q['query'])
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(dash)
bad = []
if not exprs:
    bad.append('no queries found')
for e in exprs:
    names = set(re.findall(r'\bpushguard_[a-z_]+', e))
    if not names:
        bad.append('queries no pushguard metric: ' + e)
    for n in names:
        if n not in written:
            bad.append('not written by pushguard: %s (in %s)' % (n, e))
            continue
        # labels this metric is filtered on: name{label=...,label=~...}
        for sel in re.findall(re.escape(n) + r'\{([^}]*)\}', e):
            for l in re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)', sel):
                if l not in written[n]:
                    bad.append('label %s not written on %s (in %s)' % (l, n, e))
    # labels grouped by must be on every metric of the expression (le: the histogram's buckets)
    for grp in re.findall(r'\bby\s*\(([^)]*)\)', e):
        for l in [x.strip() for x in grp.split(',') if x.strip()]:
            if not any(l in written[n] for n in names if n in written):
                bad.append('grouped by %s, which no metric of %s carries' % (l, e))
    for n, l in re.findall(r'label_values\((pushguard_[a-z_]+),\s*([a-z_]+)\)', e):
        if l not in written.get(n, set()):
            bad.append('label_values of %s on %s, not written' % (l, n))
print('%d queries over %s' % (len(exprs), ', '.join(sorted(written))))
for b in bad:
    print('BAD: ' + b)
sys.exit(1 if bad else 0)
PY
}

c_every_metric_is_written() {
	local m="$PG_CASE_DIR/metrics.prom"
	metrics_from_real_pushes "$m"
	check_dashboard "$DASHBOARD" "$m"
	assert_rc 0
	assert_output_contains "15 queries over pushguard_background_scans_total, pushguard_findings_total, pushguard_hook_duration_seconds_bucket"
	assert_output_not_contains "BAD:"
	# panels Grafana can lay out: each has a type, a title, a position and at least one query
	run python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); bad=[p.get("title") for p in d["panels"] if not (p.get("type") and p.get("title") and p.get("gridPos") and p.get("targets"))]; print(len(d["panels"]), "panels", bad); sys.exit(1 if bad or d["templating"]["list"][0]["name"] != "repository" else 0)' "$DASHBOARD"
	assert_rc 0
	assert_output_contains "12 panels []"
}

c_a_wrong_metric_is_caught() {
	local m="$PG_CASE_DIR/metrics.prom"
	metrics_from_real_pushes "$m"
	sed -e 's/pushguard_findings_total/pushguard_finding_total/' "$DASHBOARD" >bad1.json
	check_dashboard bad1.json "$m"
	assert_rc 1
	assert_output_contains "BAD: not written by pushguard: pushguard_finding_total"
	sed -e 's/event=\\"rejected\\"/outcome=\\"rejected\\"/' "$DASHBOARD" >bad2.json
	check_dashboard bad2.json "$m"
	assert_rc 1
	assert_output_contains "BAD: label outcome not written on pushguard_pushes_total"
	sed -e 's/sum by (event)/sum by (ref)/' "$DASHBOARD" >bad3.json
	check_dashboard bad3.json "$m"
	assert_rc 1
	assert_output_contains "BAD: grouped by ref"
}

run_case "contrib/grafana: every metric and label the dashboard queries is one pushguard writes" c_every_metric_is_written
run_case "contrib/grafana: a dashboard querying a metric or label pushguard does not write is caught" c_a_wrong_metric_is_caught
