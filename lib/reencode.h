/* Commit text in the encoding its `encoding` header declares (git commit
 * with i18n.commitEncoding), turned into UTF-8 as git log does, so that
 * message rules, ticket references and what the pusher reads see the text
 * the author wrote. */
#ifndef PG_REENCODE_H
#define PG_REENCODE_H

/* A UTF-8 copy of text, which is in `encoding` (NULL, "", "UTF-8": already
 * UTF-8). Text that does not convert is copied as it is (the renderer
 * replaces bytes that are not UTF-8). NULL only when out of memory; the
 * caller frees. */
char *pg_reencode_utf8(const char *text, const char *encoding);

#endif
