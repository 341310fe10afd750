"""Fill msgstrs in the zh_Hans catalogue from a Python or JSON mapping of msgid (or "context\\x04msgid")
to translation, clearing the fuzzy flag on what it fills. Used after `make makemessages`."""

import json
import runpy
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def load(path: str) -> dict[str, str]:
    if path.endswith(".json"):
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return runpy.run_path(path)["T"]


def main(paths: list[str]) -> int:
    mapping: dict[str, str] = {}
    for path in paths:
        mapping.update(load(path))
    po = polib.pofile(str(CATALOGUE))
    filled = 0
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in mapping:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: mapping[key]}
        else:
            entry.msgstr = mapping[key]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
        filled += 1
    po.save()
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    print(f"filled {filled}; {len(missing)} still untranslated or fuzzy")
    for msgid in missing:
        print("  ", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
