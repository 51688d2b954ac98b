#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "mask.h"
#include "render.h"

int pg_report_format_parse(const char *name)
{
	if (!strcmp(name, "text"))
		return PG_REPORT_TEXT;
	if (!strcmp(name, "json"))
		return PG_REPORT_JSON;
	if (!strcmp(name, "sarif"))
		return PG_REPORT_SARIF;
	return -1;
}

static int write_text(FILE *fp, const struct pg_findings *f)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t blocking = pg_findings_count_blocking(f), warnings = pg_findings_count_warnings(f);

	for (size_t i = 0; i < f->n; i++) {
		const struct pg_finding *x = &f->v[i];

		pg_buf_reset(&b);
		pg_buf_addf(&b, "%s %s %.12s ", x->allowed_by ? "allowed" : x->warning ? "warning" : "FOUND", x->rule,
			    x->commit);
		pg_render_safe(&b, x->path ? x->path : "");
		if (x->line)
			pg_buf_addf(&b, ":%zu", x->line);
		pg_buf_adds(&b, "  ");
		pg_render_safe(&b, x->message);
		if (x->excerpt) {
			pg_buf_adds(&b, "  ");
			pg_render_safe(&b, x->excerpt);
		}
		pg_buf_addf(&b, "  confidence %s", pg_confidence_name(x->confidence));
		if (x->fingerprint) {
			pg_buf_adds(&b, "  fingerprint ");
			pg_render_safe(&b, x->fingerprint);
		}
		if (x->allowed_by) {
			pg_buf_adds(&b, "  (");
			pg_render_safe(&b, x->allowed_by);
			pg_buf_adds(&b, ")");
		}
		if (pg_buf_failed(&b))
			break;
		fprintf(fp, "%s\n", b.ptr);
	}
	if (pg_buf_failed(&b)) {
		pg_buf_release(&b);
		return -1;
	}
	fprintf(fp, "%zu finding%s, %zu below pushguard.secrets.block, %zu allowed\n", blocking,
		blocking == 1 ? "" : "s", warnings, pg_findings_count_allowed(f));
	pg_buf_release(&b);
	return 0;
}

/* Findings hold masked text already (finding.c); masked again here, so a
 * report never depends on when a secret was found (mask.h). */
static json_t *str_or_null(const char *s)
{
	char *masked;
	json_t *v;

	if (!s)
		return json_null();
	if (!pg_mask_active())
		return json_string(s);
	masked = pg_mask_dup(s);
	v = masked ? json_string(masked) : json_null();
	free(masked);
	return v;
}

static json_t *finding_json(const struct pg_finding *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "check", json_string(x->check));
	json_object_set_new(o, "rule", json_string(x->rule));
	json_object_set_new(o, "message", str_or_null(x->message));
	json_object_set_new(o, "ref", str_or_null(x->ref));
	json_object_set_new(o, "commit", x->commit[0] ? json_string(x->commit) : json_null());
	json_object_set_new(o, "subject", str_or_null(x->subject));
	json_object_set_new(o, "path", str_or_null(x->path));
	json_object_set_new(o, "line", x->line ? json_integer((json_int_t)x->line) : json_null());
	json_object_set_new(o, "excerpt", str_or_null(x->excerpt));
	json_object_set_new(o, "fingerprint", str_or_null(x->fingerprint));
	json_object_set_new(o, "confidence", json_string(pg_confidence_name(x->confidence)));
	json_object_set_new(o, "warning", json_boolean(x->warning && !x->allowed_by));
	json_object_set_new(o, "allowed", json_boolean(x->allowed_by != NULL));
	json_object_set_new(o, "allowed_by", str_or_null(x->allowed_by));
	return o;
}

