"""Labels are data: `label` (Chinese, what users see) or its `_en` twin in English."""
from django.utils.translation import get_language


def localized(node: dict, key: str = "label") -> str:
    """`label` (Chinese, what users see) or `label_en` when the UI language is English and one is given."""
    language = get_language() or ""
    if language.startswith("en") and node.get(f"{key}_en"):
        return node[f"{key}_en"]
    return node.get(key, "") or ""
