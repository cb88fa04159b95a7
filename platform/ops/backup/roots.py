"""The directories of stored files a backup holds, and the check that no storage writes elsewhere.

`settings.BACKUP_FILE_ROOTS` names each root (its name in the archive) and the setting that holds
its directory. Every FileField of every installed model, and the default storage, must store its
files under one of them: `backup_roots_problems()` says which does not, and `manage.py backup`
refuses to run until it is added, so a new storage cannot be silently left out of the backups.
"""
import hashlib
import os
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db import models


class BackupError(Exception):
    """A backup, restore or verification that cannot go on; the message says why, naming the file."""


def backup_file_roots() -> dict[str, Path]:
    """{name in the archive: absolute directory}, in the order of settings.BACKUP_FILE_ROOTS."""
    return {name: Path(getattr(settings, setting)).resolve() for name, setting in settings.BACKUP_FILE_ROOTS.items()}


def field_storage(field):
    # A callable storage (exports' `export_storage`) is called once when the model class is built;
    # call it again so the location follows the settings as they are now (tests point them elsewhere).
    make = getattr(field, "_storage_callable", None)
    return make() if make is not None else field.storage


def stored_file_fields() -> Iterator[tuple[type, models.FileField]]:
    """Every concrete FileField (and ImageField) of every installed model, with its model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and field.model is model:
                yield model, field


def storage_locations() -> dict[str, str | None]:
    """{what stores files: its directory}, None for a storage that is not a local directory."""
    locations = {'STORAGES["default"]': getattr(storages["default"], "location", None)}
    for model, field in stored_file_fields():
        locations[f"{model._meta.label}.{field.name}"] = getattr(field_storage(field), "location", None)
    return locations


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def backup_roots_problems() -> list[str]:
    """What keeps a backup from holding every stored file, one line each; empty when all is covered."""
    roots = backup_file_roots()
    problems = []
    for (name_a, a), (name_b, b) in combinations(roots.items(), 2):
        if _within(a, b) or _within(b, a):
            problems.append(f"backup roots {name_a} ({a}) and {name_b} ({b}) overlap; give each its own directory")
    for name, root in roots.items():
        if _within(Path(settings.BASE_DIR).resolve(), root):
            problems.append(f"backup root {name} ({root}) holds the application itself; a restore would empty it")
        database = Path(str(settings.DATABASES["default"].get("NAME") or ""))
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and database.is_absolute() \
                and _within(database.resolve(), root):
            problems.append(f"backup root {name} ({root}) holds the SQLite database {database}; move one of them")
    for what, location in storage_locations().items():
        if location is None:
            problems.append(f"{what} does not store its files in a local directory; a backup cannot copy them")
        elif not any(_within(Path(location).resolve(), root) for root in roots.values()):
            problems.append(f"{what} stores files in {location}, outside every backup root "
                            f"({', '.join(f'{n}={r}' for n, r in roots.items())}); add it to settings.BACKUP_FILE_ROOTS")
    return problems


def root_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to `root` in POSIX form, absolute path) of every regular file, in a stable order."""
    if not root.is_dir():
        return
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file():
                yield path.relative_to(root).as_posix(), path


def file_entry(path: Path) -> dict:
    """{"size", "sha256"} of one file, as the manifest records it."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def root_entries(root: Path) -> dict[str, dict]:
    """{relative path: {"size", "sha256"}} of every file under `root` now."""
    return {relative: file_entry(path) for relative, path in root_files(root)}
