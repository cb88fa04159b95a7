"""WSGI entry point. Puts the `platform/` source root on sys.path first."""
import os
import sys
from pathlib import Path

_platform = Path(__file__).resolve().parent.parent
for _p in (_platform, _platform.parent):  # source root, then repo root (formdefs, cms, ...)
    if str(_p) not in sys.path:
        sys.path.insert(1, str(_p))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
