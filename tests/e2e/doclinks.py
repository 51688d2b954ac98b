#!/usr/bin/env python3
"""Checks every relative Markdown link in the given files: the file it names
exists (relative to the linking file), and an #anchor names a heading of the
target (GitHub's slugs: lower case, punctuation dropped, spaces to '-', -1, -2
for repeats) or an explicit <a id/name>. Links inside fenced code blocks and
code spans are not links. Prints one line per broken link; exit 1 if any."""
import os
import re
import sys

LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
HTML_ANCHOR = re.compile(r'<a\s+(?:id|name)="([^"]+)"')


def prose_lines(text):
    """(line number, line) outside fenced code blocks, code spans blanked."""
    fence = None
    for n, line in enumerate(text.split('\n'), 1):
        m = re.match(r'^\s{0,3}(```+|~~~+)', line)
        if m:
            if fence is None:
                fence = m.group(1)[0] * len(m.group(1))
                continue
            if m.group(1).startswith(fence):
                fence = None
                continue
        if fence is not None:
            continue
        yield n, re.sub(r'(`+)(?:(?!\1).)+?\1', lambda m: ' ' * len(m.group(0)), line)


def slug(heading):
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading)  # links: their text
    text = text.replace('`', '')
    text = re.sub(r'<[^>]+>', '', text)
    text = text.strip().lower()
    text = ''.join(c for c in text if c.isalnum() or c in ' -_')
    return text.replace(' ', '-')


def anchors(path, cache={}):
    if path not in cache:
        seen, out = {}, set()
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for _, line in prose_lines(text):
            out.update(HTML_ANCHOR.findall(line))
        fence = None
        for line in text.split('\n'):
            m = re.match(r'^\s{0,3}(```+|~~~+)', line)
            if m:
                fence = None if fence else m.group(1)
                continue
            if fence:
                continue
            h = re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', line)
            if not h:
                continue
            s = slug(h.group(1))
            k = seen.get(s, 0)
            seen[s] = k + 1
            out.add(s if k == 0 else '%s-%d' % (s, k))
        cache[path] = out
    return cache[path]


def main(files):
    bad = checked = 0
    for md in files:
        with open(md, encoding='utf-8') as f:
            text = f.read()
        for n, line in prose_lines(text):
            for target in LINK.findall(line):
                if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
                    continue  # http:, https:, mailto:
                checked += 1
                path, _, frag = target.partition('#')
                dest = os.path.normpath(os.path.join(os.path.dirname(md), path)) if path else md
                if not os.path.exists(dest):
                    print('%s:%d: %s: no such file %s' % (md, n, target, dest))
                    bad += 1
                    continue
                if frag and dest.endswith('.md') and frag not in anchors(dest):
                    print('%s:%d: %s: no heading #%s in %s' % (md, n, target, frag, dest))
                    bad += 1
    print('%d links checked, %d broken' % (checked, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
