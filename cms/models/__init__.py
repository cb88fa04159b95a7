from .library import LibraryFile, LibraryFileVersion, LibraryFolder, LibraryShare, ShareGroup
from .pages import (
    AnnouncementIndexPage,
    AnnouncementPage,
    GlossaryPage,
    HomePage,
    NoticeIndexPage,
    NoticePage,
)
from .support import ServiceSupportSettings

__all__ = [
    "AnnouncementIndexPage", "AnnouncementPage", "GlossaryPage", "HomePage", "NoticeIndexPage", "NoticePage",
    "ServiceSupportSettings", "LibraryFile", "LibraryFileVersion", "LibraryFolder", "LibraryShare", "ShareGroup",
]
