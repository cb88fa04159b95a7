"""Labels are data: `label` (Chinese, what users see) or its `_en` twin in English."""
import re

from django.utils.translation import get_language, pgettext


def localized(node: dict, key: str = "label") -> str:
    """`label` (Chinese, what users see) or `label_en` when the UI language is English and one is given."""
    language = get_language() or ""
    if language.startswith("en") and node.get(f"{key}_en"):
        return node[f"{key}_en"]
    return node.get(key, "") or ""


#: The units the shipped definitions use, as English says them, for a unit without its own `unit_en`.
UNITS_EN = {"元": "yuan", "千元": "thousand yuan", "万元": "10,000 yuan", "亿元": "100 million yuan", "人": "persons",
            "家": "enterprises", "件": "items", "个": "items", "度": "kWh", "千瓦时": "kWh", "万千瓦时": "10,000 kWh",
            "吨": "t", "万吨": "10,000 t", "平方米": "m²", "小时": "hours", "天": "days", "月": "months", "年": "years"}


def unit_label(node: dict) -> str:
    """The unit of a field or grid row in the UI language: `unit`, or in English `unit_en`, else the English of
    a standard unit (千元 → thousand yuan), else `unit` as written."""
    unit = node.get("unit", "") or ""
    if unit and in_english():
        return node.get("unit_en") or UNITS_EN.get(unit, unit)
    return unit


def label_names_unit(label: str, unit: str) -> bool:
    """Whether a label already says its unit: 上年末营业收入(千元), "Operating revenue last year (10k yuan)" for
    10,000 yuan (English labels write the same unit in more than one way: the unit's last word in the label's
    closing brackets counts)."""
    if not unit:
        return False
    if f"({unit})" in label or f"（{unit}）" in label:
        return True
    closing = re.search(r"\(([^()]*)\)\s*$", label)
    return bool(closing) and unit.isascii() and unit.split()[-1] in closing.group(1).split()


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def localized_title(text: str, definition) -> str:
    """A report type's, questionnaire's or definition's `text` in the UI language: in English, the `title_en`
    of `definition`'s published document when that document's `title` is this text (a title renamed in the
    back office stays as it was named). One query per definition instance, in English only."""
    if not text or definition is None or not in_english():
        return text
    titles = getattr(definition, "_document_titles", None)
    if titles is None:
        from ..enums import VersionStatus
        from ..models import FormVersion

        titles = (FormVersion.objects.filter(definition_id=definition.pk, status=VersionStatus.PUBLISHED)
                  .order_by("-number").values_list("document__title", "document__title_en").first()) or ("", "")
        definition._document_titles = titles
    title, title_en = titles
    return title_en if title_en and title == text else text


def with_addition(name, addition) -> str:
    """「name（addition）」 in Chinese, "name (addition)" with ASCII brackets in English."""
    return pgettext("a name and an addition in brackets", "%(name)s (%(addition)s)") % {"name": name, "addition": addition}


def with_holder(status, holder) -> str:
    """A report's status and who holds it: 「待审核【海曙区经信局】」 in Chinese, "Pending review (...)" in English."""
    return pgettext("a status and who holds it", "%(status)s (%(holder)s)") % {"status": status, "holder": holder}
