"""Publish the shipped definitions (formdefs/definitions/*.json); idempotent."""
from pathlib import Path

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


def seed_demo() -> list[str]:
    """Publish each shipped definition newer than its published version; independent of the date."""
    from .services import formdef_file_read, formdef_publish_document
    from .selectors import version_current

    lines = []
    for path in sorted(DEFINITIONS_DIR.glob("*.json")):
        document = formdef_file_read(path)
        current = version_current(key=document["id"])
        if current is not None and current.number >= document["version"]:
            continue
        version = formdef_publish_document(document=document)
        lines.append(f"form definition {version.definition.key} v{version.number} published")
    return lines
