"""Translation catalogs without GNU gettext: compile .po to .mo, fill English, list problems.

    python -m citedesmetiers.operations.catalogs FILE.po...          compile each to FILE.mo
    python -m citedesmetiers.operations.catalogs --fill-english FILE copy each msgid into an empty msgstr

A fresh machine has Python but not always gettext's msgfmt; polib is pure Python.
"""

import sys
from pathlib import Path

import polib

CATALOG_DIR = Path(__file__).resolve().parent.parent / "locale"


def problems(path: Path) -> list[str]:
    """Entries a catalog must not ship with: untranslated, fuzzy, or with different placeholders."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<\w+:\w+>")
    catalog = polib.pofile(str(path))
    found = [f"{path}: the header is fuzzy"] if catalog.metadata_is_fuzzy else []
    for entry in catalog:
        if entry.obsolete:
            continue
        where = f"{path}: {entry.msgid[:60]!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{where} is fuzzy")
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        if not all(translations):
            found.append(f"{where} is not translated")
            continue
        sources = [entry.msgid] if not entry.msgid_plural else [entry.msgid_plural]
        expected = sorted(placeholder.findall(sources[0]))
        for text in translations:
            if sorted(set(placeholder.findall(text))) != sorted(set(expected)):
                found.append(f"{where} does not keep the placeholders {expected}")
    return found


def compile_catalog(path: Path) -> Path:
    """Writes the .mo next to the .po and returns its path."""
    target = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(target))
    return target


def fill_english(path: Path) -> int:
    """English is the source language: its catalog repeats each message. Returns entries changed."""
    catalog = polib.pofile(str(path))
    catalog.metadata_is_fuzzy = False
    changed = 0
    for entry in catalog:
        before = (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags))
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        changed += before != (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags))
    catalog.save()
    return changed


def main(argv: list[str]) -> int:
    if argv[:1] == ["--fill-english"]:
        for name in argv[1:]:
            print(f"{name}: {fill_english(Path(name))} entries updated")
        return 0
    for name in argv:
        compile_catalog(Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