static const struct pg_rule *find_rule(const struct pg_ruleset *rs, const char *id)
{
	for (size_t i = 0; rs && i < rs->n; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

static json_t *sarif(const struct pg_findings *f, const struct pg_ruleset *rs)
{
	json_t *rules = json_array(), *results = json_array(), *index = json_object();

	for (size_t i = 0; i < f->n; i++) {
		const struct pg_finding *x = &f->v[i];
		const struct pg_rule *r = find_rule(rs, x->rule);
		json_t *res, *loc, *phys, *idx = json_object_get(index, x->rule), *props;
		if (!idx) {
			json_t *rule = json_object(), *tags = json_array();
			const char *desc = r && r->description ? r->description : x->message;

			json_object_set_new(rule, "id", json_string(x->rule));
			json_object_set_new(rule, "name", json_string(x->rule));
			json_object_set_new(rule, "shortDescription", json_pack("{s:s}", "text", desc ? desc : x->rule));
			json_object_set_new(rule, "fullDescription", json_pack("{s:s}", "text", desc ? desc : x->rule));
			json_object_set_new(rule, "help", json_pack("{s:s}", "text", x->fix ? x->fix : "see pushguard's README"));
			json_object_set_new(rule, "defaultConfiguration", json_pack("{s:s}", "level", "error"));
			for (size_t t = 0; r && t < r->tags.n; t++)
				json_array_append_new(tags, json_string(r->tags.v[t]));
			json_array_append_new(tags, json_string("security"));
			json_object_set_new(rule, "properties", json_pack("{s:o}", "tags", tags));
			json_array_append_new(rules, rule);
			idx = json_integer((json_int_t)json_array_size(rules) - 1);
			json_object_set_new(index, x->rule, idx);
		}
		res = json_object();
		json_object_set_new(res, "ruleId", json_string(x->rule));
		json_object_set(res, "ruleIndex", idx);
		/* error refuses, warning is below pushguard.secrets.block, note was allowed */
		json_object_set_new(res, "level",
				    json_string(x->allowed_by ? "note" : x->warning ? "warning" : "error"));
		json_object_set_new(res, "message", json_pack("{s:o}", "text", str_or_null(x->message ? x->message : x->rule)));
		phys = json_object();
		json_object_set_new(phys, "artifactLocation", json_pack("{s:o}", "uri", str_or_null(x->path ? x->path : ".")));
		if (x->line)
			json_object_set_new(phys, "region", json_pack("{s:I}", "startLine", (json_int_t)x->line));
		loc = json_pack("{s:o}", "physicalLocation", phys);
		json_object_set_new(res, "locations", json_pack("[o]", loc));
		if (x->fingerprint)
			json_object_set_new(res, "partialFingerprints",
					    json_pack("{s:o}", "pushguardFingerprint/v1", str_or_null(x->fingerprint)));
		props = json_object();
		json_object_set_new(props, "confidence", json_string(pg_confidence_name(x->confidence)));
		if (x->commit[0])
			json_object_set_new(props, "commit", json_string(x->commit));
		if (x->excerpt)
			json_object_set_new(props, "excerpt", str_or_null(x->excerpt));
		if (x->allowed_by)
			json_object_set_new(res, "suppressions",
					    json_pack("[{s:s,s:o}]", "kind", "inSource", "justification", str_or_null(x->allowed_by)));
		json_object_set_new(res, "properties", props);
		json_array_append_new(results, res);
	}
	json_decref(index);
	return json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:o}},s:o}]}",
			 "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
			 "version", "2.1.0",
			 "runs",
			 "tool", "driver", "name", "pushguard", "version", PG_VERSION, "rules", rules,
			 "results", results);
}

int pg_report_write(FILE *fp, enum pg_report_format format, const struct pg_findings *f,
		    const struct pg_ruleset *rules, struct pg_error *err)
{
	json_t *doc = NULL;
	int rc;

	if (format == PG_REPORT_TEXT) {
		if (write_text(fp, f) < 0)
			return pg_error_oom(err);
		return ferror(fp) ? pg_error_set(err, PG_ERR, "cannot write the report") : 0;
	}
	if (format == PG_REPORT_JSON) {
		doc = json_array();
		for (size_t i = 0; doc && i < f->n; i++)
			json_array_append_new(doc, finding_json(&f->v[i]));
	} else {
		doc = sarif(f, rules);
	}
	if (!doc)
		return pg_error_oom(err);
	rc = json_dumpf(doc, fp, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(doc);
	fputc('\n', fp);
	if (rc < 0 || ferror(fp))
		return pg_error_set(err, PG_ERR, "cannot write the report");
	return 0;
}
