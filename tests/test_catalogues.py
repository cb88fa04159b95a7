"""The translation catalogues of the repository agree with each other (issue 22 §8).

Django merges every app's catalogue into one: for a msgid the first app in INSTALLED_APPS wins,
everywhere. A msgid that two catalogues translate differently therefore shows one app's words in the
other app (the designer's 文本 read 「短信内容」, the statistics export's 答案 read 「进入答题」). Short
generic words that mean different things in different places get a context (pgettext, `{% translate
"x" context "y" %}`, a `msgctxt` entry); the same meaning gets the same words.
"""
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(p for p in ROOT.rglob("locale/*/LC_MESSAGES/django.po")
                    if ".venv" not in p.parts and "node_modules" not in p.parts)


def _translated(entry) -> bool:
    return not entry.obsolete and "fuzzy" not in entry.flags and (
        bool(entry.msgstr) if not entry.msgid_plural else all(entry.msgstr_plural.values()))


def _translation(entry):
    return entry.msgstr if not entry.msgid_plural else tuple(sorted(entry.msgstr_plural.items()))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_repository_has_its_catalogues():
    assert len(CATALOGUES) >= 10 and ROOT / "survey_builder/locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


def test_no_msgid_has_two_translations_across_catalogues():
    translations = defaultdict(lambda: defaultdict(list))  # (language, context, msgid) -> msgstr -> catalogues
    for path in CATALOGUES:
        language = path.parts[-3]
        for entry in polib.pofile(str(path)):
            if _translated(entry):
                key = (language, entry.msgctxt, entry.msgid, entry.msgid_plural)
                translations[key][_translation(entry)].append(_name(path))
    clashes = [
        f"{language} {('[' + context + '] ') if context else ''}{msgid!r}: "
        + "; ".join(f"{msgstr!r} in {', '.join(paths)}" for msgstr, paths in found.items())
        for (language, context, msgid, _plural), found in sorted(translations.items(), key=lambda item: str(item[0]))
        if len(found) > 1]
    assert not clashes, ("The same msgid is translated differently by two catalogues; give it a context where "
                         "the meanings differ, the same words where they do not:\n" + "\n".join(clashes))


@pytest.mark.parametrize("path", CATALOGUES, ids=_name)
def test_each_catalogue_is_compiled(path):
    """What runs is the .mo: a .po edited by hand and not compiled (msgfmt) changes nothing."""
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{_name(path)} is not compiled"
    mo = {(e.msgctxt, e.msgid): _translation(e) for e in polib.mofile(str(compiled))}
    stale = [f"{e.msgctxt or ''}|{e.msgid!r}" for e in polib.pofile(str(path))
             if _translated(e) and mo.get((e.msgctxt, e.msgid)) != _translation(e)]
    assert not stale, f"{_name(path)} differs from its .mo (run msgfmt in its directory): " + ", ".join(stale[:10])


def test_the_words_of_the_report_read_right_in_chinese():
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    from survey_builder.enums import FillKind

    with translation.override("zh-hans"):
        assert str(FillKind.TEXT.label) == "文本"  # the designer's 文本 option, not 「短信内容」
        assert pgettext("sms", "Text") == "短信内容"
        assert gettext("Answer") == "答案"  # the statistics export's column, not 「进入答题」
        assert gettext("Start answering") == "进入答题"
