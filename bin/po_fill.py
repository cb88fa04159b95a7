#!/usr/bin/env python
"""Developer tool: fill empty msgstr entries of .po files from a JSON dictionary, then compile.

Usage: python bin/po_fill.py translations.json path/to/django.po [...]
Requires polib (development only). Entries already translated are kept; unknown ones are listed.
"""
import json
import subprocess
import sys

import polib


def main(dictionary_path, *po_paths):
    table = json.load(open(dictionary_path, encoding="utf-8"))
    missing = []
    for path in po_paths:
        po = polib.pofile(path)
        for entry in po:
            if entry.msgid in table and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = table[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            elif not entry.msgstr:
                missing.append(f"{path}: {entry.msgid}")
        po.metadata.update({"Language": "zh_Hans", "Content-Type": "text/plain; charset=UTF-8"})
        po.save(path)
        subprocess.run(["msgfmt", "--check-format", "-o", path[:-3] + ".mo", path], check=True)
    print("\n".join(missing) or "all translated")


if __name__ == "__main__":
    main(*sys.argv[1:])
